import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { studioLinks } from "~/components/studio/links";
import { StatusBadge } from "~/components/studio/status";
import { UploadPanel } from "~/components/studio/upload-panel";
import { localized } from "~/i18n";
import { useTranslation } from "~/i18n/react";
import { regulatorClocks } from "~/models/regulator-brand.server";
import { isRetired, listStudioCases, requireStudio, reviewQueue } from "~/models/studio.server";
import { formatDate, formatMonth } from "~/utils/format";
import { requestI18n } from "~/utils/i18n.server";
import { inScope, isEmptyScope } from "~/utils/roles";
import { MAX_UPLOAD_MB } from "~/utils/upload.server";

export const links = studioLinks;
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Vignette" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const session = await requireStudio(request);
  const { t, locale } = await requestI18n(request, session);
  // Reviewers see what they review (and its versions); only authors see the ways to make drafts.
  const { cases, newDrafts } = await listStudioCases(session.readScope);
  const queue = await reviewQueue(session.user.id, session.readScope);
  const clock = await regulatorClocks();
  const draftRow = (d: (typeof newDrafts)[number]) => ({
    id: d.id,
    slug: d.slug,
    status: d.status,
    updatedBy: d.updatedBy,
    updatedAt: formatDate(d.updatedAt, locale, clock(d.regulator)),
  });
  return {
    title: `${t("studio.title")} · Vignette`,
    maxUploadMb: MAX_UPLOAD_MB,
    mayEdit: !isEmptyScope(session.scope),
    cases: cases.map((c) => ({
      slug: c.slug,
      regulator: c.regulator,
      title: localized(c.title, locale),
      retired: isRetired(c.versions),
      versions: c.versions.map((v) => ({
        version: v.version,
        status: v.status,
        release: formatMonth(v.release, locale),
        publishedAt: v.publishedAt ? formatDate(v.publishedAt, locale, clock(c.regulator)) : null,
      })),
      drafts: c.drafts.map(draftRow),
    })),
    newDrafts: newDrafts.map(draftRow),
    queue: queue.map((d) => ({
      ...draftRow(d),
      submittedBy: d.submittedBy,
      canReview: d.canReview && inScope(session.reviewScope, d.regulator),
    })),
  };
}

export default function StudioIndex() {
  const { t } = useTranslation();
  const data = useLoaderData<typeof loader>();
  return (
    <section className="studio">
      <h1>{t("studio.title")}</h1>
      <p>{t("studio.intro")}</p>
      <ul className="studio-actions">
        {data.mayEdit ? (
          <li>
            <Link to="/studio/drafts/new" className="button">
              {t("studio.list.newDraft")}
            </Link>
          </li>
        ) : null}
        <li>
          <Link to="/studio/catalogs">{t("studio.catalogs.title")}</Link>
        </li>
      </ul>

      {data.mayEdit ? (
        <UploadPanel
          id="case-upload"
          action="/studio/upload"
          heading={t("studio.upload.heading")}
          label={t("studio.upload.fileLabel")}
          hint={t("studio.upload.hint", { size: data.maxUploadMb })}
          submit={t("studio.upload.submit")}
        />
      ) : null}

      <section aria-labelledby="queue-heading">
        <h2 id="queue-heading">{t("studio.queue.heading")}</h2>
        {data.queue.length === 0 ? (
          <p>{t("studio.queue.empty")}</p>
        ) : (
          <ul className="plain-list">
            {data.queue.map((d) => (
              <li key={d.id}>
                <Link to={`/studio/drafts/${d.id}`}>{d.slug || t("studio.target.untitled")}</Link> —{" "}
                {t("studio.queue.submittedBy", { name: d.submittedBy ?? "?" })}{" "}
                {d.canReview ? (
                  <strong>· {t("studio.queue.youCanReview")}</strong>
                ) : (
                  <span className="muted">· {t("studio.queue.notYours")}</span>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="cases-heading">
        <h2 id="cases-heading">{t("studio.list.heading")}</h2>
        {data.cases.length === 0 ? <p>{t("studio.list.empty")}</p> : null}
        <table className="studio-table">
          <caption className="visually-hidden">{t("studio.list.caption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("studio.list.case")}</th>
              <th scope="col">{t("studio.list.versions")}</th>
              <th scope="col">{t("studio.list.drafts")}</th>
            </tr>
          </thead>
          <tbody>
            {data.cases.map((c) => (
              <tr key={c.slug}>
                <th scope="row">
                  <Link to={`/studio/cases/${encodeURIComponent(c.slug)}`}>{c.title || c.slug}</Link>
                  <span className="muted block">
                    <code>{c.slug}</code> · {c.regulator}
                  </span>
                  {c.retired ? <StatusBadge status="retired" /> : null}
                </th>
                <td>
                  <ul className="plain-list">
                    {c.versions.map((v) => (
                      <li key={v.version}>
                        {t("studio.list.versionShort", { version: v.version })} <StatusBadge status={v.status} />{" "}
                        <span className="muted">{t("studio.list.release", { month: v.release })}</span>
                      </li>
                    ))}
                  </ul>
                </td>
                <td>
                  {c.drafts.length === 0 ? (
                    <span className="muted">—</span>
                  ) : (
                    <ul className="plain-list">
                      {c.drafts.map((d) => (
                        <li key={d.id}>
                          <Link to={`/studio/drafts/${d.id}`}>{t("studio.list.draftLink", { date: d.updatedAt })}</Link>{" "}
                          <StatusBadge status={d.status} />
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section aria-labelledby="new-drafts-heading">
        <h2 id="new-drafts-heading">{t("studio.list.newCases")}</h2>
        {data.newDrafts.length === 0 ? (
          <p>{t("studio.list.noNewCases")}</p>
        ) : (
          <ul className="plain-list">
            {data.newDrafts.map((d) => (
              <li key={d.id}>
                <Link to={`/studio/drafts/${d.id}`}>{d.slug || t("studio.target.untitled")}</Link>{" "}
                <StatusBadge status={d.status} />{" "}
                <span className="muted">
                  {t("studio.list.lastEdited", { name: d.updatedBy ?? "?", date: d.updatedAt })}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </section>
  );
}
