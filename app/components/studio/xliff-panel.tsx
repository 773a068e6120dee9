// The translations page's translators' files: download the texts as XLIFF, import a translated
// file as a new draft, and what the import did (ADR 020). Plain forms: works without JavaScript.
// A catalog's page shows the same panel (kind "catalog"): its import asks for a new version.
import { Form, Link } from "@remix-run/react";
import { UploadForm } from "~/components/upload-form";
import { useTranslation } from "~/i18n/react";
import type { CatalogTranslationImported, TranslationImported } from "~/models/translation.server";

export type XliffImportAnswer =
  | ({ ok: true; kind: "case"; file: string } & TranslationImported)
  | ({ ok: true; kind: "catalog"; file: string } & CatalogTranslationImported)
  | { ok: false; file: string | null; error: string; message: string | null };

type Kind = "case" | "catalog";
const catalogErrors = new Set([
  "languages",
  "other-file",
  "invalid-catalog",
  "already-pending",
  "same-locale",
  "locale-not-listed",
]);

export function XliffPanel({
  base,
  locales,
  valid,
  maxUploadMb,
  answer,
  kind = "case",
  latest,
  mayImport = true,
}: {
  /** The page the download hangs under: `${base}/xliff`. */
  base: string;
  locales: string[];
  valid: boolean;
  maxUploadMb: number;
  answer: XliffImportAnswer | null;
  kind?: Kind;
  /** A catalog's latest version, which an import is applied to. */
  latest?: number;
  /** False for a reviewer of a catalog: the download only. */
  mayImport?: boolean;
}) {
  const { t } = useTranslation();
  const catalog = kind === "catalog";
  const targets = locales.length > 1 ? locales : [];
  const defaultTarget = targets.includes("fr") && locales[0] !== "fr" ? "fr" : targets[1];
  return (
    <section aria-labelledby="xliff-heading" className="panel">
      <h2 id="xliff-heading">{t("studio.xliff.heading")}</h2>
      <p className="muted">{t(catalog ? "studio.xliff.catalog.intro" : "studio.xliff.intro")}</p>
      {answer ? <ImportAnswer answer={answer} kind={kind} /> : null}
      {!valid || targets.length === 0 ? (
        <p className="notice">{t("studio.xliff.invalidCase")}</p>
      ) : (
        <>
          <Form method="get" action={`${base}/xliff`} reloadDocument className="xliff-export">
            <div className="field">
              <label htmlFor="xliff-target">{t("studio.xliff.targetLabel")}</label>
              <select id="xliff-target" name="target" defaultValue={defaultTarget}>
                {targets.map((l) => (
                  <option key={l} value={l}>
                    {l === "fr" ? "Français" : l === "en" ? "English" : l}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="xliff-version">{t("studio.xliff.versionLabel")}</label>
              <select id="xliff-version" name="xliff" defaultValue="2.1">
                <option value="2.1">{t("studio.xliff.version21")}</option>
                <option value="1.2">{t("studio.xliff.version12")}</option>
              </select>
            </div>
            <p className="hint">{t("studio.xliff.reviewHint")}</p>
            <button type="submit">{t("studio.xliff.download")}</button>
          </Form>
          {mayImport ? (
            <>
              <h3>{t("studio.xliff.importHeading")}</h3>
              <UploadForm
                name="xliff"
                label={t("studio.xliff.fileLabel")}
                hint={
                  catalog
                    ? t("studio.xliff.catalog.importHint", { size: maxUploadMb, version: latest ?? "" })
                    : t("studio.xliff.importHint", { size: maxUploadMb })
                }
                accept=".xlf,.xliff,application/xliff+xml,application/xml,text/xml"
                submit={t(catalog ? "studio.xliff.catalog.submit" : "studio.xliff.submit")}
              />
            </>
          ) : null}
        </>
      )}
    </section>
  );
}

function ImportAnswer({ answer, kind }: { answer: XliffImportAnswer; kind: Kind }) {
  const { t } = useTranslation();
  if (!answer.ok) {
    const reason =
      kind === "catalog" && catalogErrors.has(answer.error)
        ? t(`studio.xliff.catalog.errors.${answer.error}` as "studio.xliff.catalog.errors.languages")
        : t(`studio.xliff.errors.${answer.error}` as "studio.xliff.errors.malformed");
    return (
      <div role="alert" className="alert">
        <p>
          {t("studio.xliff.refused", {
            file: answer.file ?? "",
            reason,
          })}
        </p>
        {answer.message ? <p>{t("studio.xliff.detail", { message: answer.message })}</p> : null}
      </div>
    );
  }
  const counts = {
    file: answer.file,
    source: answer.sourceLocale,
    target: answer.targetLocale,
    applied: answer.applied,
    unchanged: answer.unchanged,
    untranslated: answer.untranslated,
  };
  return (
    <div role="status" className="notice">
      {answer.kind === "catalog" ? (
        <>
          <p>
            <strong>{t("studio.xliff.importedLabel")}</strong> —{" "}
            {t("studio.xliff.catalog.imported", { ...counts, version: answer.sequence })}
          </p>
          {answer.requestId ? (
            <p>
              {t("studio.xliff.catalog.requested")}{" "}
              <Link to="/studio/catalogs">{t("studio.xliff.catalog.openRequest")}</Link>
            </p>
          ) : (
            <p>{t("studio.xliff.catalog.noChange", { version: answer.sequence })}</p>
          )}
        </>
      ) : (
        <>
          <p>
            <strong>{t("studio.xliff.importedLabel")}</strong> — {t("studio.xliff.imported", counts)}
          </p>
          <p>
            <Link to={`/studio/drafts/${encodeURIComponent(answer.draftId)}`}>{t("studio.xliff.openDraft")}</Link>
          </p>
        </>
      )}
      {answer.needsReview.length > 0 ? (
        <>
          <h3>{t("studio.xliff.reviewHeading")}</h3>
          <ul className="xliff-review">
            {answer.needsReview.map((r) => (
              <li key={r.pointer}>
                <code>{r.pointer}</code> ({t("studio.xliff.line", { line: r.line })})
                <dl>
                  <dt>{t("studio.xliff.reviewFrom")}</dt>
                  <dd className="pre-wrap">{r.exported}</dd>
                  <dt>{t("studio.xliff.reviewNow")}</dt>
                  <dd className="pre-wrap">{r.current}</dd>
                </dl>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {answer.diagnostics.length > 0 ? (
        <>
          <h3>{t("studio.xliff.skippedHeading")}</h3>
          <ul className="xliff-skipped">
            {answer.diagnostics.map((d, i) => (
              <li key={`${d.unit ?? ""}-${d.pointer ?? ""}-${i}`}>
                {d.unit ? <code>{d.unit}</code> : null} {d.pointer ? <code>{d.pointer}</code> : null}
                {d.line ? ` (${t("studio.xliff.line", { line: d.line })})` : ""}:{" "}
                {kind === "catalog" && (d.code === "no-pointer" || d.code === "unknown-pointer")
                  ? t(`studio.xliff.catalog.units.${d.code}`)
                  : t(`studio.xliff.units.${d.code}`)}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}
