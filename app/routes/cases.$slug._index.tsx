import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { CsrfField } from "~/components/csrf-field";
import { FormAlert } from "~/components/field";
import { Markdown } from "~/components/markdown";
import { brandHandle } from "~/components/site-brand";
import { localized } from "~/i18n";
import { useTranslation } from "~/i18n/react";
import { listAttemptsForCase, mayStartAnother, startAttempt, versionForLearner } from "~/models/attempt.server";
import { getParsedVersion, learnerCaseStatus } from "~/models/case.server";
import { registrationWith } from "~/models/registration.server";
import { pageBrand, regulatorBrand } from "~/models/regulator-brand.server";
import { getRegulator, regulatorDisplayName } from "~/models/regulator.server";
import { assertCsrf } from "~/utils/csrf.server";
import { readForm } from "~/utils/form.server";
import { formatDate, formatHours, formatMonth, formatPercent } from "~/utils/format";
import { notFound } from "~/utils/http.server";
import { requestI18n } from "~/utils/i18n.server";
import { getCurrentSession, requireSession } from "~/utils/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Vignette" }];

// The case's regulator brands the header (components/site-brand.tsx).
export const handle = brandHandle;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const session = await getCurrentSession(request);
  const { locale } = await requestI18n(request, session);
  // The version this learner would play (their cohort may be pinned to an older one).
  const current = await versionForLearner(session?.user.id ?? null, params.slug ?? "");
  const version = current ? await getParsedVersion(current.id) : null;
  if (!current || !version) throw notFound();
  const { caseFile } = version;

  const attempts = session ? await listAttemptsForCase(session.user.id, current.caseId) : [];
  const open = attempts.find((a) => a.status === "in_progress");
  const credited = attempts.find((a) => a.completion && a.completion.creditHours > 0);
  const max = current.maxAttempts;
  const title = localized(caseFile.title, locale);
  // Credit goes through a registration with the case's regulator: without one, it is practice.
  const practiceOnly = session ? (await registrationWith(session.user.id, version.regulator)) === null : false;
  const regulatorName = regulatorDisplayName(await getRegulator(version.regulator), version.regulator, locale);
  const brand = await regulatorBrand(version.regulator);
  return {
    title: `${title} · Vignette`,
    slug: version.slug,
    caseTitle: title,
    summary: localized(caseFile.summary, locale),
    release: formatMonth(caseFile.release, locale),
    creditHours: caseFile.credit.hours,
    credit: formatHours(caseFile.credit.hours, locale),
    passMark: formatPercent(caseFile.passMark, locale),
    signedIn: Boolean(session),
    practiceOnly,
    regulatorName,
    brand: pageBrand(brand, locale),
    openAttemptId: open?.id ?? null,
    canStart: !open && mayStartAnother(attempts.length, max),
    maxAttempts: max,
    used: attempts.length,
    passedOn: credited?.completion ? formatDate(credited.completion.completedAt, locale, brand?.timeZone) : null,
    attempts: attempts.map((a) => ({
      id: a.id,
      number: a.number,
      status: learnerCaseStatus([a]),
      score: a.score === null ? null : formatPercent(a.score, locale),
      credited: Boolean(a.completion && a.completion.creditHours > 0),
    })),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const session = await requireSession(request);
  assertCsrf(request, await readForm(request), session);
  const slug = params.slug ?? "";
  const result = await startAttempt(session.user.id, slug);
  if (result.ok) return redirect(`/cases/${slug}/attempts/${result.value.attemptId}`);
  if (result.code === "not-found") throw notFound();
  const { t } = await requestI18n(request, session);
  return data({ formError: t("cases.noAttemptsLeft", { max: result.maxAttempts }) }, { status: 409 });
}

export default function CaseOverview() {
  const { t } = useTranslation();
  const c = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <article>
      <h1>{c.caseTitle}</h1>
      <Markdown>{c.summary}</Markdown>
      <ul className="facts-inline">
        <li>{t("cases.release", { month: c.release })}</li>
        <li>{t("cases.credit", { count: c.creditHours, hours: c.credit })}</li>
        <li>{t("cases.passMark", { percent: c.passMark })}</li>
      </ul>
      <FormAlert message={actionData?.formError} />
      {!c.signedIn ? (
        <p>
          <Link to={`/login?redirectTo=/cases/${c.slug}`}>{t("cases.signInToPlay")}</Link>
        </p>
      ) : (
        <>
          {c.practiceOnly ? (
            <p className="notice" role="note">
              {t("cases.practiceOnly", { regulator: c.regulatorName })}
            </p>
          ) : null}
          {c.passedOn ? <p>{t("cases.alreadyPassed", { date: c.passedOn })}</p> : null}
          <p>
            {c.maxAttempts === null
              ? t("cases.attemptsUnlimited", { used: c.used })
              : t("cases.attemptsUsed", { used: c.used, max: c.maxAttempts })}
          </p>
          {c.openAttemptId ? (
            <p>
              <Link className="button" to={`/cases/${c.slug}/attempts/${c.openAttemptId}`}>
                {t("cases.resume")}
              </Link>
            </p>
          ) : c.canStart ? (
            <Form method="post">
              <CsrfField />
              {/* Only after a pass is another attempt practice; after a fail it can still earn credit. */}
              <button type="submit">
                {t(c.passedOn ? "cases.replay" : c.used > 0 ? "cases.tryAgain" : "cases.start")}
              </button>
            </Form>
          ) : (
            <p role="status">{t("cases.noAttemptsLeft", { max: c.maxAttempts })}</p>
          )}
          {c.attempts.length > 0 ? (
            <section>
              <h2>{t("cases.yourAttempts")}</h2>
              <ul>
                {c.attempts.map((a) => (
                  <li key={a.id}>
                    <Link to={`/cases/${c.slug}/attempts/${a.id}`}>{t("cases.attemptRow", { number: a.number })}</Link>
                    {" — "}
                    {t(`cases.status.${a.status}`)}
                    {a.score ? ` (${a.score})` : ""}
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
        </>
      )}
    </article>
  );
}
