import { data, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { Bar } from "~/components/analytics/bar";
import { ChoiceChart } from "~/components/analytics/choice-chart";
import { TableScroll } from "~/components/analytics/table-scroll";
import { Markdown } from "~/components/markdown";
import { useTranslation } from "~/i18n/react";
import { analyticsView, loadVersionRequest } from "~/models/analytics.server";
import { formatCount } from "~/utils/format";
import { notFound } from "~/utils/http.server";
import { requestI18n } from "~/utils/i18n.server";
import { regulatorScope } from "~/utils/roles";
import { requireRole } from "~/utils/session.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: "/analytics.css" }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Vignette" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const session = await requireRole(request, "author", "admin");
  const url = new URL(request.url);
  const found = await loadVersionRequest(
    params.slug,
    params.version,
    url.searchParams,
    regulatorScope(session.user, "author"),
  );
  if (!found.found) throw notFound();
  const { t, locale } = await requestI18n(request, session);
  const { filter, report, version, cohorts } = found;
  const view = report ? await analyticsView(report, version, locale) : null;
  const query = new URLSearchParams(Object.entries(filter.inputs).filter(([, value]) => value !== "")).toString();
  const heading = t("analytics.version.title", { title: view?.caseTitle ?? params.slug });
  return data(
    {
      title: `${heading} · Vignette`,
      slug: params.slug!,
      version: version.version,
      inputs: filter.inputs,
      error: filter.ok ? null : filter.error,
      cohorts: cohorts.map((c) => ({
        id: c.id,
        name: c.name,
        members: c.members,
        membersText: formatCount(c.members, locale),
      })),
      csvHref: `/analytics/${params.slug}/${version.version}.csv${query ? `?${query}` : ""}`,
      view,
    },
    { status: filter.ok ? 200 : 400, headers: { "Cache-Control": "private, no-store" } },
  );
}

function Filters() {
  const { t } = useTranslation();
  const d = useLoaderData<typeof loader>();
  const errorId = d.error ? "filter-error" : undefined;
  return (
    <Form method="get" className="analytics-filters">
      <fieldset>
        <legend>{t("analytics.filters.legend")}</legend>
        <p id="date-hint" className="hint">
          {t("analytics.filters.dateHint")}
        </p>
        <div className="filter-fields">
          <div className="field">
            <label htmlFor="from">{t("analytics.filters.from")}</label>
            <input
              id="from"
              name="from"
              type="date"
              defaultValue={d.inputs.from}
              aria-describedby={["date-hint", d.error === "invalidDates" ? errorId : null].filter(Boolean).join(" ")}
              aria-invalid={d.error === "invalidDates" ? true : undefined}
            />
          </div>
          <div className="field">
            <label htmlFor="to">{t("analytics.filters.to")}</label>
            <input
              id="to"
              name="to"
              type="date"
              defaultValue={d.inputs.to}
              aria-describedby={["date-hint", d.error === "invalidDates" ? errorId : null].filter(Boolean).join(" ")}
              aria-invalid={d.error === "invalidDates" ? true : undefined}
            />
          </div>
          <div className="field">
            <label htmlFor="cohort">{t("analytics.filters.cohort")}</label>
            <select
              id="cohort"
              name="cohort"
              defaultValue={d.inputs.cohort}
              aria-describedby={d.error === "unknownCohort" ? errorId : undefined}
              aria-invalid={d.error === "unknownCohort" ? true : undefined}
            >
              <option value="">{t("analytics.filters.allCohorts")}</option>
              {d.cohorts.map((c) => (
                <option key={c.id} value={c.id}>
                  {t("analytics.filters.cohortOption", { name: c.name, count: c.members })}
                </option>
              ))}
            </select>
          </div>
          <div className="filter-actions">
            <button type="submit">{t("analytics.filters.apply")}</button>
            <Link to={`/analytics/${d.slug}/${d.version}`}>{t("analytics.filters.clear")}</Link>
          </div>
        </div>
        {d.error ? (
          <p id="filter-error" role="alert" className="field-error">
            {t(`analytics.filters.${d.error}`)}
          </p>
        ) : null}
      </fieldset>
    </Form>
  );
}

type View = NonNullable<ReturnType<typeof useLoaderData<typeof loader>>["view"]>;

