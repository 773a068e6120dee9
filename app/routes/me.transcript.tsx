import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { parseTranscriptRange } from "~/forms/transcript";
import { localized } from "~/i18n";
import { useTranslation } from "~/i18n/react";
import { creditedHours, listCompletions, totalCreditHours } from "~/models/completion.server";
import { regulatorClocks } from "~/models/regulator-brand.server";
import { formatDate, formatHours, formatPercent } from "~/utils/format";
import { requestI18n } from "~/utils/i18n.server";
import { requireSession } from "~/utils/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Vignette" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const session = await requireSession(request);
  const { t, locale } = await requestI18n(request, session);
  const url = new URL(request.url);
  const range = parseTranscriptRange(url.searchParams);
  const fallback = parseTranscriptRange(new URLSearchParams())!;
  const used = range ?? fallback;
  // Always the signed-in learner's own records: there is no user id in this URL to change.
  const completions = await listCompletions(session.user.id, used.from, used.to);
  const query = new URLSearchParams({ from: used.fromInput, to: used.toInput }).toString();
  // Each row on the clock of the regulator it was completed with.
  const clockOf = await regulatorClocks();
  return {
    title: `${t("transcript.title")} · Vignette`,
    invalid: range === null,
    from: used.fromInput,
    to: used.toInput,
    query,
    total: formatHours(totalCreditHours(completions), locale),
    rows: completions.map((c) => ({
      id: c.id,
      date: formatDate(c.completedAt, locale, clockOf(c.regulator)),
      caseTitle: localized(c.caseTitle, locale),
      slug: c.caseSlug,
      version: c.caseVersion,
      score: formatPercent(c.score, locale),
      hours: formatHours(creditedHours(c), locale),
      certificate: c.certificate ? { code: c.certificate.code, revoked: Boolean(c.certificate.revokedAt) } : null,
    })),
  };
}

export default function Transcript() {
  const { t } = useTranslation();
  const d = useLoaderData<typeof loader>();
  return (
    <section>
      <h1>{t("transcript.title")}</h1>
      <p>{t("transcript.intro")}</p>
      <Form method="get" className="range-form">
        <div className="field">
          <label htmlFor="from">{t("transcript.from")}</label>
          <input
            id="from"
            name="from"
            type="date"
            defaultValue={d.from}
            aria-describedby={d.invalid ? "range-error" : undefined}
          />
        </div>
        <div className="field">
          <label htmlFor="to">{t("transcript.to")}</label>
          <input id="to" name="to" type="date" defaultValue={d.to} />
        </div>
        <button type="submit">{t("transcript.filter")}</button>
        {d.invalid ? (
          <p id="range-error" role="alert" className="field-error">
            {t("transcript.invalidRange")}
          </p>
        ) : null}
      </Form>
      {d.rows.length === 0 ? (
        <p>{t("transcript.empty")}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t("transcript.date")}</th>
              <th scope="col">{t("transcript.case")}</th>
              <th scope="col">{t("transcript.version")}</th>
              <th scope="col">{t("transcript.score")}</th>
              <th scope="col">{t("transcript.hours")}</th>
              <th scope="col">{t("transcript.certificate")}</th>
            </tr>
          </thead>
          <tbody>
            {d.rows.map((r) => (
              <tr key={r.id}>
                <td>{r.date}</td>
                <td>{r.caseTitle}</td>
                <td>{r.version}</td>
                <td>{r.score}</td>
                <td>{r.hours}</td>
                <td>
                  {r.certificate ? (
                    <Link to={`/certificates/${r.certificate.code}`}>
                      {r.certificate.revoked ? t("certificate.revoked") : t("certificate.valid")}
                    </Link>
                  ) : (
                    t("transcript.practice")
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="total">{t("transcript.total", { hours: d.total })}</p>
      <p>
        <a href={`/me/transcript.csv?${d.query}`} download>
          {t("transcript.csv")}
        </a>
        {" · "}
        <a href={`/me/transcript.pdf?${d.query}`} download>
          {t("transcript.pdf")}
        </a>
      </p>
    </section>
  );
}
