// One module: its cases in order with the total credit hours; its creator (or an admin) edits the
// texts, adds, reorders and removes cases, or deletes it. Everyone else in the area reads it.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { CsrfField } from "~/components/csrf-field";
import { FormAlert, SelectField } from "~/components/field";
import { IntentButton } from "~/components/intent-button";
import { ModuleTextFields } from "~/components/module-text-fields";
import { moduleTexts } from "~/forms/educator.server";
import { parseForm, type FieldErrors } from "~/forms/parse";
import { i18nKey, localized } from "~/i18n";
import { useTranslation } from "~/i18n/react";
import {
  addCaseToModule,
  canEditModule,
  deleteModule,
  getModule,
  listPublishedCaseChoices,
  moveCaseInModule,
  removeCaseFromModule,
  updateModuleText,
  type ModuleWriteResult,
} from "~/models/module.server";
import { assertCsrf } from "~/utils/csrf.server";
import { readForm } from "~/utils/form.server";
import { formatHours } from "~/utils/format";
import { forbidden, notFound } from "~/utils/http.server";
import { requestI18n } from "~/utils/i18n.server";
import { requireRole } from "~/utils/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Vignette" }];

const caseId = z.coerce
  .number<string>({ error: i18nKey("educator.errors.case") })
  .int(i18nKey("educator.errors.case"))
  .positive(i18nKey("educator.errors.case"));

const schemas = {
  text: moduleTexts,
  add: z.object({ caseId }),
  move: z.object({ caseId, direction: z.enum(["up", "down"]) }),
  remove: z.object({ caseId }),
  delete: z.object({}),
} as const;
type Intent = keyof typeof schemas;
const isIntent = (v: unknown): v is Intent => typeof v === "string" && Object.hasOwn(schemas, v);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const session = await requireRole(request, "educator", "author", "admin");
  const { locale } = await requestI18n(request, session);
  const module = await getModule(params.moduleId ?? "");
  if (!module) throw notFound();
  const inModule = new Set(module.cases.map((c) => c.caseId));
  const available = (await listPublishedCaseChoices()).filter((c) => !inModule.has(c.caseId));
  const titleText = localized(module.title, locale);
  return {
    title: `${titleText} · Vignette`,
    module: {
      id: module.id,
      title: titleText,
      description: localized(module.description, locale),
      texts: {
        titleEn: module.title.en ?? "",
        titleFr: module.title.fr ?? "",
        descriptionEn: module.description.en ?? "",
        descriptionFr: module.description.fr ?? "",
      },
      totalHours: formatHours(module.totalHours, locale),
      assignmentCount: module.assignmentCount,
      cases: module.cases.map((c) => ({
        caseId: c.caseId,
        slug: c.slug,
        title: localized(c.title, locale),
        hours: formatHours(c.creditHours, locale),
      })),
    },
    editable: canEditModule(session.user, module),
    available: available.map((c) => ({ caseId: c.caseId, title: localized(c.title, locale) })),
  };
}

type ActionResult = {
  intent: Intent | null;
  ok: boolean;
  message?: string | null;
  formError?: string | null;
  fieldErrors?: FieldErrors;
  values?: Record<string, string>;
};

export async function action({ request, params }: ActionFunctionArgs) {
  const session = await requireRole(request, "educator", "author", "admin");
  const form = await readForm(request);
  assertCsrf(request, form, session);
  const { t } = await requestI18n(request, session);
  const moduleId = params.moduleId ?? "";
  const module = await getModule(moduleId);
  if (!module) throw notFound();
  if (!canEditModule(session.user, module)) throw forbidden();
  const intent = form.get("intent");
  if (!isIntent(intent))
    return data<ActionResult>({ intent: null, ok: false, formError: t("educator.formErrors") }, { status: 400 });
  const parsed = parseForm(schemas[intent], form);
  if (!parsed.data) {
    return data<ActionResult>(
      { intent, ok: false, formError: t("educator.formErrors"), fieldErrors: parsed.errors, values: parsed.values },
      { status: 400 },
    );
  }
  const outcome = (result: ModuleWriteResult, field = "caseId") => {
    if (result.ok) return data<ActionResult>({ intent, ok: true, message: t("educator.saved") });
    if (result.code === "not-found") throw notFound();
    if (result.code === "forbidden") throw forbidden();
    return data<ActionResult>(
      {
        intent,
        ok: false,
        formError: t("educator.formErrors"),
        fieldErrors: { [field]: "educator.errors.case" },
        values: parsed.values ?? {},
      },
      { status: 400 },
    );
  };
  const input = parsed.data as Record<string, unknown>;
  switch (intent) {
    case "text":
      return outcome(await updateModuleText(session.user, moduleId, schemas.text.parse(input)));
    case "add":
      return outcome(await addCaseToModule(session.user, moduleId, input.caseId as number));
    case "move":
      return outcome(
        await moveCaseInModule(session.user, moduleId, input.caseId as number, input.direction === "up" ? -1 : 1),
      );
    case "remove":
      return outcome(await removeCaseFromModule(session.user, moduleId, input.caseId as number));
    case "delete": {
      const result = await deleteModule(session.user, moduleId);
      if (result.ok) return redirect("/educator/modules");
      if (result.code === "assigned") {
        return data<ActionResult>(
          { intent, ok: false, formError: t("educator.module.deleteAssigned") },
          { status: 409 },
        );
      }
      throw result.code === "forbidden" ? forbidden() : notFound();
    }
  }
}

