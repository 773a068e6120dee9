// One assignment's progress: each learner's status, best score, completion date and due-date flag.
// Scores and completion status only: reflections are private to their author and never read here.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { CsrfField } from "~/components/csrf-field";
import { Field, FormAlert } from "~/components/field";
import { StatusText } from "~/components/status-text";
import { dueDate } from "~/forms/educator.server";
import { parseForm, type FieldErrors } from "~/forms/parse";
import { localized } from "~/i18n";
import { useTranslation } from "~/i18n/react";
import {
  dateInputFromDueAt,
  deleteAssignment,
  dueAtFromDateInput,
  getAssignment,
  setDueDate,
} from "~/models/assignment.server";
import { getCohort } from "~/models/cohort.server";
import { cohortProgress } from "~/models/progress.server";
import { cohortTimeZone } from "~/models/regulator-brand.server";
import { assertCsrf } from "~/utils/csrf.server";
import { readForm } from "~/utils/form.server";
import { formatDate, formatPercent } from "~/utils/format";
import { notFound } from "~/utils/http.server";
import { requestI18n } from "~/utils/i18n.server";
import { requireRole } from "~/utils/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Vignette" }];

const schemas = {
  due: z.object({ dueDate }),
} as const;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const session = await requireRole(request, "educator", "admin");
  const { locale } = await requestI18n(request, session);
  const progress = await cohortProgress(session.user, params.cohortId ?? "");
  const report = progress?.reports.find((r) => r.assignment.id === params.assignmentId);
  if (!progress || !report) throw notFound();
  const { assignment } = report;
  const title = localized(assignment.title, locale);
  const percent = (value: number | null) => (value === null ? null : formatPercent(value, locale));
  const timeZone = await cohortTimeZone(progress.cohort);
  return {
    title: `${title} · ${progress.cohort.name} · Vignette`,
    cohort: { id: progress.cohort.id, name: progress.cohort.name },
    assignment: {
      id: assignment.id,
      title,
      kind: assignment.kind,
      pinnedVersion: assignment.pinnedVersion,
      due: assignment.dueAt ? formatDate(assignment.dueAt, locale, timeZone) : null,
      dueInput: assignment.dueAt ? dateInputFromDueAt(assignment.dueAt, timeZone) : "",
      cases: assignment.items.map((i) => ({ caseId: i.caseId, slug: i.slug, title: localized(i.title, locale) })),
    },
    counts: report.counts,
    rows: report.rows.map(({ member, progress: p }) => ({
      id: member.id,
      name: member.name,
      registrationNumber: member.registrationNumber,
      status: p.status,
      overdue: p.overdue,
      late: p.late,
      score: percent(p.score),
      completed: p.completedAt ? formatDate(p.completedAt, locale, timeZone) : null,
      casesPassed: p.casesPassed,
      casesTotal: p.casesTotal,
      cases: p.cases.map((c) => ({ caseId: c.caseId, status: c.status, score: percent(c.bestScore) })),
    })),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const session = await requireRole(request, "educator", "admin");
  const form = await readForm(request);
  assertCsrf(request, form, session);
  const { t } = await requestI18n(request, session);
  const cohortId = params.cohortId ?? "";
  const assignmentId = params.assignmentId ?? "";
  if (!(await getAssignment(session.user, cohortId, assignmentId))) throw notFound();
  const intent = form.get("intent");
  if (intent === "delete") {
    if (!(await deleteAssignment(session.user, cohortId, assignmentId))) throw notFound();
    return redirect(`/educator/cohorts/${cohortId}`);
  }
  if (intent !== "due")
    return data(
      {
        ok: false,
        formError: t("educator.formErrors"),
        fieldErrors: {} as FieldErrors,
        values: {} as Record<string, string>,
        message: null,
      },
      { status: 400 },
    );
  const parsed = parseForm(schemas.due, form);
  if (!parsed.data) {
    return data(
      {
        ok: false,
        formError: t("educator.formErrors"),
        fieldErrors: parsed.errors,
        values: parsed.values,
        message: null,
      },
      { status: 400 },
    );
  }
  // The day typed is a day on the cohort's clock (its regulator's zone).
  const cohort = await getCohort(session.user, cohortId);
  if (!cohort) throw notFound();
  const dueAt = parsed.data.dueDate ? dueAtFromDateInput(parsed.data.dueDate, await cohortTimeZone(cohort)) : null;
  if (!(await setDueDate(session.user, cohortId, assignmentId, dueAt))) throw notFound();
  return data({
    ok: true,
    formError: null,
    fieldErrors: {} as FieldErrors,
    values: {} as Record<string, string>,
    message: t("educator.assignment.dueSaved"),
  });
}

