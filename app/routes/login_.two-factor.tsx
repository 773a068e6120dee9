// The second step of a sign-in with two-factor sign-in on (/login/two-factor): the password was
// right, and a pending sign-in (a cookie of five minutes, not a session) waits for a code from the
// person's app or one of their recovery codes. Only then does a session begin.
import {
  data,
  redirect,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { CodeOrRecoveryField } from "~/components/auth-fields";
import { FormAlert } from "~/components/field";
import { parseForm, type FieldErrors } from "~/forms/parse";
import { twoFactorCodeSchema } from "~/forms/two-factor";
import { i18nKey } from "~/i18n";
import { useTranslation } from "~/i18n/react";
import { checkSecondFactor, consumePendingLogin, readCode, readPendingLogin } from "~/models/two-factor.server";
import { requestAddress, retryAfterHeaders, throttledAnswer } from "~/utils/auth.server";
import { assertSameOrigin } from "~/utils/csrf.server";
import { readForm } from "~/utils/form.server";
import { requestI18n } from "~/utils/i18n.server";
import { clearPendingLogin, pendingLoginToken } from "~/utils/pending-login.server";
import { getCurrentSession, safeRedirect, startSession } from "~/utils/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Vignette" }];

export const headers: HeadersFunction = retryAfterHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getCurrentSession(request)) throw redirect("/cases");
  const token = await pendingLoginToken(request);
  if (!token || !(await readPendingLogin(token))) {
    throw redirect("/login", { headers: { "Set-Cookie": await clearPendingLogin() } });
  }
  const { t } = await requestI18n(request);
  return data({ title: `${t("twoFactor.title")} · Vignette` }, { headers: { "Cache-Control": "no-store" } });
}

export async function action({ request }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const form = await readForm(request);
  const { t } = await requestI18n(request);
  const token = await pendingLoginToken(request);
  const pending = token ? await readPendingLogin(token) : null;
  if (!token || !pending) {
    return data(
      { formError: t("twoFactor.loginExpired"), fieldErrors: {} as FieldErrors, expired: true },
      { status: 401, headers: { "Set-Cookie": await clearPendingLogin() } },
    );
  }
  const parsed = parseForm(twoFactorCodeSchema, form);
  if (!parsed.data || !readCode(parsed.data.code)) {
    const fieldErrors: FieldErrors = { code: i18nKey("twoFactor.codeFormat") };
    return data({ formError: t("auth.formErrors"), fieldErrors, expired: false }, { status: 400 });
  }
  const checked = await checkSecondFactor(pending.userId, parsed.data.code, requestAddress(request));
  if (checked.status === "throttled") {
    const { formError, init } = throttledAnswer(t, checked.retryAfterSeconds);
    return data({ formError, fieldErrors: {} as FieldErrors, expired: false }, init);
  }
  if (checked.status !== "ok") {
    const code = checked.status === "reused" ? i18nKey("twoFactor.codeReused") : i18nKey("twoFactor.codeWrong");
    return data({ formError: t(code), fieldErrors: { code } as FieldErrors, expired: false }, { status: 401 });
  }
  // One session per pending sign-in, however many right codes race for it.
  if (!(await consumePendingLogin(token))) {
    return data(
      { formError: t("twoFactor.loginExpired"), fieldErrors: {} as FieldErrors, expired: true },
      { status: 401, headers: { "Set-Cookie": await clearPendingLogin() } },
    );
  }
  const headers = new Headers();
  headers.append("Set-Cookie", await clearPendingLogin());
  headers.append("Set-Cookie", await startSession(pending.userId, pending.portal));
  throw redirect(safeRedirect(pending.redirectTo, "/cases"), { headers });
}

export default function TwoFactorLogin() {
  const { t } = useTranslation();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const fieldErrors: FieldErrors = actionData?.fieldErrors ?? {};
  return (
    <section className="narrow">
      <h1>{t("twoFactor.title")}</h1>
      <FormAlert message={actionData?.formError} />
      {actionData?.expired ? null : (
        <>
          <p>{t("twoFactor.loginIntro")}</p>
          <Form method="post" noValidate>
            <CodeOrRecoveryField error={fieldErrors.code} />
            <button type="submit" disabled={busy}>
              {t("twoFactor.loginSubmit")}
            </button>
          </Form>
        </>
      )}
      <p>
        <Link to="/login">{t("twoFactor.backToLogin")}</Link>
      </p>
    </section>
  );
}
