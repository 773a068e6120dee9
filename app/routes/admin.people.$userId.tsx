// /admin/people/:userId: one account as an admin sees it, and the changes they may make to it
// (models/admin.server.ts holds every rule). Each form says why; a person outside the admin's
// scope is 404, whichever way the page is reached.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { TableScroll } from "~/components/analytics/table-scroll";
import { CsrfField } from "~/components/csrf-field";
import { FormAlert, TextareaField } from "~/components/field";
import { grantLabel } from "~/components/grant-label";
import { accountSchema, grantSchema, grantValue, revokeSchema } from "~/forms/people";
import { isTranslationKey, localized, type TranslationKey, type Translate } from "~/i18n";
import { useTranslation } from "~/i18n/react";
import {
  deactivateAccount,
  getPerson,
  grantRole,
  personInScope,
  reactivateAccount,
  resetTwoFactor,
  revokeSessions,
  revokeRole,
  sendResetLink,
  type AdminResult,
  type Refusal,
} from "~/models/admin.server";
import { isAuditAction } from "~/models/audit.server";
import { getRegulator, listRegulators } from "~/models/regulator.server";
import { assertCsrf } from "~/utils/csrf.server";
import { readForm } from "~/utils/form.server";
import { DISPLAY_TIME_ZONE, formatZonedDateTime } from "~/utils/format";
import { notFound } from "~/utils/http.server";
import { requestI18n } from "~/utils/i18n.server";
import { requireRole } from "~/utils/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Vignette" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const session = await requireRole(request, "admin");
  const { t, locale } = await requestI18n(request, session);
  const person = await getPerson(session.user, params.userId ?? "");
  if (!person) throw notFound();
  const names = new Map((await listRegulators()).map((r) => [r.id, localized(r.name, locale)]));
  // The account's history on its regulator's clock, the zone named.
  const timeZone = (await getRegulator(person.regulator))?.timeZone ?? DISPLAY_TIME_ZONE;
  return {
    title: `${person.name} · ${t("people.title")} · Vignette`,
    person: {
      id: person.id,
      name: person.name,
      email: person.email,
      registrationNumber: person.registrationNumber,
      regulator: names.get(person.regulator) ?? person.regulator,
      language: t(`people.languages.${person.locale === "fr" ? "fr" : "en"}`),
      status: person.status,
      statusLabel: t(`people.status.${person.status}`),
      twoFactor: person.twoFactor ? t("people.details.twoFactorOn") : t("people.details.twoFactorOff"),
      sessions: person.sessions,
      manageable: person.manageable,
      twoFactorResettable: person.twoFactorResettable,
    },
    grants: person.grants
      .filter((g) => g.role !== "learner")
      .map((g) => ({
        value: grantValue({ role: g.role as "author", regulator: g.regulator }),
        label: grantLabel(t, g, names),
      })),
    grantable: person.grantable.map((g) => ({ value: grantValue(g), label: grantLabel(t, g, names) })),
    history: person.history.map((entry) => ({
      id: entry.id,
      when: formatZonedDateTime(entry.createdAt, locale, timeZone),
      who: entry.actorName ?? t("people.history.system"),
      what: isAuditAction(entry.action) ? t(`studio.audit.actions.${entry.action}`) : entry.action,
      why: historyDetail(t, entry.detail, names),
    })),
  };
}

/** What an entry's detail says, in words: the role changed, and why. */
function historyDetail(t: Translate, detail: unknown, names: ReadonlyMap<string, string>): string {
  const d = (detail ?? {}) as { role?: unknown; regulator?: unknown; reason?: unknown };
  const parts: string[] = [];
  if (typeof d.role === "string" && typeof d.regulator === "string") {
    parts.push(grantLabel(t, { role: d.role as "author", regulator: d.regulator }, names));
  }
  if (typeof d.reason === "string") parts.push(d.reason);
  return parts.join(" — ");
}

type Intent = "grant" | "revoke" | "account";

type ActionData = {
  form: Intent;
  ok: boolean;
  message: string | null;
  fieldError: TranslationKey | null;
  reason: string;
};

/** A refusal's status: not found stays 404 (outside the scope), a rule that refuses is 409, bad choices 400. */
const refusalStatus: Record<Refusal, number> = {
  "not-found": 404,
  "out-of-scope": 400,
  "operator-only": 403,
  "already-held": 409,
  "not-held": 409,
  "own-last-admin": 409,
  "last-operator": 409,
  self: 409,
  closed: 409,
  unchanged: 409,
  "beyond-scope": 403,
  deactivated: 409,
  "own-two-factor": 409,
  "admin-two-factor": 403,
  "no-two-factor": 409,
};

