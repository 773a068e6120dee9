// Two-factor sign-in for staff (/me/two-factor): set it up (a QR code and the key, confirmed with a
// current code; ten recovery codes shown once), or turn it off with the password and a code.
// Administrators are sent here after signing in until they have set it up, and cannot turn it off.
import {
  data,
  redirect,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import QRCode from "qrcode";
import { CodeOrRecoveryField, CurrentPasswordField } from "~/components/auth-fields";
import { CsrfField } from "~/components/csrf-field";
import { Field, FormAlert } from "~/components/field";
import { parseForm, type FieldErrors } from "~/forms/parse";
import { twoFactorCodeSchema, twoFactorDisableSchema } from "~/forms/two-factor";
import { i18nKey } from "~/i18n";
import { useTranslation } from "~/i18n/react";
import {
  checkSecondFactor,
  confirmEnrolment,
  disableTwoFactor,
  groupedSecret,
  mayUseTwoFactor,
  mustUseTwoFactor,
  pendingEnrolment,
  twoFactorStatus,
} from "~/models/two-factor.server";
import { confirmCurrentPassword, requestAddress, retryAfterHeaders, throttledAnswer } from "~/utils/auth.server";
import { assertCsrf } from "~/utils/csrf.server";
import { readForm } from "~/utils/form.server";
import { forbidden } from "~/utils/http.server";
import { requestI18n } from "~/utils/i18n.server";
import { requireSession, safeRedirect, type CurrentSession } from "~/utils/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Vignette" }];

export const headers: HeadersFunction = retryAfterHeaders;

/** Staff only: a learner has nothing to set up here. */
async function requireStaffSession(request: Request): Promise<CurrentSession> {
  const session = await requireSession(request);
  if (!mayUseTwoFactor(session.user)) throw forbidden();
  return session;
}

export async function loader({ request }: LoaderFunctionArgs) {
  const session = await requireStaffSession(request);
  const { t } = await requestI18n(request, session);
  const { user } = session;
  const status = await twoFactorStatus(user.id);
  const enrolment = status.enabled ? null : await pendingEnrolment(user);
  return {
    title: `${t("twoFactor.title")} · Vignette`,
    email: user.email,
    required: mustUseTwoFactor(user),
    enabled: status.enabled,
    recoveryCodesLeft: status.recoveryCodesLeft,
    secret: enrolment ? groupedSecret(enrolment.secret) : null,
    qr: enrolment ? await QRCode.toDataURL(enrolment.uri, { errorCorrectionLevel: "M", margin: 2, width: 240 }) : null,
    redirectTo: safeRedirect(new URL(request.url).searchParams.get("redirectTo"), "/me/account"),
  };
}

type ActionData = { formError?: string; fieldErrors: FieldErrors; recoveryCodes?: string[] };

export async function action({ request }: ActionFunctionArgs) {
  const session = await requireStaffSession(request);
  const form = await readForm(request);
  assertCsrf(request, form, session);
  const { t } = await requestI18n(request, session);
  const { user } = session;
  const answer = (body: ActionData, init: number | ResponseInit) => data(body, init);

  if (form.get("intent") === "disable") {
    if (mustUseTwoFactor(user)) return answer({ formError: t("twoFactor.disableForbidden"), fieldErrors: {} }, 403);
    const parsed = parseForm(twoFactorDisableSchema, form);
    if (!parsed.data) return answer({ formError: t("auth.formErrors"), fieldErrors: parsed.errors }, 400);
    const confirmed = await confirmCurrentPassword(user, parsed.data.currentPassword, request, t);
    if (!confirmed.ok && confirmed.throttled) {
      const { formError, init } = confirmed.throttled;
      return answer({ formError, fieldErrors: {} }, init);
    }
    if (!confirmed.ok) {
      const fieldErrors: FieldErrors = { currentPassword: i18nKey("auth.wrongCurrent") };
      return answer({ formError: t("auth.formErrors"), fieldErrors }, 400);
    }
    const checked = await checkSecondFactor(user.id, parsed.data.code, requestAddress(request));
    if (checked.status === "throttled") {
      const { formError, init } = throttledAnswer(t, checked.retryAfterSeconds);
      return answer({ formError, fieldErrors: {} }, init);
    }
    if (checked.status !== "ok") {
      const code = checked.status === "reused" ? i18nKey("twoFactor.codeReused") : i18nKey("twoFactor.codeWrong");
      return answer({ formError: t("auth.formErrors"), fieldErrors: { code } }, 400);
    }
    await disableTwoFactor(user.id);
    throw redirect("/me/account?twoFactor=off");
  }

  const parsed = parseForm(twoFactorCodeSchema, form);
  if (!parsed.data) return answer({ formError: t("auth.formErrors"), fieldErrors: parsed.errors }, 400);
  const enrolled = await confirmEnrolment(user.id, parsed.data.code, session.id);
  if (!enrolled.ok) {
    const code = enrolled.code === "wrong" ? i18nKey("twoFactor.codeWrong") : i18nKey("twoFactor.notPending");
    return answer({ formError: t("auth.formErrors"), fieldErrors: { code } }, enrolled.code === "wrong" ? 400 : 409);
  }
  return answer({ fieldErrors: {}, recoveryCodes: enrolled.value.recoveryCodes }, 200);
}

