// The regulator's QA report: per CE cycle, every registrant with their hours, for registrars (their
// own regulator only, see reportScope) and admins (any regulator). Filters are a GET form, so the
// page and its download links work without JavaScript.
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { TableScroll } from "~/components/analytics/table-scroll";
import { Field } from "~/components/field";
import { localized } from "~/i18n";
import { useTranslation } from "~/i18n/react";
import { ceSettings, openReport, qaReport } from "~/models/qa-report.server";
import { listRegulators } from "~/models/regulator.server";
import { recentCycles } from "~/utils/ce-cycle";
import { formatCalendarDay, formatCount, formatHours } from "~/utils/format";
import { requestI18n } from "~/utils/i18n.server";
import { qaFailure, readQaQuery } from "~/utils/qa-request.server";
import { inScope, regulatorScope } from "~/utils/roles";
import { requireRole } from "~/utils/session.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: "/registrar.css" }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Vignette" }];

/** How many past cycles the cycle filter offers (six years of records are kept). */
const CYCLES_OFFERED = 6;

export async function loader({ request }: LoaderFunctionArgs) {
  const session = await requireRole(request, "registrar", "admin");
  const { t, locale } = await requestI18n(request, session);
  const query = readQaQuery(new URL(request.url), t);
  const opened = await openReport(session.user, query);
  if (!opened.ok) throw qaFailure(opened.code, t);
  const { profile, cycle, mayChoose } = opened.value;
  const report = await qaReport(profile, cycle, query.filters, locale);
  const cycles = recentCycles(new Date(), ceSettings(profile), profile.timeZone, CYCLES_OFFERED);
  if (!cycles.some((c) => c.start === cycle.start)) cycles.push(cycle);
  const regulators = mayChoose
    ? (await listRegulators())
        .filter((r) => inScope(regulatorScope(session.user, "registrar"), r.id))
        .map((r) => ({ id: r.id, name: localized(r.name, locale) }))
    : [];
  const params = new URLSearchParams({ regulator: profile.id, cycle: cycle.start, status: query.filters.status });
  if (query.filters.q) params.set("q", query.filters.q);
  return {
    title: `${t("registrar.title")} · Vignette`,
    mayChoose,
    regulatorId: profile.id,
    regulatorName: report.regulator.name,
    regulators,
    cycle: { start: cycle.start, end: cycle.end, timeZone: cycle.timeZone },
    cycles: cycles.map((c) => ({
      start: c.start,
      label: t("registrar.filters.cycleOption", {
        start: formatCalendarDay(c.start, locale),
        end: formatCalendarDay(c.end, locale),
      }),
    })),
    filters: query.filters,
    summary: t("registrar.summary", {
      start: formatCalendarDay(cycle.start, locale),
      end: formatCalendarDay(cycle.end, locale),
      timeZone: cycle.timeZone,
      meeting: formatCount(report.meeting, locale),
      total: formatCount(report.total, locale),
      required: formatHours(report.requiredHours, locale),
      shown: formatCount(report.registrants.length, locale),
    }),
    rows: report.registrants.map((r) => ({
      key: r.userId,
      name: r.learnerName,
      registrationNumber: r.registrationNumber,
      hours: formatHours(r.hours, locale),
      required: formatHours(r.requiredHours, locale),
      cases: formatCount(r.casesPassed, locale),
      meets: r.meets,
    })),
    exportQuery: params.toString(),
  };
}

export default function RegistrarReport() {
  const { t } = useTranslation();
  const d = useLoaderData<typeof loader>();
  const kinds = ["registrants", "completions"] as const;
  const formats = ["csv", "xlsx", "json"] as const;
  return (
    <section className="qa-report">
      <h1>{t("registrar.title")}</h1>
      <p>{t("registrar.intro")}</p>
      {d.mayChoose ? null : <p>{t("registrar.scope", { regulator: d.regulatorName })}</p>}
      <Form method="get" className="range-form">
        {d.mayChoose ? (
          <div className="field">
            <label htmlFor="regulator">{t("registrar.filters.regulator")}</label>
            <select id="regulator" name="regulator" defaultValue={d.regulatorId}>
              {d.regulators.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.name}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        <div className="field">
          <label htmlFor="cycle">{t("registrar.filters.cycle")}</label>
          <select id="cycle" name="cycle" defaultValue={d.cycle.start}>
            {d.cycles.map((c) => (
              <option key={c.start} value={c.start}>
                {c.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="status">{t("registrar.filters.status")}</label>
          <select id="status" name="status" defaultValue={d.filters.status}>
            <option value="all">{t("registrar.filters.statusAll")}</option>
            <option value="meets">{t("registrar.filters.statusMeets")}</option>
            <option value="short">{t("registrar.filters.statusShort")}</option>
          </select>
        </div>
        <Field
          name="q"
          type="search"
          label={t("registrar.filters.search")}
          defaultValue={d.filters.q}
          maxLength={200}
        />
        <button type="submit">{t("registrar.filters.apply")}</button>
      </Form>
      <p role="status">{d.summary}</p>
      {d.rows.length === 0 ? (
        <p>{t("registrar.table.empty")}</p>
      ) : (
        <TableScroll label={t("registrar.table.scrollLabel")}>
          <table>
            <caption className="visually-hidden">{t("registrar.table.caption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("registrar.table.name")}</th>
                <th scope="col">{t("registrar.table.registration")}</th>
                <th scope="col" className="num">
                  {t("registrar.table.hours")}
                </th>
                <th scope="col" className="num">
                  {t("registrar.table.required")}
                </th>
                <th scope="col" className="num">
                  {t("registrar.table.cases")}
                </th>
                <th scope="col">{t("registrar.table.meets")}</th>
              </tr>
            </thead>
            <tbody>
              {d.rows.map((r) => (
                <tr key={r.key}>
                  <th scope="row">{r.name}</th>
                  <td>{r.registrationNumber}</td>
                  <td className="num">{r.hours}</td>
                  <td className="num">{r.required}</td>
                  <td className="num">{r.cases}</td>
                  <td>{r.meets ? t("registrar.table.yes") : t("registrar.table.no")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <section className="qa-downloads" aria-labelledby="qa-downloads">
        <h2 id="qa-downloads">{t("registrar.downloads.heading")}</h2>
        <p>{t("registrar.downloads.audited")}</p>
        {kinds.map((kind) => (
          <div key={kind}>
            <h3>{t(`registrar.downloads.${kind}`)}</h3>
            <ul>
              {formats.map((format) => (
                <li key={format}>
                  <a
                    href={`/registrar/export?${d.exportQuery}&kind=${kind}&format=${format}`}
                    download
                    aria-label={t("registrar.downloads.linkLabel", {
                      what: t(`registrar.downloads.${kind}`),
                      format: t(`registrar.downloads.${format}`),
                    })}
                  >
                    {t(`registrar.downloads.${format}`)}
                  </a>
                </li>
              ))}
            </ul>
          </div>
        ))}
      </section>
    </section>
  );
}
