import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Field, FormAlert } from "~/components/field";
import { joinSchema, parseForm, regulators } from "~/forms/auth";
import { locales } from "~/i18n";
import { createUser, findUserByEmail } from "~/models/user.server";
import { assertSameOrigin } from "~/utils/csrf.server";
import { requestI18n } from "~/utils/i18n.server";
import { createUserSession, getCurrentSession } from "~/utils/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Vignette" }];

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getCurrentSession(request)) throw redirect("/cases");
  const { t, locale } = await requestI18n(request);
  return { title: `${t("auth.joinTitle")} · Vignette`, locale };
}

export async function action({ request }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const form = await request.formData();
  const { t } = await requestI18n(request);
  const parsed = parseForm(joinSchema, form);
  if (!parsed.data) {
    return data({ formError: t("auth.formErrors"), fieldErrors: parsed.errors, values: parsed.values }, { status: 400 });
  }
  const { password: _password, ...values } = parsed.data;
  if (await findUserByEmail(parsed.data.email)) {
    return data(
      { formError: t("auth.formErrors"), fieldErrors: { email: "auth.emailTaken" }, values },
      { status: 400 },
    );
  }
  const user = await createUser(parsed.data);
  return createUserSession(user.id, "/cases");
}

export default function Join() {
  const { t } = useTranslation();
  const { locale } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const errors: Record<string, string> = actionData?.fieldErrors ?? {};
  const values: Record<string, string> = actionData?.values ?? {};
  return (
    <section className="narrow">
      <h1>{t("auth.joinTitle")}</h1>
      <FormAlert message={actionData?.formError} />
      <Form method="post" noValidate>
        <Field name="name" autoComplete="name" required label={t("auth.name")} defaultValue={values.name} error={errors.name} />
        <Field
          name="email"
          type="email"
          autoComplete="email"
          required
          label={t("auth.email")}
          defaultValue={values.email}
          error={errors.email}
        />
        <Field
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={12}
          label={t("auth.password")}
          hint={t("auth.passwordHint")}
          error={errors.password}
        />
        <Field
          name="registrationNumber"
          required
          label={t("auth.registrationNumber")}
          defaultValue={values.registrationNumber}
          error={errors.registrationNumber}
        />
        <div className="field">
          <label htmlFor="regulator">{t("auth.regulator")}</label>
          <select
            id="regulator"
            name="regulator"
            required
            defaultValue={values.regulator ?? ""}
            aria-invalid={errors.regulator ? true : undefined}
            aria-describedby={errors.regulator ? "regulator-error" : undefined}
          >
            <option value="" disabled>
              {t("auth.regulatorPlaceholder")}
            </option>
            {regulators.map((id) => (
              <option key={id} value={id}>
                {t(`regulators.${id}`)}
              </option>
            ))}
          </select>
          {errors.regulator ? (
            <p id="regulator-error" className="field-error">
              {t(errors.regulator)}
            </p>
          ) : null}
        </div>
        <fieldset className="field">
          <legend>{t("auth.preferredLanguage")}</legend>
          {locales.map((l) => (
            <label key={l} className="radio">
              <input type="radio" name="locale" value={l} defaultChecked={(values.locale ?? locale) === l} />{" "}
              <span lang={l}>{t(`locales.${l}`)}</span>
            </label>
          ))}
        </fieldset>
        <button type="submit" disabled={busy}>
          {t("auth.submitJoin")}
        </button>
      </Form>
      <p>
        {t("auth.haveAccount")} <Link to="/login">{t("nav.login")}</Link>
      </p>
    </section>
  );
}
