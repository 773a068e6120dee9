// The visual editor's fields: a text in each of the case's locales side by side, a link to another
// node, and the problems the validator found at a JSON pointer. Each is a plain labelled control,
// so the editor works with the keyboard alone.
import { useId } from "react";
import { NODE_KINDS, type Diagnostic, type Locale, type NodeKind } from "~/engine";
import { useTranslation } from "~/i18n/react";

/** The problems at `pointer` or inside it. */
export function problemsAt(diagnostics: readonly Diagnostic[], pointer: string): Diagnostic[] {
  return diagnostics.filter((d) => d.path === pointer || d.path.startsWith(`${pointer}/`));
}

export function FieldProblems({ diagnostics, id }: { diagnostics: readonly Diagnostic[]; id?: string }) {
  const { t } = useTranslation();
  if (diagnostics.length === 0) return null;
  return (
    <ul className="field-problems" id={id}>
      {diagnostics.map((d, i) => (
        <li key={i} className={d.severity === "error" ? "diag-error" : "diag-warning"}>
          {d.severity === "error" ? "✕ " : "⚠ "}
          <span className="visually-hidden">
            {d.severity === "error" ? t("studio.diagnostics.error") : t("studio.diagnostics.warning")}:{" "}
          </span>
          {d.message}
        </li>
      ))}
    </ul>
  );
}

export type LocalizedValue = Partial<Record<Locale, string>> | undefined;

/**
 * One text in every locale of the case, side by side. A locale left empty is flagged as missing as
 * the author types (in words, not colour only); the validator's own messages follow.
 */
export function LocalizedField({
  label,
  pointer,
  text,
  locales,
  multiline = false,
  optional = false,
  diagnostics,
  onChange,
}: {
  label: string;
  pointer: string;
  text: LocalizedValue;
  locales: readonly Locale[];
  multiline?: boolean;
  optional?: boolean;
  diagnostics: readonly Diagnostic[];
  onChange: (locale: Locale, text: string) => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const anyText = locales.some((l) => (text?.[l] ?? "") !== "");
  const problems = problemsAt(diagnostics, pointer);
  return (
    <fieldset className="loc-field">
      <legend>
        {label}
        {optional ? <span className="muted"> ({t("editor.optional")})</span> : null}
      </legend>
      <div className="loc-columns">
        {locales.map((locale) => {
          const value = text?.[locale] ?? "";
          const missing = value === "" && (!optional || anyText);
          const inputId = `${id}-${locale}`;
          const flagId = `${inputId}-missing`;
          const common = {
            id: inputId,
            value,
            lang: locale,
            "aria-invalid": missing || undefined,
            "aria-describedby": missing ? flagId : undefined,
            onChange: (e: { target: { value: string } }) => onChange(locale, e.target.value),
          };
          return (
            <div key={locale} className={missing ? "loc-column loc-missing" : "loc-column"}>
              <label htmlFor={inputId}>{t(`editor.locale.${locale}`)}</label>
              {multiline ? <textarea rows={4} {...common} /> : <input type="text" {...common} />}
              {missing ? (
                <p id={flagId} className="loc-flag">
                  ⚠ {t("editor.missingIn", { locale: t(`editor.locale.${locale}`) })}
                </p>
              ) : null}
            </div>
          );
        })}
      </div>
      <FieldProblems diagnostics={problems} />
    </fieldset>
  );
}

/**
 * Where a link leads: one of the existing nodes, or a new node of a kind made here. Making a node is a
 * button, not an option of the list: moving through a list with the arrow keys changes its value at
 * each step, and must not create nodes on the way.
 */
export function LinkPicker({
  label,
  value,
  nodes,
  diagnostics,
  pointer,
  onChange,
  onNew,
}: {
  label: string;
  value: unknown;
  nodes: ReadonlyArray<{ id: string; label: string }>;
  diagnostics: readonly Diagnostic[];
  pointer: string;
  onChange: (id: string) => void;
  onNew: (kind: NodeKind) => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const current = typeof value === "string" ? value : "";
  const known = nodes.some((n) => n.id === current);
  const problems = problemsAt(diagnostics, pointer);
  return (
    <div className="field link-picker">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        value={current}
        aria-invalid={problems.some((d) => d.severity === "error") || undefined}
        onChange={(e) => onChange(e.target.value)}
      >
        <option value="">{t("editor.link.choose")}</option>
        {current && !known ? <option value={current}>{t("editor.link.missing", { id: current })}</option> : null}
        {nodes.map((n) => (
          <option key={n.id} value={n.id}>
            {n.label}
          </option>
        ))}
      </select>
      <div role="group" aria-labelledby={`${id}-new`} className="new-node-buttons">
        <span id={`${id}-new`} className="hint">
          {t("editor.link.newGroup", { link: label })}
        </span>{" "}
        {NODE_KINDS.map((kind) => (
          <button key={kind} type="button" className="button-secondary button-small" onClick={() => onNew(kind)}>
            {t(`editor.link.new.${kind}`)}
          </button>
        ))}
      </div>
      <FieldProblems diagnostics={problems} />
    </div>
  );
}
