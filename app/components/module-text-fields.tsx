import type { TranslationKey } from "~/i18n";
import { useTranslation } from "~/i18n/react";
import { Field, TextareaField } from "./field";

/** A module's title and description in English and French: the fields creating and editing share. */
export function ModuleTextFields({
  values,
  errors,
}: {
  values: Record<string, string | undefined>;
  errors: Record<string, TranslationKey | undefined>;
}) {
  const { t } = useTranslation();
  return (
    <>
      <Field
        name="titleEn"
        lang="en"
        required
        maxLength={200}
        label={t("educator.modules.titleEn")}
        defaultValue={values.titleEn}
        error={errors.titleEn}
      />
      <Field
        name="titleFr"
        lang="fr"
        required
        maxLength={200}
        label={t("educator.modules.titleFr")}
        defaultValue={values.titleFr}
        error={errors.titleFr}
      />
      {(["descriptionEn", "descriptionFr"] as const).map((name) => (
        <TextareaField
          key={name}
          name={name}
          lang={name === "descriptionEn" ? "en" : "fr"}
          rows={3}
          maxLength={2000}
          label={t(`educator.modules.${name}`)}
          defaultValue={values[name] ?? ""}
          error={errors[name]}
        />
      ))}
    </>
  );
}
