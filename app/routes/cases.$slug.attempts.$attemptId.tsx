import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { CaseImage } from "~/components/case-image";
import { CsrfField } from "~/components/csrf-field";
import { Markdown } from "~/components/markdown";
import { brandHandle } from "~/components/site-brand";
import { useTranslation } from "~/i18n/react";
import { attemptView, type AttemptView } from "~/models/attempt-view.server";
import { advanceAttempt, getAttemptForUser } from "~/models/attempt.server";
import { caseImageSizes } from "~/models/case-image.server";
import { registrationWith } from "~/models/registration.server";
import { pageBrand, regulatorBrand } from "~/models/regulator-brand.server";
import { getRegulator, regulatorDisplayName } from "~/models/regulator.server";
import { assertCsrf } from "~/utils/csrf.server";
import { readForm } from "~/utils/form.server";
import { notFound } from "~/utils/http.server";
import { requestI18n } from "~/utils/i18n.server";
import { requireSession } from "~/utils/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Vignette" }];

// The case's regulator brands the header (components/site-brand.tsx).
export const handle = brandHandle;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const session = await requireSession(request);
  // Scoped by the signed-in learner: someone else's attempt id is simply not found.
  const attempt = await getAttemptForUser(params.attemptId ?? "", session.user.id);
  if (!attempt) throw notFound();
  if (attempt.version.slug !== params.slug) throw redirect(`/cases/${attempt.version.slug}/attempts/${attempt.id}`);
  const { t, locale } = await requestI18n(request, session);
  // No record because the learner holds no registration with the case's regulator: the debrief says so.
  const { regulator } = attempt.version;
  const unregisteredWith =
    attempt.status === "completed" &&
    !attempt.completion &&
    (await registrationWith(session.user.id, regulator)) === null
      ? regulatorDisplayName(await getRegulator(regulator), regulator, locale)
      : null;
  const brand = await regulatorBrand(regulator);
  const view = attemptView(
    attempt,
    locale,
    unregisteredWith,
    await caseImageSizes(attempt.version.caseFile),
    brand?.timeZone,
  );
  // "<node or debrief> · <case> · Vignette"; a node without a title of its own leaves its part out.
  const heading = view.completed ? t("debrief.title") : view.node.title;
  return {
    ...view,
    brand: pageBrand(brand, locale),
    title: [heading, view.caseTitle, "Vignette"].filter(Boolean).join(" · "),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const session = await requireSession(request);
  const form = await readForm(request);
  assertCsrf(request, form, session);
  const here = `/cases/${params.slug}/attempts/${params.attemptId}`;
  const field = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" ? value : undefined;
  };
  const result = await advanceAttempt(params.attemptId ?? "", session.user.id, {
    from: field("from") ?? "",
    choiceId: field("choice"),
    reflection: field("reflection"),
  });
  if (!result.ok && result.code === "not-found") throw notFound();
  if (!result.ok && result.code === "invalid") {
    return data({ field: result.field, error: result.message, reflection: field("reflection") ?? "" }, { status: 400 });
  }
  // Advanced or stale (a replayed form): either way, show where the attempt is now.
  return redirect(here);
}

function Progress({ made, total }: { made: number; total: number }) {
  const { t } = useTranslation();
  const label = t("play.progress", { made, total });
  return (
    <div className="progress">
      <progress max={total} value={made} aria-label={label} />
      <span>{label}</span>
    </div>
  );
}

function NodeForm({ view }: { view: AttemptView }) {
  const { t } = useTranslation();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const { node } = view;
  const error = actionData?.error ? t(actionData.error) : null;
  return (
    <Form method="post" className="node-form" noValidate>
      <CsrfField />
      <input type="hidden" name="from" value={node.id} />
      {node.kind === "decision" ? (
        <fieldset aria-describedby={error ? "choice-error" : undefined}>
          <legend>{t("play.choicesLegend")}</legend>
          {node.choices.map((choice) => (
            <label key={choice.id} className="choice">
              <input type="radio" name="choice" value={choice.id} required /> <span>{choice.label}</span>
            </label>
          ))}
          {error ? (
            <p id="choice-error" className="field-error" role="alert">
              {error}
            </p>
          ) : null}
        </fieldset>
      ) : null}
      {node.kind === "reflection" ? (
        <div className="field">
          <label htmlFor="reflection">{t("play.reflectionLabel")}</label>
          <textarea
            id="reflection"
            name="reflection"
            rows={6}
            required
            defaultValue={actionData?.reflection ?? ""}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? "reflection-error" : undefined}
          />
          {error ? (
            <p id="reflection-error" className="field-error" role="alert">
              {error}
            </p>
          ) : null}
        </div>
      ) : null}
      <button type="submit" disabled={busy}>
        {node.kind === "decision"
          ? t("play.choose")
          : node.kind === "reflection"
            ? t("play.saveReflection")
            : t("play.continue")}
      </button>
    </Form>
  );
}

