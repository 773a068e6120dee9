// One cohort: progress per assignment, assigning work, members (invited by email or the invitation
// link; nobody joins without accepting) and settings. Every loader and action is scoped to the
// educator's own cohorts (operators: all); another educator's cohort id reads as 404 and its actions
// are refused the same way. What it shows of a learner is decided by the models (ADR 018).
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { CsrfField } from "~/components/csrf-field";
import { Field, FormAlert, SelectField, TextareaField } from "~/components/field";
import { RowAction } from "~/components/row-action";
import { cohortName, dueDate } from "~/forms/educator.server";
import { formValues, parseForm, type FieldErrors } from "~/forms/parse";
import { i18nKey, localized } from "~/i18n";
import { useTranslation } from "~/i18n/react";
import {
  createAssignment,
  dueAtFromDateInput,
  type AssignmentTarget,
  type CreateAssignmentFailure,
} from "~/models/assignment.server";
import { inviterRegulator, inviteByEmail, listInvitations, revokeInvitation } from "~/models/cohort-invitation.server";
import { deleteCohort, getCohort, regenerateInviteCode, removeMember, renameCohort } from "~/models/cohort.server";
import { listModules, listPublishedCaseChoices } from "~/models/module.server";
import { cohortProgress } from "~/models/progress.server";
import { cohortTimeZone } from "~/models/regulator-brand.server";
import { assertCsrf } from "~/utils/csrf.server";
import { getEnv } from "~/utils/env.server";
import { readForm } from "~/utils/form.server";
import { formatDate } from "~/utils/format";
import { failure, notFound, type FailureMap } from "~/utils/http.server";
import { requestI18n } from "~/utils/i18n.server";
import { logEvent } from "~/utils/log.server";
import { requireRole } from "~/utils/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Vignette" }];

const emailList = z
  .string()
  .transform((value) => value.split(/[\s,;]+/).filter(Boolean))
  .pipe(
    z
      .array(z.email(i18nKey("educator.errors.emails")))
      .min(1, i18nKey("educator.errors.emails"))
      .max(500, i18nKey("educator.errors.emails")),
  );

const schemas = {
  "add-members": z.object({ emails: emailList }),
  "remove-member": z.object({ userId: z.string().min(1) }),
  "revoke-invitation": z.object({
    invitationId: z
      .string({ error: i18nKey("educator.errors.invitation") })
      .min(1, i18nKey("educator.errors.invitation")),
  }),
  assign: z.object({
    target: z
      .string({ error: i18nKey("educator.errors.target") })
      .regex(/^(module:[A-Za-z0-9_-]+|case:\d+:(latest|\d+))$/, i18nKey("educator.errors.target"))
      .transform((v): AssignmentTarget => {
        const [kind, id, version] = v.split(":");
        return kind === "module"
          ? { kind: "module", moduleId: id! }
          : { kind: "case", caseId: Number(id), caseVersionId: version === "latest" ? null : Number(version) };
      }),
    dueDate,
  }),
  "regenerate-invite": z.object({}),
  rename: z.object({ name: cohortName }),
  delete: z.object({ confirm: z.literal("yes", { error: i18nKey("educator.errors.confirm") }) }),
} as const;
type Intent = keyof typeof schemas;
const isIntent = (v: unknown): v is Intent => typeof v === "string" && Object.hasOwn(schemas, v);