function answer(t: Translate, form: Intent, result: AdminResult<unknown>, done: string) {
  if (result.ok) return data<ActionData>({ form, ok: true, message: done, fieldError: null, reason: "" });
  if (result.code === "not-found") throw notFound();
  return data<ActionData>(
    { form, ok: false, message: t(`people.refusals.${result.code}`), fieldError: null, reason: "" },
    { status: refusalStatus[result.code] },
  );
}

function invalid(form: Intent, issue: string | undefined, reason: FormDataEntryValue | null) {
  const fieldError = issue && isTranslationKey(issue) ? issue : "people.errors.intent";
  return data<ActionData>(
    { form, ok: false, message: null, fieldError, reason: typeof reason === "string" ? reason : "" },
    { status: 400 },
  );
}

export async function action({ request, params }: ActionFunctionArgs) {
  const session = await requireRole(request, "admin");
  const form = await readForm(request);
  assertCsrf(request, form, session);
  const { t } = await requestI18n(request, session);
  const actor = session.user;
  const userId = params.userId ?? "";
  // Outside the scope is 404 before any field is checked.
  if (!(await personInScope(actor, userId))) throw notFound();
  const fields = Object.fromEntries(form);
  const intent = form.get("intent");

  if (intent === "grant") {
    const parsed = grantSchema.safeParse(fields);
    if (!parsed.success) return invalid("grant", parsed.error.issues[0]?.message, form.get("grantReason"));
    const result = await grantRole(actor, userId, parsed.data.grant, { reason: parsed.data.grantReason });
    return answer(t, "grant", result, t("people.done.granted"));
  }
  if (intent === "revoke") {
    const parsed = revokeSchema.safeParse(fields);
    if (!parsed.success) return invalid("revoke", parsed.error.issues[0]?.message, form.get("revokeReason"));
    const result = await revokeRole(actor, userId, parsed.data.revoke, { reason: parsed.data.revokeReason });
    return answer(t, "revoke", result, t("people.done.revoked"));
  }
  const parsed = accountSchema.safeParse(fields);
  if (!parsed.success) return invalid("account", parsed.error.issues[0]?.message, form.get("accountReason"));
  const change = { reason: parsed.data.accountReason };
  switch (parsed.data.intent) {
    case "deactivate": {
      const result = await deactivateAccount(actor, userId, change);
      return answer(
        t,
        "account",
        result,
        t("people.done.deactivated", { count: result.ok ? result.value.sessions : 0 }),
      );
    }
    case "reactivate":
      return answer(t, "account", await reactivateAccount(actor, userId, change), t("people.done.reactivated"));
    case "sessions": {
      const result = await revokeSessions(actor, userId, change);
      return answer(t, "account", result, t("people.done.sessions", { count: result.ok ? result.value.sessions : 0 }));
    }
    case "reset": {
      const result = await sendResetLink(actor, userId, change);
      return answer(t, "account", result, t("people.done.reset", { email: result.ok ? result.value.email : "" }));
    }
    case "two-factor": {
      const result = await resetTwoFactor(actor, userId, change);
      const count = result.ok ? result.value.sessions : 0;
      return answer(t, "account", result, t("people.done.twoFactorReset", { count }));
    }
  }
}

