// "Forgot your password?": asks for an email and always gives the same answer (a redirect to
// ?sent=1), whether or not an account has it; the reset mail, if any, is sent by the server's mail
// sender with a one-hour, single-use link to /set-password (models/password-reset.server.ts).
import {
  data,
  redirect,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { EmailField } from "~/components/auth-fields";
import { FormAlert } from "~/components/field";
import { parseForm, type FieldErrors } from "~/forms/parse";
import { i18nKey } from "~/i18n";
import { useTranslation } from "~/i18n/react";
import { requestPasswordReset } from "~/models/password-reset.server";
import { requestAddress, retryAfterHeaders, throttledAnswer } from "~/utils/auth.server";
import { assertSameOrigin } from "~/utils/csrf.server";
import { readForm } from "~/utils/form.server";
import { requestI18n } from "~/utils/i18n.server";
import { logEvent } from "~/utils/log.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Vignette" }];

// Lets the action's Retry-After reach the browser when an address has asked too often.
export const headers: HeadersFunction = retryAfterHeaders;

const forgotSchema = z.object({
  email: z
    .string()
    .trim()
    .max(254, i18nKey("auth.errors.email"))
    .pipe(z.email(i18nKey("auth.errors.email"))),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const { t } = await requestI18n(request);
  return {
    title: `${t("forgotPassword.title")} · Vignette`,
    sent: new URL(request.url).searchParams.get("sent") === "1",
  };
}

export async function action({ request }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const form = await readForm(request);
  const { t, locale } = await requestI18n(request);
  const parsed = parseForm(forgotSchema, form);
  if (!parsed.data) {
    return data(
      { formError: t("auth.formErrors"), fieldErrors: parsed.errors, values: parsed.values },
      { status: 400 },
    );
  }
  const address = requestAddress(request);
  const result = await requestPasswordReset(parsed.data.email, address, locale);
  if (!result.ok) {
    const retryAfterSeconds = Math.ceil(result.retryAfterMs / 1000);
    logEvent("auth.reset_throttled", { ip: address, retryAfterSeconds });
    const { formError, init } = throttledAnswer(t, retryAfterSeconds);
    return data({ formError, fieldErrors: {} as FieldErrors, values: { email: parsed.data.email } }, init);
  }
  return redirect("/forgot-password?sent=1");
}

export default function ForgotPassword() {
  const { t } = useTranslation();
  const { sent } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const errors: FieldErrors = actionData?.fieldErrors ?? {};
  return (
    <section className="narrow">
      <h1>{t("forgotPassword.title")}</h1>
      {sent && !actionData ? (
        <p role="status" className="notice">
          {t("forgotPassword.sent")}
        </p>
      ) : (
        <p>{t("forgotPassword.intro")}</p>
      )}
      <FormAlert message={actionData?.formError} />
      <Form method="post" noValidate>
        <EmailField defaultValue={actionData?.values?.email ?? ""} error={errors.email} />
        <button type="submit" disabled={busy}>
          {t("forgotPassword.submit")}
        </button>
      </Form>
      <p>
        <Link to="/login">{t("forgotPassword.backToLogin")}</Link>
      </p>
    </section>
  );
}
