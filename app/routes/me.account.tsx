import {
  data,
  redirect,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { CurrentPasswordField } from "~/components/auth-fields";
import { CloseAccountForm } from "~/components/close-account";
import { CsrfField } from "~/components/csrf-field";
import { Field, FormAlert } from "~/components/field";
import { emailChangeSchema, passwordChangeSchema, profileSchema } from "~/forms/auth";
import { parseForm, type FieldErrors } from "~/forms/parse";
import { i18nKey, locales, type Translate } from "~/i18n";
import { useTranslation } from "~/i18n/react";
import { emailStatus, requestEmailChange, sendVerificationAgain } from "~/models/email-change.server";
import { retentionYearsOf } from "~/models/regulator.server";
import { mayUseTwoFactor, twoFactorStatus } from "~/models/two-factor.server";
import { changePassword, updateProfile } from "~/models/user.server";
import { confirmCurrentPassword, retryAfterHeaders } from "~/utils/auth.server";
import { assertCsrf } from "~/utils/csrf.server";
import { readForm } from "~/utils/form.server";
import { requestI18n } from "~/utils/i18n.server";
import { localeCookie } from "~/utils/locale.server";
import { requireSession, startSession, type CurrentSession } from "~/utils/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Vignette" }];

export const headers: HeadersFunction = retryAfterHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  const session = await requireSession(request);
  const { t } = await requestI18n(request, session);
  const query = new URL(request.url).searchParams;
  const changed = query.get("changed") === "1";
  const saved = query.get("saved");
  return {
    title: `${t("auth.accountTitle")} · Vignette`,
    changed,
    saved: saved === "profile" || saved === "email" || saved === "resent" ? saved : null,
    profile: { name: session.user.name, locale: session.user.locale, email: session.user.email },
    email: await emailStatus(session.user.id),
    twoFactorOff: new URL(request.url).searchParams.get("twoFactor") === "off",
    twoFactor: mayUseTwoFactor(session.user) ? await twoFactorStatus(session.user.id) : null,
    retentionYears: await retentionYearsOf(session.user.regulator),
  };
}

type Intent = "password" | "profile" | "email" | "resend";

/** What a refused form shows: which form it was, its message, its fields' errors and what was typed. */
const refused = (intent: Intent, formError: string, fieldErrors: FieldErrors, init: ResponseInit, values = {}) =>
  data({ intent, formError, fieldErrors, values: values as Record<string, string> }, init);

const waitMinutes = (ms: number) => Math.max(1, Math.ceil(ms / 60_000));
const throttledInit = (ms: number) => ({ status: 429, headers: { "Retry-After": String(Math.ceil(ms / 1000)) } });

/** Name and language (no password: neither opens the account to anyone); the page switches language at once. */
async function saveProfile(session: CurrentSession, form: FormData, t: Translate) {
  const parsed = parseForm(profileSchema, form);
  if (!parsed.data) return refused("profile", t("auth.formErrors"), parsed.errors, { status: 400 }, parsed.values);
  const saved = await updateProfile(session.user.id, parsed.data);
  if (!saved.ok) {
    return refused("profile", t("auth.formErrors"), { name: i18nKey("profile.portalName") }, { status: 400 });
  }
  throw redirect("/me/account?saved=profile", {
    headers: { "Set-Cookie": await localeCookie.serialize(parsed.data.locale) },
  });
}

/** A new address: the current password first (throttled like a sign-in), then the link to the new inbox. */
async function startEmailChange(session: CurrentSession, form: FormData, request: Request, t: Translate) {
  const parsed = parseForm(emailChangeSchema, form);
  const values = { newEmail: String(form.get("newEmail") ?? "") };
  if (!parsed.data) return refused("email", t("auth.formErrors"), parsed.errors, { status: 400 }, values);
  const confirmed = await confirmCurrentPassword(session.user, parsed.data.emailPassword, request, t);
  if (!confirmed.ok && confirmed.throttled) {
    const { formError, init } = confirmed.throttled;
    return refused("email", formError, {}, init, values);
  }
  if (!confirmed.ok) {
    return refused(
      "email",
      t("auth.formErrors"),
      { emailPassword: i18nKey("auth.wrongCurrent") },
      { status: 400 },
      values,
    );
  }
  const started = await requestEmailChange(session.user.id, parsed.data.newEmail);
  if (!started.ok && started.code === "throttled") {
    const ms = started.retryAfterMs;
    return refused("email", t("profile.changeThrottled", { minutes: waitMinutes(ms) }), {}, throttledInit(ms), values);
  }
  if (!started.ok) {
    const error = started.code === "same" ? i18nKey("profile.errors.sameEmail") : i18nKey("profile.portalEmail");
    return refused("email", t("auth.formErrors"), { newEmail: error }, { status: 400 }, values);
  }
  throw redirect("/me/account?saved=email");
}

