// /me/close — closing one's own account. The form lives on /me/account and posts here; a refused
// attempt shows it again here with its errors. On success the person is signed out and sent to
// /account-closed. Under the login throttle, like every password check.
import {
  data,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { CloseAccountForm } from "~/components/close-account";
import { FormAlert } from "~/components/field";
import { closeAccountSchema } from "~/forms/auth";
import { parseForm, type FieldErrors } from "~/forms/parse";
import { useTranslation } from "~/i18n/react";
import { retentionYearsOf } from "~/models/regulator.server";
import { closeAccount, normalizeEmail } from "~/models/user.server";
import { confirmCurrentPassword, retryAfterHeaders } from "~/utils/auth.server";
import { assertCsrf } from "~/utils/csrf.server";
import { readForm } from "~/utils/form.server";
import { requestI18n } from "~/utils/i18n.server";
import { localeCookie } from "~/utils/locale.server";
import { destroySession, requireSession } from "~/utils/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Vignette" }];

export const headers: HeadersFunction = retryAfterHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  const session = await requireSession(request);
  const { t } = await requestI18n(request, session);
  return {
    title: `${t("auth.closeHeading")} · Vignette`,
    retentionYears: await retentionYearsOf(session.user.regulator),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const session = await requireSession(request);
  const form = await readForm(request);
  assertCsrf(request, form, session);
  const { t, locale } = await requestI18n(request, session);
  const refuse = (fieldErrors: FieldErrors, confirmEmail = "") =>
    data({ formError: t("auth.formErrors"), fieldErrors, confirmEmail }, { status: 400 });
  const parsed = parseForm(closeAccountSchema, form);
  if (!parsed.data) return refuse(parsed.errors, parsed.values.confirmEmail);
  const { closePassword, confirmEmail } = parsed.data;
  // The typed confirmation first: a slip there must not count as a wrong password.
  if (normalizeEmail(confirmEmail) !== session.user.email) {
    return refuse({ confirmEmail: "auth.errors.closeConfirm" }, confirmEmail);
  }
  const confirmed = await confirmCurrentPassword(session.user, closePassword, request, t);
  if (!confirmed.ok && confirmed.throttled) {
    const { formError, init } = confirmed.throttled;
    return data({ formError, fieldErrors: {} as FieldErrors, confirmEmail }, init);
  }
  if (!confirmed.ok) return refuse({ closePassword: "auth.wrongCurrent" }, confirmEmail);
  await closeAccount(session.user.id);
  // Every session row is gone already; this clears the cookie too. The language stays with the
  // browser, so the confirmation reads in the one the person used.
  const response = await destroySession(request, "/account-closed");
  response.headers.append("Set-Cookie", await localeCookie.serialize(locale));
  return response;
}

export default function CloseAccount() {
  const { t } = useTranslation();
  const actionData = useActionData<typeof action>();
  const { retentionYears } = useLoaderData<typeof loader>();
  return (
    <section className="narrow">
      <h1>{t("auth.closeHeading")}</h1>
      <FormAlert message={actionData?.formError} />
      <CloseAccountForm
        errors={actionData?.fieldErrors}
        confirmEmail={actionData?.confirmEmail}
        retentionYears={retentionYears}
      />
    </section>
  );
}