// A cohort out of the educator's scope is a thrown 404 (notFound); every other refusal is said on
// the field it is about.
const INVITE_FAILURES: FailureMap<"daily-limit"> = {
  "daily-limit": { status: 400, message: "educator.errors.dailyLimit" },
};
const ASSIGN_FAILURES: FailureMap<Exclude<CreateAssignmentFailure, "not-found">> = {
  "unknown-module": { status: 400, message: "educator.errors.unknownTarget" },
  "unknown-case": { status: 400, message: "educator.errors.unknownTarget" },
  "unknown-version": { status: 400, message: "educator.errors.unknownTarget" },
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  const session = await requireRole(request, "educator", "admin");
  const { locale } = await requestI18n(request, session);
  const [progress, invitations] = await Promise.all([
    cohortProgress(session.user, params.cohortId ?? ""),
    listInvitations(session.user, params.cohortId ?? ""),
  ]);
  if (!progress || !invitations) throw notFound();
  const { cohort, reports } = progress;
  const [modules, cases] = await Promise.all([listModules(), listPublishedCaseChoices()]);
  const origin = getEnv().PUBLIC_URL ?? new URL(request.url).origin;
  // The cohort's dates on its regulator's clock.
  const timeZone = await cohortTimeZone(cohort);
  return {
    title: `${cohort.name} · Vignette`,
    cohort: {
      id: cohort.id,
      name: cohort.name,
      educatorName: cohort.educatorName,
      inviteUrl: new URL(`/invite/${cohort.inviteCode}`, origin).toString(),
    },
    showEducator: cohort.educatorId !== session.user.id,
    members: cohort.members.map((m) => ({
      id: m.id,
      name: m.name,
      email: m.email,
      registrationNumber: m.registrationNumber,
      added: formatDate(m.addedAt, locale, timeZone),
    })),
    invitations: {
      counts: invitations.counts,
      open: invitations.open.map((i) => ({
        id: i.id,
        email: i.email,
        sent: formatDate(i.sentAt, locale, timeZone),
        validUntil: i.expired ? null : formatDate(i.expiresAt, locale, timeZone),
      })),
    },
    assignments: reports.map(({ assignment: a, counts }) => ({
      id: a.id,
      title: localized(a.title, locale),
      kind: a.kind,
      pinnedVersion: a.pinnedVersion,
      due: a.dueAt ? formatDate(a.dueAt, locale, timeZone) : null,
      counts,
    })),
    options: {
      modules: modules.map((m) => ({ id: m.id, title: localized(m.title, locale), count: m.cases.length })),
      cases: cases.map((c) => ({
        caseId: c.caseId,
        title: localized(c.title, locale),
        versions: c.versions.map((v) => ({ id: v.id, version: v.version })),
      })),
    },
  };
}

type ActionResult = {
  intent: Intent | null;
  ok: boolean;
  message?: string | null;
  formError?: string | null;
  fieldErrors?: FieldErrors;
  values?: Record<string, string>;
  limit?: number;
};

