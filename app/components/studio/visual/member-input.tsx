// One member of the case file as a labelled text or number input, with its hint and problems.
import { getAt, setAt, type CaseValue } from "~/engine";
import { FieldProblems, problemsAt } from "./fields";
import type { VisualEditorProps } from "./props";

/** A text input bound to one member; emptied, the member is removed. */
export function MemberInput({
  label,
  value,
  pointer,
  props,
  type = "text",
  hint,
  toValue = (s: string) => s,
  fromValue = (v: unknown) => (typeof v === "string" || typeof v === "number" ? String(v) : ""),
  ...rest
}: {
  label: string;
  value: CaseValue;
  pointer: string;
  props: VisualEditorProps;
  type?: string;
  hint?: string;
  toValue?: (s: string) => unknown;
  fromValue?: (v: unknown) => string;
  step?: string;
  min?: string;
  max?: string;
}) {
  const id = `field${pointer.replace(/[^A-Za-z0-9]+/g, "-")}`;
  const problems = problemsAt(props.diagnostics, pointer);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      ) : null}
      <input
        id={id}
        type={type}
        value={fromValue(getAt(value, pointer))}
        aria-describedby={hint ? `${id}-hint` : undefined}
        aria-invalid={problems.length > 0 || undefined}
        onChange={(e) =>
          props.onEdit(setAt(value, pointer, e.target.value === "" ? undefined : toValue(e.target.value)), {
            typing: true,
          })
        }
        {...rest}
      />
      <FieldProblems diagnostics={problems} />
    </div>
  );
}

export const asNumber = (s: string) => (Number.isFinite(Number(s)) ? Number(s) : s);
