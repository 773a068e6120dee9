// A catalog version's page: its clauses, the versions waiting for a second person, the audit log, and
// its texts as a translators' file (XLIFF): downloaded from the version shown, imported back into the
// latest version as a new one that waits for a second person like any catalog change (ADR 020).
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { AuditLog } from "~/components/studio/audit-log";
import { CatalogImpact } from "~/components/studio/catalog-impact";
import { studioLinks } from "~/components/studio/links";
import { XliffPanel, type XliffImportAnswer } from "~/components/studio/xliff-panel";
import type { CatalogItem } from "~/engine";
import { localized } from "~/i18n";
import { useTranslation } from "~/i18n/react";
import { pendingCatalogImpacts } from "~/models/catalog-impact.server";
import { regulatorTimeZone } from "~/models/regulator-brand.server";
import { auditView } from "~/models/studio-audit.server";
import { getCatalogVersion, requireStudio, requireStudioRight } from "~/models/studio.server";
import { importCatalogTranslation, type CatalogTranslationImportError } from "~/models/translation.server";
import { assertCsrf } from "~/utils/csrf.server";
import { formatDate } from "~/utils/format";
import { failure, notFound, type FailureMap } from "~/utils/http.server";
import { requestI18n } from "~/utils/i18n.server";
import { inScope } from "~/utils/roles";
import { MAX_UPLOAD_MB, readUpload, refusedUploadInit } from "~/utils/upload.server";
import { xliffFileRefusals } from "~/utils/xliff-http.server";

export const links = studioLinks;
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Vignette" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const session = await requireStudio(request);
  const { locale } = await requestI18n(request, session);
  const wanted = new URL(request.url).searchParams.get("version");
  const sequence = wanted && /^\d+$/.test(wanted) ? Number(wanted) : undefined;
  const found = await getCatalogVersion(params.catalogId ?? "", session.readScope, sequence);
  if (!found) throw notFound();
  const { catalog, row } = found;
  const zone = await regulatorTimeZone(catalog.regulator);
  // A version waiting for a second person: what it would change, here too (decided on /studio/catalogs).
  const pending = [...(await pendingCatalogImpacts(session.readScope, catalog.id))].map(([id, impact]) => ({
    id,
    impact,
  }));
  return {
    title: `${localized(catalog.title, locale) || catalog.id} · Vignette`,
    id: catalog.id,
    regulator: catalog.regulator,
    catalogTitle: { en: catalog.title.en ?? null, fr: catalog.title.fr ?? null },
    label: catalog.version,
    effective: catalog.effective,
    url: catalog.url ?? null,
    locales: catalog.locales ?? ["en", "fr"],
    sequence: row.sequence,
    versions: found.versions.map((v) => ({
      sequence: v.sequence,
      label: v.label,
      importedAt: formatDate(v.importedAt, locale, zone),
    })),
    latest: found.versions[0]!.sequence,
    items: catalog.items,
    audit: auditView(found.audit, locale, zone),
    pending,
    // A reviewer sees the download; only authors import a translation (a change they ask for).
    mayImport: inScope(session.scope, catalog.regulator),
    maxUploadMb: MAX_UPLOAD_MB,
  };
}

const refusals: FailureMap<CatalogTranslationImportError> = {
  ...xliffFileRefusals,
  "not-found": { status: 404, message: "app.notFound" },
  "invalid-catalog": { status: 422, message: "studio.xliff.catalog.errors.invalid-catalog" },
  "already-pending": { status: 409, message: "studio.xliff.catalog.errors.already-pending" },
};

/** Imports a translated XLIFF file: a new version of the catalog, asked for (four eyes). */
export async function action({ request, params }: ActionFunctionArgs) {
  const session = await requireStudio(request);
  const found = await getCatalogVersion(params.catalogId ?? "", session.readScope);
  if (!found) throw notFound();
  requireStudioRight(session, "edit", found.catalog.regulator);
  const upload = await readUpload(request);
  if (upload.form) assertCsrf(request, upload.form, session);
  if (!upload.ok) {
    const answer: XliffImportAnswer = { ok: false, file: null, error: upload.error, message: null };
    return data({ xliff: answer }, refusedUploadInit(upload.error));
  }
  const result = await importCatalogTranslation(
    found.row.catalogId,
    upload.text,
    upload.name,
    session.user.id,
    session.scope,
  );
  if (!result.ok) {
    const answer: XliffImportAnswer = {
      ok: false,
      file: upload.name,
      error: result.code,
      message: result.message ?? null,
    };
    return data({ xliff: answer }, { status: failure(result.code, refusals).status });
  }
  const answer: XliffImportAnswer = { ok: true, kind: "catalog", file: upload.name, ...result.value };
  return data({ xliff: answer });
}