function Debrief({ view }: { view: AttemptView }) {
  const { t } = useTranslation();
  const d = view.debrief;
  if (!d) return null;
  const reason =
    d.reason === "passed"
      ? t("debrief.reasonPassed", { passMark: d.passMark })
      : d.reason === "critical-choice"
        ? t("debrief.reasonCritical", { choices: d.critical.join("; ") })
        : t("debrief.reasonBelow", { passMark: d.passMark });
  return (
    <section aria-labelledby="debrief-heading" className="debrief">
      <h2 id="debrief-heading">{t("debrief.title")}</h2>
      <p className={d.passed ? "result result-pass" : "result result-fail"}>
        <strong>{d.passed ? t("debrief.passed") : t("debrief.failed")}</strong> —{" "}
        {t("debrief.score", { percent: d.score })}
      </p>
      <p>{reason}</p>
      {d.completion ? (
        <div className="completion">
          {d.completion.credited ? (
            <p>{t("debrief.credited", { hours: d.completion.hours })}</p>
          ) : (
            <p>{t("debrief.practice")}</p>
          )}
          {d.completion.certificateCode ? (
            <p>
              <Link to={`/certificates/${d.completion.certificateCode}`}>{t("debrief.certificate")}</Link>
              {" · "}
              <a href={`/certificates/${d.completion.certificateCode}/pdf`} download>
                {t("debrief.downloadPdf")}
              </a>
            </p>
          ) : null}
        </div>
      ) : d.unregisteredWith ? (
        <p className="notice">{t("debrief.practiceUnregistered", { regulator: d.unregisteredWith })}</p>
      ) : null}

      <h3>
        {t("debrief.yourPath")} / {t("debrief.expertPath")}
      </h3>
      <table className="debrief-paths">
        <thead>
          <tr>
            <th scope="col">{t("debrief.decision")}</th>
            <th scope="col">{t("debrief.yourPath")}</th>
            <th scope="col">{t("debrief.expertPath")}</th>
          </tr>
        </thead>
        <tbody>
          {d.rows.map((row) => (
            <tr key={row.nodeId}>
              <th scope="row">{row.prompt}</th>
              <td>
                {row.learner ?? "—"}
                {row.learnerFeedback ? <p className="feedback">{row.learnerFeedback}</p> : null}
              </td>
              <td>
                {row.expert ?? "—"}
                <p className="match">
                  {row.same ? `✓ ${t("debrief.same")}` : row.expert ? `≠ ${t("debrief.different")}` : ""}
                </p>
                {row.expertFeedback ? <p className="feedback">{row.expertFeedback}</p> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <h3>{t("debrief.standards")}</h3>
      <table className="debrief-standards">
        <thead>
          <tr>
            <th scope="col">{t("debrief.clause")}</th>
            <th scope="col">{t("debrief.earned")}</th>
            <th scope="col">{t("debrief.best")}</th>
          </tr>
        </thead>
        <tbody>
          {d.standards.map((s) => (
            <tr key={s.item}>
              <th scope="row">
                {s.code} — {s.title}
              </th>
              <td>{s.earned}</td>
              <td>{s.best}</td>
            </tr>
          ))}
        </tbody>
      </table>

      {d.reflections.length > 0 ? (
        <>
          <h3>{t("debrief.yourReflections")}</h3>
          {d.reflections.map((r) => (
            <figure key={r.nodeId} className="reflection">
              <figcaption>{r.prompt}</figcaption>
              <blockquote>{r.text}</blockquote>
            </figure>
          ))}
        </>
      ) : null}
      <p>
        <Link to={`/cases/${view.slug}`}>{view.caseTitle}</Link>
      </p>
    </section>
  );
}

export default function AttemptPage() {
  const { t } = useTranslation();
  const view = useLoaderData<typeof loader>();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const mounted = useRef(false);
  // Move focus to the new content after each step (not on first load): screen readers hear it.
  useEffect(() => {
    if (mounted.current) headingRef.current?.focus();
    mounted.current = true;
  }, [view.node.id, view.completed]);
  const { node } = view;
  return (
    <article className="player">
      <p className="case-meta">
        <Link to={`/cases/${view.slug}`}>{view.caseTitle}</Link> · {t("play.caseVersion", { version: view.version })} ·{" "}
        {t("cases.attemptRow", { number: view.number })}
      </p>
      <Progress made={view.progress.made} total={view.progress.total} />
      {view.feedback ? (
        <section className="feedback-box" aria-labelledby="feedback-heading">
          <h2 id="feedback-heading">{t("play.feedbackHeading")}</h2>
          <p>{t("play.youChose", { label: view.feedback.label })}</p>
          {view.feedback.text ? <Markdown>{view.feedback.text}</Markdown> : null}
        </section>
      ) : null}
      <section className="node" aria-labelledby="node-heading">
        <h1 id="node-heading" ref={headingRef} tabIndex={-1}>
          {node.kind === "outcome"
            ? t("play.outcomeTitle", { title: node.title ?? "" })
            : (node.title ?? view.caseTitle)}
        </h1>
        <CaseImage image={node.image} />
        {node.body ? <Markdown>{node.body}</Markdown> : null}
        {node.prompt ? <Markdown>{node.prompt}</Markdown> : null}
        {view.completed ? null : <NodeForm view={view} />}
      </section>
      <Debrief view={view} />
    </article>
  );
}