export default function TwoFactorSettings() {
  const { t } = useTranslation();
  const { email, required, enabled, recoveryCodesLeft, secret, qr, redirectTo } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors: FieldErrors = actionData?.fieldErrors ?? {};
  const recoveryCodes = actionData?.recoveryCodes;

  if (recoveryCodes) {
    return (
      <section className="narrow">
        <h1>{t("twoFactor.title")}</h1>
        <p role="status">{t("twoFactor.enabledNow")}</p>
        <h2>{t("twoFactor.recoveryHeading")}</h2>
        <p>{t("twoFactor.recoveryIntro")}</p>
        <ol className="recovery-codes">
          {recoveryCodes.map((code) => (
            <li key={code}>
              <code>{code}</code>
            </li>
          ))}
        </ol>
        <p>
          <Link to={redirectTo}>{t("twoFactor.continue")}</Link>
        </p>
      </section>
    );
  }

  return (
    <section className="narrow">
      <h1>{t("twoFactor.title")}</h1>
      <FormAlert message={actionData?.formError} />
      {required && !enabled ? (
        <p role="status" className="notice">
          {t("twoFactor.required")}
        </p>
      ) : null}
      <p>{t("twoFactor.intro")}</p>
      {enabled ? (
        <>
          <p>{t("twoFactor.statusOn", { count: recoveryCodesLeft })}</p>
          {required ? (
            <p>{t("twoFactor.disableForbidden")}</p>
          ) : (
            <section aria-labelledby="disable-heading">
              <h2 id="disable-heading">{t("twoFactor.disableHeading")}</h2>
              <p>{t("twoFactor.disableIntro")}</p>
              <Form method="post" noValidate>
                <CsrfField />
                <input type="hidden" name="intent" value="disable" />
                <CurrentPasswordField
                  name="currentPassword"
                  label={t("auth.currentPassword")}
                  error={errors.currentPassword}
                />
                <CodeOrRecoveryField error={errors.code} />
                <button type="submit" className="danger">
                  {t("twoFactor.disable")}
                </button>
              </Form>
            </section>
          )}
        </>
      ) : (
        <>
          <p>{t("twoFactor.scan")}</p>
          {qr ? <img src={qr} width={240} height={240} alt={t("twoFactor.qrAlt", { email })} /> : null}
          <p>
            {t("twoFactor.manual")} <code className="totp-secret">{secret}</code>
          </p>
          <p>{t("twoFactor.confirmStep")}</p>
          <Form method="post" noValidate>
            <CsrfField />
            <input type="hidden" name="intent" value="confirm" />
            <Field
              name="code"
              type="text"
              inputMode="numeric"
              autoComplete="one-time-code"
              pattern="[0-9 ]*"
              required
              label={t("twoFactor.code")}
              error={errors.code}
            />
            <button type="submit">{t("twoFactor.confirm")}</button>
          </Form>
        </>
      )}
    </section>
  );
}