export async function action({ request, params }: ActionFunctionArgs) {
  const session = await requireRole(request, "educator", "admin");
  const form = await readForm(request);
  assertCsrf(request, form, session);
  const { t, locale } = await requestI18n(request, session);
  const cohortId = params.cohortId ?? "";
  const cohort = await getCohort(session.user, cohortId);
  if (!cohort) throw notFound();
  const intent = form.get("intent");
  if (!isIntent(intent))
    return data<ActionResult>({ intent: null, ok: false, formError: t("educator.formErrors") }, { status: 400 });
  const invalid = (
    fieldErrors: FieldErrors,
    values: Record<string, string>,
    extra: Partial<ActionResult> = {},
    status = 400,
  ) =>
    data<ActionResult>(
      { intent, ok: false, formError: t("educator.formErrors"), fieldErrors, values, ...extra },
      { status },
    );
  const done = (message: string) => data<ActionResult>({ intent, ok: true, message });
  const actor = session.user;

  switch (intent) {
    case "add-members": {
      const parsed = parseForm(schemas[intent], form);
      if (!parsed.data) return invalid(parsed.errors, parsed.values);
      // Mail goes out in the educator's language unless the address's account has its own.
      const result = await inviteByEmail(actor, cohortId, parsed.data.emails, {
        locale,
        regulator: inviterRegulator(session.user),
      });
      if (!result.ok) {
        if (result.code === "not-found") throw notFound();
        const { status, message } = failure(result.code, INVITE_FAILURES);
        return invalid(
          { emails: message },
          { emails: String(form.get("emails") ?? "") },
          { limit: result.limit },
          status,
        );
      }
      const { invited } = result.value;
      logEvent("cohort.invited", { cohortId, educatorId: actor.id, addresses: invited });
      return done(t("educator.cohort.invited", { count: invited }));
    }
    case "revoke-invitation": {
      const parsed = parseForm(schemas[intent], form);
      if (!parsed.data) return invalid(parsed.errors, parsed.values);
      if (!(await revokeInvitation(actor, cohortId, parsed.data.invitationId))) throw notFound();
      return done(t("educator.cohort.revoked"));
    }
    case "remove-member": {
      const parsed = parseForm(schemas[intent], form);
      if (!parsed.data) return invalid(parsed.errors, parsed.values);
      const member = cohort.members.find((m) => m.id === parsed.data.userId);
      if (!member || !(await removeMember(actor, cohortId, member.id))) throw notFound();
      return done(t("educator.cohort.removed", { name: member.name }));
    }
    case "assign": {
      const parsed = parseForm(schemas[intent], form);
      if (!parsed.data) return invalid(parsed.errors, parsed.values);
      // The day typed is a day on the cohort's clock (its regulator's zone).
      const dueAt = parsed.data.dueDate ? dueAtFromDateInput(parsed.data.dueDate, await cohortTimeZone(cohort)) : null;
      const result = await createAssignment(actor, cohortId, parsed.data.target, dueAt);
      if (!result.ok) {
        if (result.code === "not-found") throw notFound();
        const { status, message } = failure(result.code, ASSIGN_FAILURES);
        return invalid({ target: message }, formValues(form), {}, status);
      }
      return done(t("educator.cohort.assigned"));
    }
    case "regenerate-invite": {
      if (!(await regenerateInviteCode(actor, cohortId))) throw notFound();
      return done(t("educator.cohort.regenerated"));
    }
    case "rename": {
      const parsed = parseForm(schemas[intent], form);
      if (!parsed.data) return invalid(parsed.errors, parsed.values);
      if (!(await renameCohort(actor, cohortId, parsed.data.name))) throw notFound();
      return done(t("educator.cohort.renamed"));
    }
    case "delete": {
      const parsed = parseForm(schemas[intent], form);
      if (!parsed.data) return invalid(parsed.errors, parsed.values);
      if (!(await deleteCohort(actor, cohortId))) throw notFound();
      return redirect("/educator");
    }
  }
}

