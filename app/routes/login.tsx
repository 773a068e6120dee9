import {
  data,
  redirect,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { CurrentPasswordField, EmailField } from "~/components/auth-fields";
import { FormAlert } from "~/components/field";
import type { FieldErrors } from "~/forms/auth";
import { useTranslation } from "~/i18n/react";
import { authenticator, LoginFailure, retryAfterHeaders, throttledAnswer } from "~/utils/auth.server";
import { assertSameOrigin } from "~/utils/csrf.server";
import { readForm } from "~/utils/form.server";
import { requestI18n } from "~/utils/i18n.server";
import { portalButtons } from "~/utils/oidc.server";
import { afterPassword } from "~/utils/pending-login.server";
import { getCurrentSession, safeRedirect } from "~/utils/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Vignette" }];

// Lets the action's Retry-After reach the browser on a throttled sign-in.
export const headers: HeadersFunction = retryAfterHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  const session = await getCurrentSession(request);
  const url = new URL(request.url);
  if (session) throw redirect(safeRedirect(url.searchParams.get("redirectTo"), "/cases"));
  const { t, locale } = await requestI18n(request);
  // /join sends everyone here, new account or taken email alike (it must not tell which).
  return {
    title: `${t("auth.loginTitle")} · Vignette`,
    joined: url.searchParams.get("joined") === "1",
    // Single sign-on through the regulators' registrant portals configured here (ADR 019).
    portals: await portalButtons(locale),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const redirectTo = safeRedirect((await readForm(request.clone())).get("redirectTo"), "/cases");
  try {
    const userId = await authenticator.authenticate("form", request);
    // The right password is not yet a session when a second step is due (models/two-factor.server.ts).
    return afterPassword(userId, redirectTo);
  } catch (error) {
    if (!(error instanceof LoginFailure)) throw error;
    const { t } = await requestI18n(request);
    const { reason, details } = error;
    if (reason === "throttled") {
      const { formError, init } = throttledAnswer(t, details.retryAfterSeconds ?? 60);
      return data({ formError, fieldErrors: {}, values: details.values ?? {} }, init);
    }
    if (reason === "invalid-form") {
      return data(
        { formError: t("auth.formErrors"), fieldErrors: details.fieldErrors ?? {}, values: details.values ?? {} },
        { status: 400 },
      );
    }
    return data({ formError: t("auth.invalidLogin"), fieldErrors: {}, values: details.values ?? {} }, { status: 401 });
  }
}

export default function Login() {
  const { t } = useTranslation();
  const { joined, portals } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const fieldErrors: FieldErrors = actionData?.fieldErrors ?? {};
  return (
    <section className="narrow">
      <h1>{t("auth.loginTitle")}</h1>
      {joined && !actionData ? (
        <p role="status" className="notice">
          {t("auth.joinReceived")}
        </p>
      ) : null}
      <FormAlert message={actionData?.formError} />
      {portals.map((portal) => (
        <p key={portal.regulator}>
          {/* A document request, not a client-side navigation: it leaves for the portal. */}
          <a
            className="button"
            href={`/auth/oidc/${encodeURIComponent(portal.regulator)}?redirectTo=${encodeURIComponent(
              params.get("redirectTo") ?? "/cases",
            )}`}
          >
            {portal.label ?? t("sso.signInWith", { portal: portal.portal })}
          </a>
        </p>
      ))}
      {portals.length > 0 ? <p>{t("sso.or")}</p> : null}
      <Form method="post" noValidate>
        <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? "/cases"} />
        <EmailField defaultValue={actionData?.values?.email ?? ""} error={fieldErrors.email} />
        <CurrentPasswordField name="password" label={t("auth.password")} error={fieldErrors.password} />
        <button type="submit" disabled={busy}>
          {t("auth.submitLogin")}
        </button>
      </Form>
      <p>
        <Link to="/forgot-password">{t("forgotPassword.link")}</Link>
      </p>
      <p>
        {t("auth.noAccount")} <Link to="/join">{t("nav.join")}</Link>
      </p>
    </section>
  );
}
