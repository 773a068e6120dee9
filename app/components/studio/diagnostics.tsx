import { formatDiagnostic, type Diagnostic } from "~/engine";
import { useTranslation } from "~/i18n/react";

/**
 * Content problems as cases:check prints them (file:line:column: JSON path: message). Each line
 * can move the editor's cursor to the problem when the editor is enhanced (onPick).
 */
export function DiagnosticList({
  diagnostics,
  id = "diagnostics",
  onPick,
  heading = true,
}: {
  diagnostics: Diagnostic[];
  id?: string;
  onPick?: (d: Diagnostic) => void;
  heading?: boolean;
}) {
  const { t } = useTranslation();
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const warnings = diagnostics.length - errors;
  return (
    <section className="diagnostics" aria-labelledby={`${id}-heading`} id={id}>
      {heading ? (
        <h2 id={`${id}-heading`}>{t("studio.diagnostics.heading")}</h2>
      ) : (
        <h3 id={`${id}-heading`}>{t("studio.diagnostics.heading")}</h3>
      )}
      <p className={errors > 0 ? "diag-summary diag-summary-error" : "diag-summary diag-summary-ok"} role="status">
        {errors === 0 && warnings === 0
          ? `✓ ${t("studio.diagnostics.none")}`
          : `${errors > 0 ? "✕" : "⚠"} ${t("studio.diagnostics.counts", { errors, warnings })}`}
      </p>
      {diagnostics.length > 0 ? (
        <ol className="diag-list">
          {diagnostics.map((d, i) => (
            <li key={i} className={d.severity === "error" ? "diag diag-error" : "diag diag-warning"}>
              <span className="diag-severity">
                {d.severity === "error" ? t("studio.diagnostics.error") : t("studio.diagnostics.warning")}
              </span>{" "}
              {d.line !== undefined ? (
                <span className="diag-where">
                  {t("studio.diagnostics.where", { line: d.line, column: d.column ?? 1 })}
                </span>
              ) : null}{" "}
              {onPick && d.line !== undefined ? (
                <button type="button" className="link-button" onClick={() => onPick(d)}>
                  <code>{formatDiagnostic(d)}</code>
                </button>
              ) : (
                <code>{formatDiagnostic(d)}</code>
              )}
            </li>
          ))}
        </ol>
      ) : null}
    </section>
  );
}
