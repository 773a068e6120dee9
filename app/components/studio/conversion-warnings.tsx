import type { ConvertWarning, ConvertWarningKind } from "~/engine/convert/types";
import { useTranslation } from "~/i18n/react";

const KINDS: ConvertWarningKind[] = ["to-fill", "scoring", "loop", "structure", "unsupported", "media", "text"];

/**
 * What an import from H5P or Twine could not carry over (app/models/case-convert.server.ts), by
 * kind, each with where it was in the source: shown on the draft the import made.
 */
export function ConversionWarnings({
  conversion,
  justImported,
}: {
  conversion: { file: string; warnings: ConvertWarning[]; more: number } | null;
  justImported: boolean;
}) {
  const { t } = useTranslation();
  if (!conversion) return null;
  const total = conversion.warnings.length + conversion.more;
  return (
    <section className="panel conversion-warnings" aria-labelledby="conversion-heading">
      {justImported ? (
        <p role="status" className="notice">
          ✓ {t("studio.convert.notice")}
        </p>
      ) : null}
      <h2 id="conversion-heading">{t("studio.convert.heading", { file: conversion.file })}</h2>
      <p>{t("studio.convert.intro", { count: total })}</p>
      {KINDS.map((kind) => {
        const list = conversion.warnings.filter((w) => w.kind === kind);
        if (list.length === 0) return null;
        return (
          <section key={kind} aria-labelledby={`conversion-${kind}`}>
            <h3 id={`conversion-${kind}`}>
              {t(`studio.convert.kinds.${kind}`)} ({list.length})
            </h3>
            <ul className="diag-list">
              {list.map((w, i) => (
                <li key={i} className="diag diag-warning">
                  <code>{w.where}</code>: {w.message}
                </li>
              ))}
            </ul>
          </section>
        );
      })}
      {conversion.more > 0 ? <p>{t("studio.convert.more", { count: conversion.more })}</p> : null}
    </section>
  );
}
