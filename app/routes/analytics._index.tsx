import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { TableScroll } from "~/components/analytics/table-scroll";
import { SUPPRESSED, type Figure } from "~/engine/analytics";
import { localized } from "~/i18n";
import { useTranslation } from "~/i18n/react";
import { listVersionsForAnalytics } from "~/models/analytics.server";
import { versionStatus } from "~/models/studio.server";
import { formatCount, formatMonth } from "~/utils/format";
import { requestI18n } from "~/utils/i18n.server";
import { regulatorScope } from "~/utils/roles";
import { requireRole } from "~/utils/session.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: "/analytics.css" }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Vignette" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const session = await requireRole(request, "author", "admin");
  const { t, locale } = await requestI18n(request, session);
  const versions = await listVersionsForAnalytics(regulatorScope(session.user, "author"));
  // A version fewer than 5 learners played shows "hidden", not counts that could describe one of them.
  const figure = (n: Figure) => (n === SUPPRESSED ? t("analytics.hiddenCell") : formatCount(n, locale));
  return {
    title: `${t("analytics.title")} · Vignette`,
    versions: versions.map((v) => ({
      key: `${v.slug}/${v.version}`,
      slug: v.slug,
      version: v.version,
      title: localized(v.title, locale),
      status: versionStatus(v),
      release: formatMonth(v.release, locale),
      started: figure(v.started),
      completed: figure(v.completed),
      passed: figure(v.passed),
    })),
  };
}

export default function AnalyticsIndex() {
  const { t } = useTranslation();
  const { versions } = useLoaderData<typeof loader>();
  return (
    <section className="analytics">
      <h1>{t("analytics.title")}</h1>
      <p>{t("analytics.intro")}</p>
      {versions.length === 0 ? (
        <p>{t("analytics.list.empty")}</p>
      ) : (
        <TableScroll label={t("analytics.list.caption")}>
          <table>
            <caption className="visually-hidden">{t("analytics.list.caption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("analytics.list.case")}</th>
                <th scope="col">{t("analytics.list.version")}</th>
                <th scope="col">{t("analytics.list.status")}</th>
                <th scope="col">{t("analytics.list.release")}</th>
                <th scope="col" className="num">
                  {t("analytics.list.started")}
                </th>
                <th scope="col" className="num">
                  {t("analytics.list.completed")}
                </th>
                <th scope="col" className="num">
                  {t("analytics.list.passed")}
                </th>
              </tr>
            </thead>
            <tbody>
              {versions.map((v) => (
                <tr key={v.key}>
                  <th scope="row">
                    {v.title} <span className="slug">{`(${v.slug})`}</span>
                  </th>
                  <td>
                    <Link
                      to={`/analytics/${v.slug}/${v.version}`}
                      aria-label={t("analytics.list.versionLinkLabel", { title: v.title, version: v.version })}
                    >
                      {t("analytics.list.versionLink", { version: v.version })}
                    </Link>
                  </td>
                  <td>{t(`analytics.status.${v.status}`)}</td>
                  <td>{v.release}</td>
                  <td className="num">{v.started}</td>
                  <td className="num">{v.completed}</td>
                  <td className="num">{v.passed}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </section>
  );
}
