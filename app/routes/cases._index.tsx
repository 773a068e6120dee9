import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { localized } from "~/i18n";
import { useTranslation } from "~/i18n/react";
import { listPublishedCases } from "~/models/case.server";
import { formatHours, formatMonth } from "~/utils/format";
import { requestI18n } from "~/utils/i18n.server";
import { getCurrentSession } from "~/utils/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Vignette" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const session = await getCurrentSession(request);
  const { t, locale } = await requestI18n(request, session);
  const cases = await listPublishedCases(session?.user.id ?? null);
  return {
    title: `${t("cases.title")} · Vignette`,
    signedIn: Boolean(session),
    cases: cases.map((c) => ({
      slug: c.slug,
      title: localized(c.title, locale),
      summary: localized(c.summary, locale),
      release: formatMonth(c.release, locale),
      creditHours: c.creditHours,
      credit: formatHours(c.creditHours, locale),
      locales: c.locales,
      status: c.status,
    })),
  };
}

export default function Cases() {
  const { t } = useTranslation();
  const { cases, signedIn } = useLoaderData<typeof loader>();
  return (
    <section>
      <h1>{t("cases.title")}</h1>
      <p>{t("cases.intro")}</p>
      {cases.length === 0 ? <p>{t("cases.empty")}</p> : null}
      <ul className="case-list">
        {cases.map((c) => (
          <li key={c.slug} className="case-card">
            <h2>
              <Link to={`/cases/${c.slug}`}>{c.title}</Link>
            </h2>
            <p>{c.summary}</p>
            <dl className="facts">
              <div>
                <dt className="visually-hidden">{t("cases.releaseLabel")}</dt>
                <dd>{t("cases.release", { month: c.release })}</dd>
              </div>
              <div>
                <dt className="visually-hidden">{t("cases.creditLabel")}</dt>
                <dd>{t("cases.credit", { count: c.creditHours, hours: c.credit })}</dd>
              </div>
              <div>
                <dt>{t("cases.languages")}</dt>
                <dd>{c.locales.map((l) => t(`locales.${l}`)).join(", ")}</dd>
              </div>
              {signedIn ? (
                <div>
                  <dt className="visually-hidden">{t("cases.statusLabel")}</dt>
                  <dd className={`status status-${c.status}`}>{t(`cases.status.${c.status}`)}</dd>
                </div>
              ) : null}
            </dl>
          </li>
        ))}
      </ul>
    </section>
  );
}