async function sendAgain(session: CurrentSession, t: Translate) {
  const sent = await sendVerificationAgain(session.user.id);
  if (!sent.ok && sent.code === "throttled") {
    const ms = sent.retryAfterMs;
    return refused("resend", t("profile.againThrottled", { minutes: waitMinutes(ms) }), {}, throttledInit(ms));
  }
  if (!sent.ok) return refused("resend", t("profile.alreadyVerified"), {}, { status: 409 });
  throw redirect("/me/account?saved=resent");
}

export async function action({ request }: ActionFunctionArgs) {
  const session = await requireSession(request);
  const form = await readForm(request);
  assertCsrf(request, form, session);
  const { t } = await requestI18n(request, session);
  const intent = form.get("intent");
  if (intent === "profile") return saveProfile(session, form, t);
  if (intent === "email") return startEmailChange(session, form, request, t);
  if (intent === "resend") return sendAgain(session, t);
  const parsed = parseForm(passwordChangeSchema, form);
  if (!parsed.data) return refused("password", t("auth.formErrors"), parsed.errors, { status: 400 });
  const confirmed = await confirmCurrentPassword(session.user, parsed.data.currentPassword, request, t);
  if (!confirmed.ok && confirmed.throttled) {
    const { formError, init } = confirmed.throttled;
    return refused("password", formError, {}, init);
  }
  if (!confirmed.ok) {
    return refused(
      "password",
      t("auth.formErrors"),
      { currentPassword: i18nKey("auth.wrongCurrent") },
      { status: 400 },
    );
  }
  // Every session of this user ends here, this one too: this browser goes on with a new session id,
  // so an id that leaked before the change (a shared computer, a log) is worth nothing after it.
  await changePassword(session.user.id, parsed.data.newPassword);
  throw redirect("/me/account?changed=1", { headers: { "Set-Cookie": await startSession(session.user.id) } });
}

