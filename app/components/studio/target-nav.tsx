import { NavLink } from "@remix-run/react";
import { useTranslation } from "~/i18n/react";
import type { TargetHeader } from "~/models/studio-pages.server";
import { StatusBadge } from "./status";

/** Title, status and tabs shared by the pages of one draft or one published version. */
export function TargetHeading({ header, page }: { header: TargetHeader; page: string }) {
  const { t } = useTranslation();
  const what =
    header.kind === "draft"
      ? t("studio.target.draftOf", { slug: header.slug || t("studio.target.untitled") })
      : t("studio.target.versionOf", { slug: header.slug, version: header.version });
  const tabs =
    header.kind === "draft"
      ? [
          { to: header.base, label: t("studio.tabs.edit"), end: true },
          { to: `${header.base}/preview`, label: t("studio.tabs.preview") },
          { to: `${header.base}/graph`, label: t("studio.tabs.graph") },
          { to: `${header.base}/translations`, label: t("studio.tabs.translations") },
          { to: `${header.base}/images`, label: t("studio.images.tab") },
        ]
      : [
          { to: `${header.base}/preview`, label: t("studio.tabs.preview") },
          { to: `${header.base}/graph`, label: t("studio.tabs.graph") },
          { to: `${header.base}/translations`, label: t("studio.tabs.translations") },
        ];
  return (
    <header className="studio-heading">
      <p className="breadcrumbs">
        <NavLink to="/studio">{t("studio.title")}</NavLink>
        {header.slug && header.kind === "version" ? (
          <>
            {" › "}
            <NavLink to={`/studio/cases/${encodeURIComponent(header.slug)}`} end>
              {header.slug}
            </NavLink>
          </>
        ) : null}
      </p>
      <h1 id="page-heading">
        {page} <span className="heading-sub">· {what}</span>
      </h1>
      <p className="facts-inline">
        <StatusBadge status={header.status} />
        {header.title ? <span>{header.title}</span> : null}
        {header.release ? <span>{t("studio.list.release", { month: header.release })}</span> : null}
        {header.kind === "draft" && !header.valid ? (
          <span className="badge badge-invalid">✕ {t("studio.target.invalid", { count: header.errorCount })}</span>
        ) : null}
      </p>
      <nav aria-label={t("studio.tabs.label")} className="tabs">
        <ul>
          {tabs.map((tab) => (
            <li key={tab.to}>
              <NavLink to={tab.to} end={tab.end ?? true}>
                {tab.label}
              </NavLink>
            </li>
          ))}
          <li>
            <a href={`${header.base}/source`} download>
              {t("studio.tabs.download")}
            </a>
          </li>
        </ul>
      </nav>
    </header>
  );
}