export default function CohortPage() {
  const { t } = useTranslation();
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const errorsFor = (intent: Intent): FieldErrors => (a?.intent === intent ? (a.fieldErrors ?? {}) : {});
  const valuesFor = (intent: Intent): Record<string, string> => (a?.intent === intent ? (a.values ?? {}) : {});
  const assignErrors = errorsFor("assign");
  const assignValues = valuesFor("assign");
  const memberErrors = errorsFor("add-members");
  const settingsErrors = { ...errorsFor("rename"), ...errorsFor("delete") };

  return (
    <section>
      <p className="breadcrumb">
        <Link to="/educator">{t("educator.cohorts.title")}</Link>
      </p>
      <h1>{d.cohort.name}</h1>
      {d.showEducator ? (
        <p>
          {t("educator.cohorts.educator")}: {d.cohort.educatorName}
        </p>
      ) : null}
      {a?.ok && a.message ? (
        <p role="status" className="notice">
          {a.message}
        </p>
      ) : null}
      <FormAlert message={a?.ok === false ? a.formError : null} />

      <h2 id="progress">{t("educator.cohort.progressTitle")}</h2>
      {d.assignments.length === 0 ? (
        <p>{t("educator.cohort.noAssignments")}</p>
      ) : (
        <>
          <p>{t("educator.cohort.progressIntro")}</p>
          <div className="table-scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t("educator.cohort.assignment")}</th>
                  <th scope="col">{t("educator.cohort.due")}</th>
                  <th scope="col" className="num">
                    {t("educator.status.not_started")}
                  </th>
                  <th scope="col" className="num">
                    {t("educator.status.in_progress")}
                  </th>
                  <th scope="col" className="num">
                    {t("educator.status.passed")}
                  </th>
                  <th scope="col" className="num">
                    {t("educator.status.failed")}
                  </th>
                  <th scope="col" className="num">
                    {t("educator.status.overdue")}
                  </th>
                </tr>
              </thead>
              <tbody>
                {d.assignments.map((row) => (
                  <tr key={row.id}>
                    <th scope="row">
                      <Link
                        to={`/educator/cohorts/${d.cohort.id}/assignments/${row.id}`}
                        aria-label={t("educator.cohort.view", { title: row.title })}
                      >
                        {row.title}
                      </Link>
                      <span className="sub">
                        {t(`educator.kind.${row.kind}`)}
                        {row.kind === "case"
                          ? ` · ${row.pinnedVersion ? t("educator.pinnedVersion", { version: row.pinnedVersion }) : t("educator.latestVersion")}`
                          : null}
                      </span>
                    </th>
                    <td>{row.due ?? t("educator.noDueDate")}</td>
                    <td className="num">{row.counts.not_started}</td>
                    <td className="num">{row.counts.in_progress}</td>
                    <td className="num">{row.counts.passed}</td>
                    <td className="num">{row.counts.failed}</td>
                    <td className="num">{row.counts.overdue}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p>
            <a href={`/educator/cohorts/${d.cohort.id}/progress.csv`} download>
              {t("educator.cohort.downloadCsv")}
            </a>
          </p>
        </>
      )}

      <h2 id="assign">{t("educator.cohort.assignTitle")}</h2>
      <Form method="post" className="edu-form" aria-labelledby="assign" noValidate>
        <CsrfField />
        <input type="hidden" name="intent" value="assign" />
        <SelectField
          name="target"
          label={t("educator.cohort.target")}
          placeholder={t("educator.cohort.targetPlaceholder")}
          defaultValue={assignValues.target}
          error={assignErrors.target}
        >
          {d.options.modules.length > 0 ? (
            <optgroup label={t("educator.cohort.modulesGroup")}>
              {d.options.modules.map((m) => (
                <option key={m.id} value={`module:${m.id}`}>
                  {t("educator.cohort.moduleOption", { title: m.title, count: m.count })}
                </option>
              ))}
            </optgroup>
          ) : null}
          <optgroup label={t("educator.cohort.latestGroup")}>
            {d.options.cases.map((c) => (
              <option key={c.caseId} value={`case:${c.caseId}:latest`}>
                {t("educator.cohort.latestOption", { title: c.title })}
              </option>
            ))}
          </optgroup>
          <optgroup label={t("educator.cohort.pinnedGroup")}>
            {d.options.cases.flatMap((c) =>
              c.versions.map((v) => (
                <option key={v.id} value={`case:${c.caseId}:${v.id}`}>
                  {t("educator.cohort.pinnedOption", { title: c.title, version: v.version })}
                </option>
              )),
            )}
          </optgroup>
        </SelectField>
        <Field
          name="dueDate"
          type="date"
          label={t("educator.cohort.dueDate")}
          hint={t("educator.cohort.dueDateHint")}
          defaultValue={assignValues.dueDate}
          error={assignErrors.dueDate}
        />
        <button type="submit">{t("educator.cohort.assignSubmit")}</button>
      </Form>

      <h2 id="members">{t("educator.cohort.membersTitle")}</h2>
      {d.members.length === 0 ? <p>{t("educator.cohort.membersEmpty")}</p> : <p>{t("educator.cohort.membersIntro")}</p>}
      {d.members.length === 0 ? null : (
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">{t("educator.cohort.memberName")}</th>
                <th scope="col">{t("educator.cohort.memberEmail")}</th>
                <th scope="col">{t("educator.cohort.memberRegistration")}</th>
                <th scope="col">{t("educator.cohort.memberAdded")}</th>
                <th scope="col">{t("educator.cohort.actions")}</th>
              </tr>
            </thead>
            <tbody>
              {d.members.map((m) => (
                <tr key={m.id}>
                  <th scope="row">{m.name}</th>
                  <td>{m.email}</td>
                  <td>{m.registrationNumber}</td>
                  <td>{m.added}</td>
                  <RowAction
                    intent="remove-member"
                    fields={{ userId: m.id }}
                    label={t("educator.cohort.removeLabel", { name: m.name })}
                  >
                    {t("educator.cohort.remove")}
                  </RowAction>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h3 id="add-members">{t("educator.cohort.addTitle")}</h3>
      <Form method="post" className="edu-form" aria-labelledby="add-members" noValidate>
        <CsrfField />
        <input type="hidden" name="intent" value="add-members" />
        <TextareaField
          name="emails"
          label={t("educator.cohort.emails")}
          hint={t("educator.cohort.emailsHint")}
          rows={3}
          required
          defaultValue={valuesFor("add-members").emails ?? ""}
          error={memberErrors.emails}
          errorValues={{ limit: a?.limit ?? 0 }}
        />
        <button type="submit">{t("educator.cohort.addSubmit")}</button>
      </Form>

      <h3 id="invitations">{t("educator.cohort.invitationsTitle")}</h3>
      <p>{t("educator.cohort.invitationsCounts", d.invitations.counts)}</p>
      {d.invitations.open.length === 0 ? (
        <p>{t("educator.cohort.invitationsEmpty")}</p>
      ) : (
        <>
          <p>{t("educator.cohort.invitationsIntro")}</p>
          <div className="table-scroll">
            <table aria-labelledby="invitations">
              <thead>
                <tr>
                  <th scope="col">{t("educator.cohort.invitationEmail")}</th>
                  <th scope="col">{t("educator.cohort.invitationSent")}</th>
                  <th scope="col">{t("educator.cohort.invitationValid")}</th>
                  <th scope="col">{t("educator.cohort.actions")}</th>
                </tr>
              </thead>
              <tbody>
                {d.invitations.open.map((i) => (
                  <tr key={i.id}>
                    <th scope="row">{i.email}</th>
                    <td>{i.sent}</td>
                    <td>{i.validUntil ?? t("educator.cohort.invitationExpired")}</td>
                    <RowAction
                      intent="revoke-invitation"
                      fields={{ invitationId: i.id }}
                      label={t("educator.cohort.revokeLabel", { email: i.email })}
                    >
                      {t("educator.cohort.revoke")}
                    </RowAction>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}

      <h3 id="invite">{t("educator.cohort.inviteTitle")}</h3>
      <p>{t("educator.cohort.inviteIntro")}</p>
      <div className="field">
        <label htmlFor="invite-url">{t("educator.cohort.inviteLabel")}</label>
        <input id="invite-url" type="text" readOnly value={d.cohort.inviteUrl} className="invite-url" />
      </div>
      <Form method="post" className="edu-form">
        <CsrfField />
        <input type="hidden" name="intent" value="regenerate-invite" />
        <p id="regenerate-hint" className="hint">
          {t("educator.cohort.regenerateHint")}
        </p>
        <button type="submit" className="secondary" aria-describedby="regenerate-hint">
          {t("educator.cohort.regenerate")}
        </button>
      </Form>

      <h2 id="settings">{t("educator.cohort.settingsTitle")}</h2>
      <Form method="post" className="edu-form inline-fields" noValidate>
        <CsrfField />
        <input type="hidden" name="intent" value="rename" />
        <Field
          name="name"
          required
          maxLength={120}
          label={t("educator.cohorts.name")}
          defaultValue={valuesFor("rename").name ?? d.cohort.name}
          error={settingsErrors.name}
        />
        <button type="submit">{t("educator.cohort.rename")}</button>
      </Form>
      <h3 id="delete-cohort">{t("educator.cohort.deleteTitle")}</h3>
      <Form method="post" className="edu-form danger" aria-labelledby="delete-cohort" noValidate>
        <CsrfField />
        <input type="hidden" name="intent" value="delete" />
        <p>{t("educator.cohort.deleteHint")}</p>
        <div className="field">
          <label className="checkbox">
            <input
              type="checkbox"
              name="confirm"
              value="yes"
              required
              aria-invalid={settingsErrors.confirm ? true : undefined}
              aria-describedby={settingsErrors.confirm ? "confirm-error" : undefined}
            />{" "}
            {t("educator.cohort.deleteConfirm")}
          </label>
          {settingsErrors.confirm ? (
            <p id="confirm-error" className="field-error">
              {t(settingsErrors.confirm)}
            </p>
          ) : null}
        </div>
        <button type="submit" className="danger">
          {t("educator.cohort.deleteSubmit")}
        </button>
      </Form>
    </section>
  );
}