export default function Account() {
  const { t } = useTranslation();
  const { changed, email, profile, retentionYears, saved, twoFactor, twoFactorOff } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  // Each form shows its own errors: the answer says which form was posted.
  const errorsOf = (intent: Intent): FieldErrors => (actionData?.intent === intent ? actionData.fieldErrors : {});
  const alertOf = (intent: Intent) => (actionData?.intent === intent ? actionData.formError : null);
  const valuesOf = (intent: Intent): Record<string, string> => (actionData?.intent === intent ? actionData.values : {});
  const errors = errorsOf("password");
  const savedNotice =
    saved === "profile"
      ? "profile.saved"
      : saved === "email"
        ? "profile.changeRequested"
        : saved === "resent"
          ? "profile.sentAgain"
          : null;
  return (
    <section className="narrow">
      <h1>{t("auth.accountTitle")}</h1>
      {savedNotice && !actionData ? <p role="status">{t(savedNotice)}</p> : null}
      <section aria-labelledby="profile-heading">
        <h2 id="profile-heading">{t("profile.heading")}</h2>
        <FormAlert message={alertOf("profile")} />
        <Form method="post" noValidate>
          <CsrfField />
          <input type="hidden" name="intent" value="profile" />
          {email.portal ? (
            <>
              <input type="hidden" name="name" value={profile.name} />
              <p>
                {t("auth.name")}: <strong>{profile.name}</strong>
              </p>
              <p className="hint">{t("profile.portalName")}</p>
            </>
          ) : (
            <Field
              name="name"
              autoComplete="name"
              required
              label={t("auth.name")}
              hint={t("profile.nameOnCertificates")}
              defaultValue={valuesOf("profile").name ?? profile.name}
              error={errorsOf("profile").name}
            />
          )}
          <fieldset className="field">
            <legend>{t("auth.preferredLanguage")}</legend>
            {locales.map((l) => (
              <label key={l} className="radio">
                <input
                  type="radio"
                  name="locale"
                  value={l}
                  defaultChecked={(valuesOf("profile").locale ?? profile.locale) === l}
                />{" "}
                <span lang={l}>{t(`locales.${l}`)}</span>
              </label>
            ))}
            {errorsOf("profile").locale ? <p className="field-error">{t(errorsOf("profile").locale!)}</p> : null}
          </fieldset>
          <button type="submit">{t("profile.save")}</button>
        </Form>
      </section>
      <section aria-labelledby="email-heading">
        <h2 id="email-heading">{t("profile.emailHeading")}</h2>
        <p>
          {t("profile.currentEmail", { email: profile.email })}{" "}
          {email.verified ? t("profile.verified") : t("profile.unverified")}
        </p>
        {!email.verified ? (
          <>
            <p className="hint">{t("profile.unverifiedBlocks")}</p>
            <FormAlert message={alertOf("resend")} />
            <Form method="post">
              <CsrfField />
              <input type="hidden" name="intent" value="resend" />
              <button type="submit" className="secondary">
                {t("profile.sendAgain")}
              </button>
            </Form>
          </>
        ) : null}
        {email.pending ? <p>{t("profile.pendingChange", { masked: email.pending.masked })}</p> : null}
        {email.portal ? (
          <p>{t("profile.portalEmail")}</p>
        ) : (
          <>
            <FormAlert message={alertOf("email")} />
            <Form method="post" noValidate>
              <CsrfField />
              <input type="hidden" name="intent" value="email" />
              <Field
                name="newEmail"
                type="email"
                autoComplete="email"
                required
                label={t("profile.newEmail")}
                hint={t("profile.emailHint")}
                defaultValue={valuesOf("email").newEmail}
                error={errorsOf("email").newEmail}
              />
              <CurrentPasswordField
                name="emailPassword"
                label={t("profile.emailPassword")}
                error={errorsOf("email").emailPassword}
              />
              <button type="submit">{t("profile.submitEmail")}</button>
            </Form>
          </>
        )}
      </section>
      <h2 id="password-heading">{t("auth.submitPassword")}</h2>
      <FormAlert message={alertOf("password")} />
      {changed && !actionData ? <p role="status">{t("auth.passwordChanged")}</p> : null}
      <Form method="post" noValidate>
        <CsrfField />
        <CurrentPasswordField name="currentPassword" label={t("auth.currentPassword")} error={errors.currentPassword} />
        <Field
          name="newPassword"
          type="password"
          autoComplete="new-password"
          required
          minLength={12}
          label={t("auth.newPassword")}
          hint={t("auth.passwordHint")}
          error={errors.newPassword}
        />
        <button type="submit">{t("auth.submitPassword")}</button>
      </Form>
      <p>
        <Link to="/me/cohorts">{t("educator.mine.link")}</Link>
      </p>
      {twoFactor ? (
        <section aria-labelledby="two-factor-heading">
          <h2 id="two-factor-heading">{t("twoFactor.title")}</h2>
          {twoFactorOff && !actionData ? <p role="status">{t("twoFactor.disabled")}</p> : null}
          <p>
            {twoFactor.enabled
              ? t("twoFactor.statusOn", { count: twoFactor.recoveryCodesLeft })
              : t("twoFactor.statusOff")}
          </p>
          <p>
            <Link to="/me/two-factor">{twoFactor.enabled ? t("twoFactor.manage") : t("twoFactor.setUp")}</Link>
          </p>
        </section>
      ) : null}
      <p>
        <Link to="/me/registrations">{t("registrations.link")}</Link>
      </p>
      <section aria-labelledby="export-heading">
        <h2 id="export-heading">{t("auth.exportHeading")}</h2>
        <p>{t("auth.exportIntro")}</p>
        <p>
          <a href="/me/export" download>
            {t("auth.exportLink")}
          </a>
        </p>
      </section>
      <section aria-labelledby="close-heading">
        <h2 id="close-heading">{t("auth.closeHeading")}</h2>
        <CloseAccountForm retentionYears={retentionYears} />
      </section>
    </section>
  );
}
