import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { AuditLog } from "~/components/studio/audit-log";
import { studioLinks } from "~/components/studio/links";
import type { CatalogItem } from "~/engine";
import { localized } from "~/i18n";
import { useTranslation } from "~/i18n/react";
import { auditView } from "~/models/studio-audit.server";
import { getCatalogVersion, requireStudio } from "~/models/studio.server";
import { formatDate } from "~/utils/format";
import { notFound } from "~/utils/http.server";
import { requestI18n } from "~/utils/i18n.server";

export const links = studioLinks;
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Vignette" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const session = await requireStudio(request);
  const { locale } = await requestI18n(request, session);
  const wanted = new URL(request.url).searchParams.get("version");
  const sequence = wanted && /^\d+$/.test(wanted) ? Number(wanted) : undefined;
  const found = await getCatalogVersion(params.catalogId ?? "", session.scope, sequence);
  if (!found) throw notFound();
  const { catalog, row } = found;
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
      importedAt: formatDate(v.importedAt, locale),
    })),
    items: catalog.items,
    audit: auditView(found.audit, locale),
  };
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
      <section aria-labelledby="items-heading">
        <h2 id="items-heading">{t("studio.catalogs.items")}</h2>
        <Items items={d.items} locales={d.locales} />
      </section>
      <AuditLog entries={d.audit} />
    </section>
  );
}
