// A learner's registrations with this deployment's regulators: credit for a case goes to the one
// with the case's regulator (without it, the case is practice). Adding one, or correcting a number,
// is recorded in the audit log; certificates already issued keep the number they were issued with.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { CsrfField } from "~/components/csrf-field";
import { Field, FormAlert, SelectField } from "~/components/field";
import { registrationSchema } from "~/forms/auth";
import { parseForm, type FieldErrors } from "~/forms/parse";
import { i18nKey } from "~/i18n";
import { useTranslation } from "~/i18n/react";
import { listRegistrations, saveRegistration } from "~/models/registration.server";
import { listRegulators, regulatorDisplayName } from "~/models/regulator.server";
import { assertCsrf } from "~/utils/csrf.server";
import { readForm } from "~/utils/form.server";
import { requestI18n } from "~/utils/i18n.server";
import { logEvent } from "~/utils/log.server";
import { requireSession } from "~/utils/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Vignette" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const session = await requireSession(request);
  const { t, locale } = await requestI18n(request, session);
  return {
    title: `${t("registrations.title")} · Vignette`,
    registrations: await listRegistrations(session.user, locale),
    regulators: (await listRegulators()).map((r) => ({ id: r.id, name: regulatorDisplayName(r, r.id, locale) })),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const session = await requireSession(request);
  const form = await readForm(request);
  assertCsrf(request, form, session);
  const { t } = await requestI18n(request, session);
  const parsed = parseForm(registrationSchema(await listRegulators()), form);
  const values = {
    regulator: String(form.get("regulator") ?? ""),
    number: String(form.get("registrationNumber") ?? ""),
  };
  if (!parsed.data) {
    return data({ formError: t("auth.formErrors"), fieldErrors: parsed.errors, values }, { status: 400 });
  }
  const { regulator, registrationNumber } = parsed.data;
  const saved = await saveRegistration(session.user.id, regulator, registrationNumber, session.user.id);
  if (!saved.ok) {
    // The schema checked both against the profiles just read: only a profile changed meanwhile gets here.
    const fieldErrors: FieldErrors =
      saved.code === "pattern"
        ? { registrationNumber: i18nKey("auth.errors.registrationPattern") }
        : { regulator: i18nKey("auth.errors.regulator") };
    return data({ formError: t("auth.formErrors"), fieldErrors, values }, { status: 400 });
  }
  if (saved.value.change !== "unchanged") {
    logEvent("account.registration_saved", { userId: session.user.id, regulator, change: saved.value.change });
  }
  throw redirect(`/me/registrations?saved=${saved.value.change}`);
}

export default function Registrations() {
  const { t } = useTranslation();
  const { registrations, regulators } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [search] = useSearchParams();
  const saved = search.get("saved");
  const errors: FieldErrors = actionData?.fieldErrors ?? {};
  return (
    <section className="narrow">
      <p className="breadcrumbs">
        <Link to="/me/account">{t("auth.accountTitle")}</Link>
      </p>
      <h1>{t("registrations.title")}</h1>
      <p>{t("registrations.intro")}</p>
      {saved === "added" || saved === "changed" ? (
        <p role="status">{t(saved === "added" ? "registrations.added" : "registrations.changed")}</p>
      ) : null}
      {registrations.length === 0 ? (
        <p>{t("registrations.none")}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t("auth.regulator")}</th>
              <th scope="col">{t("auth.registrationNumber")}</th>
            </tr>
          </thead>
          <tbody>
            {registrations.map((r) => (
              <tr key={r.regulatorId}>
                <td>
                  {r.regulatorName}
                  {r.home ? ` (${t("registrations.home")})` : ""}
                </td>
                <td>{r.number}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>{t("registrations.formHeading")}</h2>
      <p>{t("registrations.formIntro")}</p>
      <FormAlert message={actionData?.formError} />
      <Form method="post" noValidate>
        <CsrfField />
        <SelectField
          name="regulator"
          label={t("auth.regulator")}
          placeholder={t("auth.regulatorPlaceholder")}
          defaultValue={actionData?.values.regulator}
          error={errors.regulator}
        >
          {regulators.map((r) => (
            <option key={r.id} value={r.id}>
              {r.name}
            </option>
          ))}
        </SelectField>
        <Field
          name="registrationNumber"
          required
          autoComplete="off"
          label={t("auth.registrationNumber")}
          defaultValue={actionData?.values.number}
          error={errors.registrationNumber}
        />
        <button type="submit">{t("registrations.submit")}</button>
      </Form>
    </section>
  );
}