export default function AssignmentProgressPage() {
  const { t } = useTranslation();
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const isModule = d.assignment.kind === "module";
  const none = t("educator.assignment.none");
  return (
    <section>
      <p className="breadcrumb">
        <Link to={`/educator/cohorts/${d.cohort.id}`}>{t("educator.assignment.back", { name: d.cohort.name })}</Link>
      </p>
      <h1>{d.assignment.title}</h1>
      {a?.ok && a.message ? (
        <p role="status" className="notice">
          {a.message}
        </p>
      ) : null}
      <FormAlert message={a?.ok === false ? a.formError : null} />
      <dl className="edu-facts">
        <div>
          <dt>{t("educator.assignment.cohort")}</dt>
          <dd>{d.cohort.name}</dd>
        </div>
        <div>
          <dt>{t("educator.assignment.type")}</dt>
          <dd>{t(`educator.kind.${d.assignment.kind}`)}</dd>
        </div>
        {d.assignment.kind === "case" ? (
          <div>
            <dt>{t("educator.assignment.version")}</dt>
            <dd>
              {d.assignment.pinnedVersion
                ? t("educator.pinnedVersion", { version: d.assignment.pinnedVersion })
                : t("educator.latestVersion")}
            </dd>
          </div>
        ) : null}
        <div>
          <dt>{t("educator.assignment.due")}</dt>
          <dd>{d.assignment.due ?? t("educator.noDueDate")}</dd>
        </div>
        {isModule ? (
          <div>
            <dt>{t("educator.assignment.cases")}</dt>
            <dd>{d.assignment.cases.map((c) => c.title).join(" · ") || none}</dd>
          </div>
        ) : null}
      </dl>

      <h2 id="summary">{t("educator.assignment.summary")}</h2>
      <ul className="edu-counts" aria-labelledby="summary">
        <li>
          {t("educator.assignment.countItem", { label: t("educator.status.not_started"), count: d.counts.not_started })}
        </li>
        <li>
          {t("educator.assignment.countItem", { label: t("educator.status.in_progress"), count: d.counts.in_progress })}
        </li>
        <li>{t("educator.assignment.countItem", { label: t("educator.status.passed"), count: d.counts.passed })}</li>
        <li>{t("educator.assignment.countItem", { label: t("educator.status.failed"), count: d.counts.failed })}</li>
        <li>{t("educator.assignment.countItem", { label: t("educator.status.overdue"), count: d.counts.overdue })}</li>
      </ul>

      {d.rows.length === 0 ? (
        <p>{t("educator.assignment.noLearners")}</p>
      ) : (
        <div className="table-scroll">
          <table className="progress-table">
            <thead>
              <tr>
                <th scope="col">{t("educator.assignment.learner")}</th>
                <th scope="col">{t("educator.assignment.registration")}</th>
                <th scope="col">{t("educator.assignment.status")}</th>
                {isModule ? <th scope="col">{t("educator.assignment.casesPassed")}</th> : null}
                {isModule
                  ? d.assignment.cases.map((c) => (
                      <th scope="col" key={c.caseId}>
                        {c.title}
                      </th>
                    ))
                  : null}
                <th scope="col" className="num">
                  {t("educator.assignment.score")}
                </th>
                <th scope="col">{t("educator.assignment.completed")}</th>
                <th scope="col">{t("educator.assignment.dueStatus")}</th>
              </tr>
            </thead>
            <tbody>
              {d.rows.map((row) => (
                <tr key={row.id}>
                  <th scope="row">{row.name}</th>
                  <td>{row.registrationNumber}</td>
                  <td>
                    <StatusText status={row.status} />
                  </td>
                  {isModule ? (
                    <td>
                      {t("educator.assignment.casesPassedValue", { passed: row.casesPassed, total: row.casesTotal })}
                    </td>
                  ) : null}
                  {isModule
                    ? row.cases.map((c) => (
                        <td key={c.caseId}>
                          <StatusText status={c.status} />
                          {c.score ? <span className="sub">{c.score}</span> : null}
                        </td>
                      ))
                    : null}
                  <td className="num">{row.score ?? none}</td>
                  <td>{row.completed ?? none}</td>
                  <td>
                    {row.overdue ? (
                      <StatusText status="overdue" />
                    ) : row.late ? (
                      <StatusText status="late" />
                    ) : d.assignment.due ? (
                      t("educator.status.onTime")
                    ) : (
                      none
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p>
        <a href={`/educator/cohorts/${d.cohort.id}/progress.csv?assignment=${d.assignment.id}`} download>
          {t("educator.assignment.downloadCsv")}
        </a>
      </p>

      <h2 id="due">{t("educator.assignment.dueTitle")}</h2>
      <Form method="post" className="edu-form inline-fields" aria-labelledby="due" noValidate>
        <CsrfField />
        <input type="hidden" name="intent" value="due" />
        <Field
          name="dueDate"
          type="date"
          label={t("educator.cohort.dueDate")}
          hint={t("educator.cohort.dueDateHint")}
          defaultValue={a?.ok === false ? (a.values.dueDate ?? "") : d.assignment.dueInput}
          error={a?.ok === false ? a.fieldErrors.dueDate : undefined}
        />
        <button type="submit">{t("educator.assignment.dueSubmit")}</button>
      </Form>

      <h2 id="remove-assignment">{t("educator.assignment.deleteTitle")}</h2>
      <Form method="post" className="edu-form danger" aria-labelledby="remove-assignment">
        <CsrfField />
        <input type="hidden" name="intent" value="delete" />
        <p>{t("educator.assignment.deleteHint")}</p>
        <button type="submit" className="danger">
          {t("educator.assignment.deleteSubmit")}
        </button>
      </Form>
    </section>
  );
}
