import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { CsrfField } from "~/components/csrf-field";
import { FormAlert } from "~/components/field";
import { ModuleTextFields } from "~/components/module-text-fields";
import { moduleTexts } from "~/forms/educator.server";
import type { FieldErrors } from "~/forms/parse";
import { i18nKey, isTranslationKey, localized } from "~/i18n";
import { useTranslation } from "~/i18n/react";
import { createModule, listPublishedCaseChoices } from "~/models/module.server";
import { assertCsrf } from "~/utils/csrf.server";
import { readForm } from "~/utils/form.server";
import { formatHours } from "~/utils/format";
import { requestI18n } from "~/utils/i18n.server";
import { requireRole } from "~/utils/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Vignette" }];

const createModuleSchema = moduleTexts.extend({
  caseIds: z.array(z.coerce.number<string>().int().positive()).max(100, i18nKey("educator.errors.cases")).default([]),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const session = await requireRole(request, "educator", "author", "admin");
  const { t, locale } = await requestI18n(request, session);
  const cases = await listPublishedCaseChoices();
  return {
    title: `${t("educator.modules.createTitle")} · Vignette`,
    cases: cases.map((c) => ({
      caseId: c.caseId,
      title: localized(c.title, locale),
      hours: formatHours(c.creditHours, locale),
    })),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const session = await requireRole(request, "educator", "author", "admin");
  const form = await readForm(request);
  assertCsrf(request, form, session);
  const { t } = await requestI18n(request, session);
  // Checkboxes repeat a name, so this form is read field by field rather than with parseForm.
  const raw = {
    titleEn: String(form.get("titleEn") ?? ""),
    titleFr: String(form.get("titleFr") ?? ""),
    descriptionEn: String(form.get("descriptionEn") ?? ""),
    descriptionFr: String(form.get("descriptionFr") ?? ""),
  };
  const caseIds = form.getAll("caseId").map(String);
  const parsed = createModuleSchema.safeParse({ ...raw, caseIds });
  const fail = (fieldErrors: FieldErrors) =>
    data({ formError: t("educator.formErrors"), fieldErrors, values: raw, caseIds }, { status: 400 });
  if (!parsed.success) {
    const fieldErrors: FieldErrors = {};
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? "form");
      fieldErrors[field] ??= isTranslationKey(issue.message) ? issue.message : "educator.errors.cases";
    }
    return fail(fieldErrors);
  }
  const result = await createModule(session.user, parsed.data);
  if (!result.ok) return fail({ caseIds: "educator.errors.cases" });
  return redirect(`/educator/modules/${result.value.id}`);
}

export default function NewModule() {
  const { t } = useTranslation();
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const errors: FieldErrors = a?.fieldErrors ?? {};
  const values: Record<string, string> = a?.values ?? {};
  const chosen = new Set(a?.caseIds ?? []);
  return (
    <section>
      <h1>{t("educator.modules.createTitle")}</h1>
      <FormAlert message={a?.formError} />
      <Form method="post" className="edu-form" noValidate>
        <CsrfField />
        <ModuleTextFields values={values} errors={errors} />
        <fieldset className="field" aria-describedby={errors.caseIds ? "cases-hint cases-error" : "cases-hint"}>
          <legend>{t("educator.modules.pickCases")}</legend>
          <p id="cases-hint" className="hint">
            {t("educator.modules.pickCasesHint")}
          </p>
          {d.cases.length === 0 ? <p>{t("educator.modules.noPublished")}</p> : null}
          {d.cases.map((c) => (
            <label key={c.caseId} className="checkbox">
              <input type="checkbox" name="caseId" value={c.caseId} defaultChecked={chosen.has(String(c.caseId))} />{" "}
              {c.title} <span className="sub">{t("educator.modules.credit", { hours: c.hours })}</span>
            </label>
          ))}
          {errors.caseIds ? (
            <p id="cases-error" className="field-error">
              {t(errors.caseIds)}
            </p>
          ) : null}
        </fieldset>
        <button type="submit">{t("educator.modules.createSubmit")}</button>
      </Form>
    </section>
  );
}