export default function AdminPerson() {
  const { t } = useTranslation();
  const d = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const of = (form: Intent) => (actionData?.form === form ? actionData : undefined);
  const p = d.person;
  const closed = p.status === "closed";
  return (
    <section>
      <p>
        <Link to="/admin/people">{t("people.back")}</Link>
      </p>
      <h1>{p.name}</h1>
      <FormAlert message={actionData?.message} />
      <h2>{t("people.details.heading")}</h2>
      <dl>
        <dt>{t("people.details.email")}</dt>
        <dd>{p.email}</dd>
        <dt>{t("people.details.registrationNumber")}</dt>
        <dd>{p.registrationNumber}</dd>
        <dt>{t("people.details.regulator")}</dt>
        <dd>{p.regulator}</dd>
        <dt>{t("people.details.language")}</dt>
        <dd>{p.language}</dd>
        <dt>{t("people.details.status")}</dt>
        <dd>{p.statusLabel}</dd>
        <dt>{t("people.details.twoFactor")}</dt>
        <dd>{p.twoFactor}</dd>
        <dt>{t("people.details.sessions")}</dt>
        <dd>{p.sessions}</dd>
      </dl>

      <h2>{t("people.rolesHeading")}</h2>
      {d.grants.length > 0 ? (
        <ul>
          {d.grants.map((g) => (
            <li key={g.value}>{g.label}</li>
          ))}
        </ul>
      ) : (
        <p>{t("people.noRoles")}</p>
      )}

      {closed ? <p>{t("people.closedNote")}</p> : null}

      {!closed && d.grantable.length > 0 ? (
        <RoleChangeForm
          intent="grant"
          options={d.grantable}
          sent={of("grant")}
          text={{
            heading: t("people.grantHeading"),
            role: t("people.grantRole"),
            reason: t("people.grantReason"),
            submit: t("people.grantSubmit"),
          }}
        />
      ) : null}

      {!closed && d.grants.length > 0 ? (
        <RoleChangeForm
          intent="revoke"
          options={d.grants}
          sent={of("revoke")}
          text={{
            heading: t("people.revokeHeading"),
            role: t("people.revokeRole"),
            reason: t("people.revokeReason"),
            submit: t("people.revokeSubmit"),
          }}
        />
      ) : null}

      {!closed ? (
        <>
          <h2>{t("people.accountHeading")}</h2>
          {p.manageable ? (
            <Form method="post">
              <CsrfField />
              <TextareaField
                name="accountReason"
                label={t("people.accountReason")}
                hint={p.status === "active" ? t("people.deactivateHint") : undefined}
                required
                minLength={5}
                maxLength={1000}
                defaultValue={of("account")?.reason ?? ""}
                error={of("account")?.fieldError ?? undefined}
              />
              <p>
                {p.status === "active" ? (
                  <button type="submit" name="intent" value="deactivate">
                    {t("people.deactivate")}
                  </button>
                ) : (
                  <button type="submit" name="intent" value="reactivate">
                    {t("people.reactivate")}
                  </button>
                )}
                <button type="submit" name="intent" value="sessions">
                  {t("people.revokeSessions")}
                </button>
                {p.status === "active" ? (
                  <button type="submit" name="intent" value="reset">
                    {t("people.sendReset")}
                  </button>
                ) : null}
                {p.twoFactorResettable ? (
                  <button type="submit" name="intent" value="two-factor" aria-describedby="two-factor-hint">
                    {t("people.resetTwoFactor")}
                  </button>
                ) : null}
              </p>
              {p.twoFactorResettable ? (
                <p id="two-factor-hint" className="hint">
                  {t("people.resetTwoFactorHint")}
                </p>
              ) : null}
            </Form>
          ) : (
            <p>{t("people.beyondScope")}</p>
          )}
        </>
      ) : null}

      <h2>{t("people.history.heading")}</h2>
      {d.history.length === 0 ? (
        <p>{t("people.history.empty")}</p>
      ) : (
        <TableScroll label={t("people.history.heading")}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t("people.history.when")}</th>
                <th scope="col">{t("people.history.who")}</th>
                <th scope="col">{t("people.history.what")}</th>
                <th scope="col">{t("people.history.why")}</th>
              </tr>
            </thead>
            <tbody>
              {d.history.map((h) => (
                <tr key={h.id}>
                  <td>{h.when}</td>
                  <td>{h.who}</td>
                  <td>{h.what}</td>
                  <td>{h.why}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </section>
  );
}

/** Granting and revoking share one form: the role to change and the reason, which the account's history keeps. */
function RoleChangeForm({
  intent,
  options,
  sent,
  text,
}: {
  intent: "grant" | "revoke";
  options: { value: string; label: string }[];
  /** What the last submission of this form kept (the reason typed, the field's error). */
  sent: { reason: string; fieldError: TranslationKey | null } | undefined;
  text: { heading: string; role: string; reason: string; submit: string };
}) {
  return (
    <Form method="post">
      <h3>{text.heading}</h3>
      <CsrfField />
      <input type="hidden" name="intent" value={intent} />
      <div className="field">
        <label htmlFor={intent}>{text.role}</label>
        <select id={intent} name={intent} required>
          {options.map((g) => (
            <option key={g.value} value={g.value}>
              {g.label}
            </option>
          ))}
        </select>
      </div>
      <TextareaField
        name={`${intent}Reason`}
        label={text.reason}
        required
        minLength={5}
        maxLength={1000}
        defaultValue={sent?.reason ?? ""}
        error={sent?.fieldError ?? undefined}
      />
      <button type="submit">{text.submit}</button>
    </Form>
  );
}
