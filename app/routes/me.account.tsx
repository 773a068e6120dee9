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
import { passwordChangeSchema } from "~/forms/auth";
import { parseForm, type FieldErrors } from "~/forms/parse";
import { i18nKey } from "~/i18n";
import { useTranslation } from "~/i18n/react";
import { retentionYearsOf } from "~/models/regulator.server";
import { mayUseTwoFactor, twoFactorStatus } from "~/models/two-factor.server";
import { changePassword } from "~/models/user.server";
import { confirmCurrentPassword, retryAfterHeaders } from "~/utils/auth.server";
import { assertCsrf } from "~/utils/csrf.server";
import { readForm } from "~/utils/form.server";
import { requestI18n } from "~/utils/i18n.server";
import { requireSession, startSession } from "~/utils/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Vignette" }];

export const headers: HeadersFunction = retryAfterHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  const session = await requireSession(request);
  const { t } = await requestI18n(request, session);
  const changed = new URL(request.url).searchParams.get("changed") === "1";
  return {
    title: `${t("auth.accountTitle")} · Vignette`,
    changed,
    twoFactorOff: new URL(request.url).searchParams.get("twoFactor") === "off",
    twoFactor: mayUseTwoFactor(session.user) ? await twoFactorStatus(session.user.id) : null,
    retentionYears: await retentionYearsOf(session.user.regulator),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const session = await requireSession(request);
  const form = await readForm(request);
  assertCsrf(request, form, session);
  const { t } = await requestI18n(request, session);
  const parsed = parseForm(passwordChangeSchema, form);
  if (!parsed.data)
    return data({ done: false, formError: t("auth.formErrors"), fieldErrors: parsed.errors }, { status: 400 });
  const confirmed = await confirmCurrentPassword(session.user, parsed.data.currentPassword, request, t);
  if (!confirmed.ok && confirmed.throttled) {
    const { formError, init } = confirmed.throttled;
    return data({ done: false, formError, fieldErrors: {} as FieldErrors }, init);
  }
  if (!confirmed.ok) {
    return data(
      { done: false, formError: t("auth.formErrors"), fieldErrors: { currentPassword: i18nKey("auth.wrongCurrent") } },
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
  const { changed, retentionYears, twoFactor, twoFactorOff } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors: FieldErrors = actionData?.fieldErrors ?? {};
  return (
    <section className="narrow">
      <h1>{t("auth.accountTitle")}</h1>
      <FormAlert message={actionData?.formError} />
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