function Items({ items, locales }: { items: CatalogItem[]; locales: string[] }) {
  const { t } = useTranslation();
  return (
    <ul className="catalog-tree">
      {items.map((item) => (
        <li key={item.code}>
          <div className="catalog-item">
            <code className="catalog-code">{item.code}</code>
            <div className="catalog-texts">
              {(["en", "fr"] as const).map((l) => (
                <div key={l} lang={l} className="catalog-lang">
                  <span className="lang-tag" aria-hidden="true">
                    {l.toUpperCase()}
                  </span>
                  <span className="visually-hidden">{t(`locales.${l}`)}: </span>
                  {item.title[l] ? (
                    <strong>{item.title[l]}</strong>
                  ) : locales.includes(l) ? (
                    <strong className="flag">✕ {t("studio.translations.missing")}</strong>
                  ) : (
                    <span className="muted">—</span>
                  )}
                  {item.text?.[l] ? <p>{item.text[l]}</p> : null}
                </div>
              ))}
            </div>
          </div>
          {item.items && item.items.length > 0 ? <Items items={item.items} locales={locales} /> : null}
        </li>
      ))}
    </ul>
  );
}

export default function CatalogView() {
  const { t } = useTranslation();
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const base = `/studio/catalogs/${encodeURIComponent(d.id)}`;
  return (
    <section className="studio">
      <p className="breadcrumbs">
        <Link to="/studio">{t("studio.title")}</Link> › <Link to="/studio/catalogs">{t("studio.catalogs.title")}</Link>
      </p>
      <h1>
        <span lang="en">{d.catalogTitle.en ?? d.id}</span>
        {d.catalogTitle.fr ? (
          <span className="heading-sub block" lang="fr">
            {d.catalogTitle.fr}
          </span>
        ) : null}
      </h1>
      <p className="facts-inline">
        <span>
          <code>{d.id}</code>
        </span>
        <span>{t("studio.caseView.regulator", { regulator: d.regulator })}</span>
        <span>{t("studio.catalogs.label", { label: d.label, effective: d.effective })}</span>
        <span>{t("studio.list.versionShort", { version: d.sequence })}</span>
        {d.url ? (
          <a href={d.url} rel="noopener noreferrer">
            {t("studio.catalogs.official")}
          </a>
        ) : null}
      </p>
      <Form method="get" className="inline-form">
        <label htmlFor="version-select">{t("studio.catalogs.showVersion")}</label>{" "}
        <select id="version-select" name="version" defaultValue={String(d.sequence)}>
          {d.versions.map((v) => (
            <option key={v.sequence} value={v.sequence}>
              {t("studio.list.versionShort", { version: v.sequence })} — {v.label} ({v.importedAt})
            </option>
          ))}
        </select>{" "}
        <button type="submit" className="button-secondary">
          {t("studio.preview.go")}
        </button>{" "}
        <a href={`${base}/versions/${d.sequence}/source`} download>
          {t("studio.catalogs.download")}
        </a>
      </Form>
      {d.pending.map(({ id, impact }) => (
        <section key={id} aria-labelledby={`pending-${id}-heading`} className="panel">
          <h2 id={`pending-${id}-heading`}>{t("studio.impact.pendingHeading")}</h2>
          <p>
            <Link to="/studio/catalogs">{t("studio.impact.decide")}</Link>
          </p>
          <CatalogImpact impact={impact} />
        </section>
      ))}
      <section aria-labelledby="items-heading">
        <h2 id="items-heading">{t("studio.catalogs.items")}</h2>
        <Items items={d.items} locales={d.locales} />
      </section>
      <XliffPanel
        kind="catalog"
        base={`${base}/versions/${d.sequence}`}
        locales={d.locales}
        valid
        mayImport={d.mayImport}
        latest={d.latest}
        maxUploadMb={d.maxUploadMb}
        answer={result?.xliff ?? null}
      />
      <AuditLog entries={d.audit} />
    </section>
  );
}
