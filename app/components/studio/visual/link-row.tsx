// Where a link leads, with a button to go to the node it names.
import { addNode, getAt, nodesOf, setAt } from "~/engine";
import { useTranslation } from "~/i18n/react";
import { LinkPicker } from "./fields";
import type { FormProps } from "./props";

export function LinkRow(props: FormProps & { pointer: string; label: string; select: (id: string | null) => void }) {
  const { value, onEdit, pointer, label, entries, diagnostics, select } = props;
  const { t } = useTranslation();
  const target = getAt(value, pointer);
  const exists = typeof target === "string" && target in nodesOf(value);
  return (
    <div className="link-row">
      <LinkPicker
        label={label}
        value={target}
        nodes={entries}
        diagnostics={diagnostics}
        pointer={pointer}
        onChange={(to) => onEdit(setAt(value, pointer, to))}
        onNew={(kind) => onEdit(addNode(value, kind, pointer).value)}
      />
      {exists ? (
        <button type="button" className="link-button" onClick={() => select(target)}>
          {t("editor.link.go", { id: target })}
        </button>
      ) : null}
    </div>
  );
}
