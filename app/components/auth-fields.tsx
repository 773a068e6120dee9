import type { TranslationKey } from "~/i18n";
import { useTranslation } from "~/i18n/react";
import { Field } from "./field";

/** The person's current password, asked again before a change that matters to the account. */
export function CurrentPasswordField({ name, label, error }: { name: string; label: string; error?: TranslationKey }) {
  return <Field name={name} type="password" autoComplete="current-password" required label={label} error={error} />;
}

/** A code from the authenticator app or one of the recovery codes (letters, so no numeric keypad). */
export function CodeOrRecoveryField({ error }: { error?: TranslationKey }) {
  const { t } = useTranslation();
  return (
    <Field
      name="code"
      type="text"
      autoComplete="one-time-code"
      autoCapitalize="none"
      spellCheck={false}
      required
      label={t("twoFactor.codeOrRecovery")}
      error={error}
    />
  );
}

/** The account's email address (sign in, join, a forgotten password). */
export function EmailField({ defaultValue, error }: { defaultValue?: string; error?: TranslationKey }) {
  const { t } = useTranslation();
  return (
    <Field
      name="email"
      type="email"
      autoComplete="email"
      required
      label={t("auth.email")}
      defaultValue={defaultValue}
      error={error}
    />
  );
}