function Funnel({ view }: { view: View }) {
  const { t } = useTranslation();
  const f = view.funnel;
  return (
    <section aria-labelledby="funnel-heading" className="analytics-section">
      <h2 id="funnel-heading">{t("analytics.funnel.heading")}</h2>
      <TableScroll label={t("analytics.funnel.caption")}>
        <table className="chart-table funnel">
          <caption className="visually-hidden">{t("analytics.funnel.caption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("analytics.funnel.stage")}</th>
              <th scope="col" className="num">
                {t("analytics.funnel.attempts")}
              </th>
              <th scope="col" className="num">
                {t("analytics.funnel.share")}
              </th>
              <th scope="col" className="chart-col">
                <span className="visually-hidden">{t("analytics.funnel.chart")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {f.stages.map((s) => (
              <tr key={s.stage}>
                <th scope="row">{t(`analytics.funnel.${s.stage}`)}</th>
                <td className="num">{s.countText}</td>
                <td className="num">{s.shareText}</td>
                <td className="chart-col">{typeof s.fraction === "number" ? <Bar fraction={s.fraction} /> : null}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      <dl className="figures">
        <div>
          <dt>{t("analytics.funnel.learners")}</dt>
          <dd>{f.learnersText}</dd>
        </div>
        <div>
          <dt>{t("analytics.funnel.meanScore")}</dt>
          <dd>{f.meanScore ?? t("analytics.funnel.none")}</dd>
        </div>
        <div>
          <dt>{t("analytics.funnel.medianTime")}</dt>
          <dd>
            {f.medianTime ?? t("analytics.funnel.none")}
            <p className="hint">{t("analytics.funnel.medianTimeNote")}</p>
          </dd>
        </div>
      </dl>
    </section>
  );
}

function Decisions({ view }: { view: View }) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="choices-heading" className="analytics-section">
      <h2 id="choices-heading">{t("analytics.choices.heading")}</h2>
      <p>{t("analytics.choices.intro")}</p>
      {view.decisions.map((d) => (
        <section key={d.nodeId} aria-labelledby={`decision-${d.nodeId}`} className="decision">
          <h3 id={`decision-${d.nodeId}`}>
            {t("analytics.choices.decision", { number: d.number })}
            {d.title ? ` — ${d.title}` : null}
          </h3>
          <div className="decision-prompt">
            <Markdown>{d.prompt}</Markdown>
          </div>
          <p className="decision-summary">
            {typeof d.responses === "number"
              ? t("analytics.choices.responses", { count: d.responses, formatted: d.responsesText })
              : t("analytics.choices.responsesHidden", { threshold: view.smallThreshold })}{" "}
            {d.expertShareText ? t("analytics.choices.expertShare", { percent: d.expertShareText }) : null}
          </p>
          {d.onExpertPath ? null : <p className="hint">{t("analytics.choices.offPath")}</p>}
          <ChoiceChart decision={d} />
        </section>
      ))}
    </section>
  );
}

function Standards({ view }: { view: View }) {
  const { t } = useTranslation();
  const s = view.standards;
  return (
    <section aria-labelledby="standards-heading" className="analytics-section">
      <h2 id="standards-heading">{t("analytics.standards.heading")}</h2>
      {!s.any ? (
        <p>{t("analytics.standards.none")}</p>
      ) : (
        <>
          <p>
            {typeof s.scored === "number"
              ? t("analytics.standards.intro", { count: s.scored })
              : t("analytics.standards.introHidden")}
          </p>
          <p>
            {typeof s.learnersScored === "number"
              ? t("analytics.standards.firstIntro", { count: s.learnersScored })
              : t("analytics.standards.firstIntroHidden")}
          </p>
          <TableScroll label={t("analytics.standards.caption")}>
            <table className="chart-table standards">
              <caption className="visually-hidden">{t("analytics.standards.caption")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("analytics.standards.clause")}</th>
                  <th scope="col" className="num">
                    {t("analytics.standards.mean")}
                  </th>
                  <th scope="col" className="num">
                    {t("analytics.standards.best")}
                  </th>
                  <th scope="col" className="num">
                    {t("analytics.standards.ratio")}
                  </th>
                  <th scope="col" className="num">
                    {t("analytics.standards.firstMean")}
                  </th>
                  <th scope="col" className="num">
                    {t("analytics.standards.firstRatio")}
                  </th>
                  <th scope="col" className="chart-col">
                    <span className="visually-hidden">{t("analytics.standards.chart")}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {s.rows.map((row) => (
                  <tr key={row.item}>
                    <th scope="row">
                      {row.code} — {row.title}
                    </th>
                    <td className="num">{row.meanText}</td>
                    <td className="num">{row.bestText}</td>
                    <td className="num">{row.ratioText}</td>
                    <td className="num">{row.firstMeanText}</td>
                    <td className="num">{row.firstRatioText}</td>
                    <td className="chart-col">{typeof row.ratio === "number" ? <Bar fraction={row.ratio} /> : null}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        </>
      )}
    </section>
  );
}

export default function VersionAnalytics() {
  const { t } = useTranslation();
  const d = useLoaderData<typeof loader>();
  const view = d.view;
  return (
    <article className="analytics">
      <p>
        <Link to="/analytics">{t("analytics.version.back")}</Link>
      </p>
      <h1>{t("analytics.version.title", { title: view?.caseTitle ?? d.slug })}</h1>
      {view ? (
        <p className="case-meta">
          {t("analytics.version.meta", {
            version: view.version,
            status: t(`analytics.status.${view.status}`),
            release: view.release,
          })}
        </p>
      ) : null}
      <Filters />
      {view ? (
        <>
          {view.suppressed ? (
            <p className="notice notice-small" role="note">
              {t("analytics.suppressed", { threshold: view.smallThreshold })}
            </p>
          ) : (
            <>
              {view.partlyHidden ? (
                <p className="notice notice-small" role="note">
                  {t("analytics.partlyHidden", { threshold: view.smallThreshold })}
                </p>
              ) : null}
              <Funnel view={view} />
              <Decisions view={view} />
              <Standards view={view} />
            </>
          )}
          <p className="csv-link">
            <a href={d.csvHref} download>
              {t("analytics.csv")}
            </a>
            <br />
            <span className="hint">{t("analytics.csvNote")}</span>
          </p>
        </>
      ) : null}
    </article>
  );
}
