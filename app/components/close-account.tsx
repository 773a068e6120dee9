// The "close my account" form: on /me/account under its own heading, and on /me/close (where it
// posts) with the errors of a refused attempt. Explains what goes and what the regulator keeps.
import { Form } from "@remix-run/react";
import { CsrfField } from "~/components/csrf-field";
import type { FieldErrors } from "~/forms/parse";
import { useTranslation } from "~/i18n/react";
import { CurrentPasswordField } from "./auth-fields";
import { Field } from "./field";

export function CloseAccountForm({
  errors = {},
  confirmEmail,
  retentionYears,
}: {
  errors?: FieldErrors;
  confirmEmail?: string;
  /** The learner's regulator's retention period (retentionYearsOf). */
  retentionYears: number;
}) {
  const { t } = useTranslation();
  return (
    <>
      <p>{t("auth.closeIntro")}</p>
      <p>{t("auth.closeKept", { years: retentionYears })}</p>
      <p>
        {t("auth.closeExportFirst")}{" "}
        <a href="/me/export" download>
          {t("auth.exportLink")}
        </a>
      </p>
      <Form method="post" action="/me/close" noValidate>
        <CsrfField />
        <CurrentPasswordField name="closePassword" label={t("auth.closePassword")} error={errors.closePassword} />
        <Field
          name="confirmEmail"
          type="email"
          autoComplete="off"
          required
          label={t("auth.closeConfirm")}
          defaultValue={confirmEmail}
          error={errors.confirmEmail}
        />
        <button type="submit" className="danger">
          {t("auth.closeSubmit")}
        </button>
      </Form>
    </>
  );
}
