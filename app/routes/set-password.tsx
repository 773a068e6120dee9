// A one-time link to set a password (/set-password?token=…), as `npm run users:create` prints it.
// The token travels in the query string: request logs drop query strings, and the page keeps it
// out of other sites' referrers.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { Field, FormAlert } from "~/components/field";
import { parseForm, type FieldErrors } from "~/forms/parse";
import { i18nKey } from "~/i18n";
import { useTranslation } from "~/i18n/react";
import { checkPasswordToken, redeemPasswordToken } from "~/models/password-token.server";
import { assertSameOrigin } from "~/utils/csrf.server";
import { readForm } from "~/utils/form.server";
import { requestI18n } from "~/utils/i18n.server";
import { secretUrlMeta } from "~/utils/meta";
import { afterPassword } from "~/utils/pending-login.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => secretUrlMeta(data?.title);

const setPasswordSchema = z
  .object({
    token: z.string(),
    password: z.string().min(12, i18nKey("auth.errors.password")).max(512, i18nKey("auth.errors.password")),
    confirm: z.string(),
  })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], message: i18nKey("setPassword.mismatch") });

const PROBLEMS = {
  invalid: i18nKey("setPassword.invalid"),
  expired: i18nKey("setPassword.expired"),
  used: i18nKey("setPassword.used"),
} as const;

export async function loader({ request }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const { t } = await requestI18n(request);
  const check = await checkPasswordToken(token);
  return data(
    {
      title: `${t(check.ok && check.value.purpose === "reset" ? "setPassword.resetTitle" : "setPassword.title")} · Vignette`,
      token: check.ok ? token : null,
      name: check.ok ? check.value.name : null,
      // A reset (from /forgot-password) is worded as one; a new account's link as a welcome.
      reset: check.ok && check.value.purpose === "reset",
      problem: check.ok ? null : PROBLEMS[check.code],
    },
    { status: check.ok ? 200 : 410, headers: { "Cache-Control": "no-store" } },
  );
}

export async function action({ request }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const form = await readForm(request);
  const { t } = await requestI18n(request);
  const parsed = parseForm(setPasswordSchema, form);
  if (!parsed.data) {
    const token = String(form.get("token") ?? "");
    const check = await checkPasswordToken(token);
    const reset = check.ok && check.value.purpose === "reset";
    return data(
      { formError: t("auth.formErrors"), fieldErrors: parsed.errors, problem: null, token, reset },
      { status: 400 },
    );
  }
  const used = await redeemPasswordToken(parsed.data.token, parsed.data.password);
  if (!used.ok) {
    return data(
      { formError: null, fieldErrors: {}, problem: PROBLEMS[used.code], token: null, reset: false },
      { status: 410 },
    );
  }
  // An account with two-factor sign-in on still gives its code: a reset link alone opens no session.
  return afterPassword(used.value.userId, "/");
}

export default function SetPassword() {
  const { t } = useTranslation();
  const { token, name, problem, reset } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const errors: FieldErrors = actionData?.fieldErrors ?? {};
  // After a post, what the action said counts (the loader may have run without the query string).
  const shownProblem = actionData ? actionData.problem : problem;
  const formToken = actionData ? actionData.token : token;
  const isReset = actionData ? actionData.reset : reset;
  return (
    <section className="narrow">
      <h1>{t(isReset ? "setPassword.resetTitle" : "setPassword.title")}</h1>
      {shownProblem || !formToken ? (
        <>
          <div role="alert" className="notice">
            <p>{t(shownProblem ?? "setPassword.invalid")}</p>
          </div>
          <p>
            {t("setPassword.newLink")} <Link to="/forgot-password">{t("setPassword.newLinkAction")}</Link>
          </p>
        </>
      ) : (
        <>
          <p>{t(isReset ? "setPassword.resetIntro" : "setPassword.intro", { name })}</p>
          <FormAlert message={actionData?.formError ?? null} />
          <Form method="post" noValidate>
            <input type="hidden" name="token" value={formToken} />
            <Field
              name="password"
              type="password"
              autoComplete="new-password"
              required
              label={t("setPassword.password")}
              hint={t("auth.passwordHint")}
              error={errors.password}
            />
            <Field
              name="confirm"
              type="password"
              autoComplete="new-password"
              required
              label={t("setPassword.confirm")}
              error={errors.confirm}
            />
            <button type="submit" disabled={busy}>
              {t("setPassword.submit")}
            </button>
          </Form>
        </>
      )}
    </section>
  );
}