export default function ModulePage() {
  const { t } = useTranslation();
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const errorsFor = (intent: Intent): FieldErrors => (a?.intent === intent ? (a.fieldErrors ?? {}) : {});
  const textValues = a?.intent === "text" && !a.ok ? (a.values ?? {}) : d.module.texts;
  const textErrors = errorsFor("text");
  const last = d.module.cases.length - 1;
  return (
    <section>
      <p className="breadcrumb">
        <Link to="/educator/modules">{t("educator.module.back")}</Link>
      </p>
      <h1>{d.module.title}</h1>
      {d.module.description ? <p>{d.module.description}</p> : null}
      <p className="total">{t("educator.module.totalHours", { hours: d.module.totalHours })}</p>
      {a?.ok && a.message ? (
        <p role="status" className="notice">
          {a.message}
        </p>
      ) : null}
      <FormAlert message={a?.ok === false ? a.formError : null} />
      {d.editable ? null : <p>{t("educator.module.readOnly")}</p>}

      {d.module.cases.length === 0 ? (
        <p>{t("educator.module.noCases")}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col" className="num">
                {t("educator.module.position")}
              </th>
              <th scope="col">{t("educator.module.case")}</th>
              <th scope="col" className="num">
                {t("educator.module.hours")}
              </th>
              {d.editable ? <th scope="col">{t("educator.module.actions")}</th> : null}
            </tr>
          </thead>
          <tbody>
            {d.module.cases.map((c, index) => (
              <tr key={c.caseId}>
                <td className="num">{index + 1}</td>
                <th scope="row">
                  <Link to={`/cases/${c.slug}`}>{c.title}</Link>
                </th>
                <td className="num">{c.hours}</td>
                {d.editable ? (
                  <td>
                    <div className="row-actions">
                      {(["up", "down"] as const)
                        .filter((direction) => (direction === "up" ? index > 0 : index < last))
                        .map((direction) => {
                          const word = direction === "up" ? "moveUp" : "moveDown";
                          return (
                            <IntentButton
                              key={direction}
                              intent="move"
                              fields={{ caseId: c.caseId, direction }}
                              formClassName="inline-form"
                              className="secondary"
                              aria-label={t(`educator.module.${word}Label`, { title: c.title })}
                            >
                              {t(`educator.module.${word}`)}
                            </IntentButton>
                          );
                        })}
                      <IntentButton
                        intent="remove"
                        fields={{ caseId: c.caseId }}
                        formClassName="inline-form"
                        className="secondary"
                        aria-label={t("educator.module.removeLabel", { title: c.title })}
                      >
                        {t("educator.module.remove")}
                      </IntentButton>
                    </div>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      )}

      {d.editable ? (
        <>
          <h2 id="add-case">{t("educator.module.addTitle")}</h2>
          {d.available.length === 0 ? (
            <p>{t("educator.module.allAdded")}</p>
          ) : (
            <Form method="post" className="edu-form inline-fields" aria-labelledby="add-case" noValidate>
              <CsrfField />
              <input type="hidden" name="intent" value="add" />
              <SelectField
                id="add-caseId"
                name="caseId"
                label={t("educator.module.addCase")}
                placeholder={t("educator.module.addPlaceholder")}
                error={errorsFor("add").caseId}
              >
                {d.available.map((c) => (
                  <option key={c.caseId} value={c.caseId}>
                    {c.title}
                  </option>
                ))}
              </SelectField>
              <button type="submit">{t("educator.module.addSubmit")}</button>
            </Form>
          )}

          <h2 id="edit-text">{t("educator.module.editTitle")}</h2>
          <Form method="post" className="edu-form" aria-labelledby="edit-text" noValidate>
            <CsrfField />
            <input type="hidden" name="intent" value="text" />
            <ModuleTextFields values={textValues} errors={textErrors} />
            <button type="submit">{t("educator.module.saveSubmit")}</button>
          </Form>

          <h2 id="delete-module">{t("educator.module.deleteTitle")}</h2>
          <Form method="post" className="edu-form danger" aria-labelledby="delete-module">
            <CsrfField />
            <input type="hidden" name="intent" value="delete" />
            {d.module.assignmentCount > 0 ? <p>{t("educator.module.deleteAssigned")}</p> : null}
            <button type="submit" className="danger" disabled={d.module.assignmentCount > 0}>
              {t("educator.module.deleteSubmit")}
            </button>
          </Form>
        </>
      ) : null}
    </section>
  );
}
