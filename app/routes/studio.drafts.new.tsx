import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { CsrfField } from "~/components/csrf-field";
import { FormAlert } from "~/components/field";
import { studioLinks } from "~/components/studio/links";
import { SourceEditor } from "~/components/studio/source-editor";
import { i18nKey } from "~/i18n";
import { useTranslation } from "~/i18n/react";
import {
  catalogsInScope,
  createDraft,
  emptySource,
  readSource,
  requireStudioAuthor,
  starterSource,
} from "~/models/studio.server";
import { assertCsrf } from "~/utils/csrf.server";
import { readForm } from "~/utils/form.server";
import { requestI18n } from "~/utils/i18n.server";

export const links = studioLinks;
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Vignette" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const session = await requireStudioAuthor(request);
  const { t } = await requestI18n(request, session);
  const catalogs = await catalogsInScope(session.scope);
  return { title: `${t("studio.editor.newTitle")} · Vignette`, source: starterSource(catalogs[0]), catalogs };
}

export async function action({ request }: ActionFunctionArgs) {
  const session = await requireStudioAuthor(request);
  const form = await readForm(request);
  assertCsrf(request, form, session);
  if (form.get("intent") === "empty") {
    // The person's only regulator, or that of the first catalog they author for.
    const only = !session.scope.all && session.scope.regulators.size === 1 ? [...session.scope.regulators][0] : "";
    const regulator = only || (await catalogsInScope(session.scope))[0]?.regulator || "";
    const draft = await createDraft(emptySource(regulator), session.user.id, session.scope, { from: "empty" });
    if (!draft.ok) {
      const error = i18nKey(`studio.editor.errors.${draft.code}`);
      return data({ error, regulator: draft.regulator ?? "", source: "" }, { status: 400 });
    }
    return redirect(`/studio/drafts/${draft.value.id}?saved=1`);
  }
  const posted = readSource(form);
  if (!posted.ok) return data({ error: i18nKey(`studio.editor.errors.${posted.error}`), source: "" }, { status: 400 });
  const draft = await createDraft(posted.source, session.user.id, session.scope);
  if (!draft.ok) {
    const error = i18nKey(`studio.editor.errors.${draft.code}`);
    return data({ error, regulator: draft.regulator ?? "", source: posted.source }, { status: 400 });
  }
  return redirect(`/studio/drafts/${draft.value.id}?saved=1`);
}

export default function NewDraft() {
  const { t } = useTranslation();
  const { source, catalogs } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <section className="studio">
      <p className="breadcrumbs">
        <Link to="/studio">{t("studio.title")}</Link>
      </p>
      <h1>{t("studio.editor.newTitle")}</h1>
      <p>{t("studio.editor.newIntro")}</p>
      <FormAlert
        message={result?.error ? t(result.error, { regulator: "regulator" in result ? result.regulator : "" }) : null}
      />
      <Form method="post" className="panel">
        <CsrfField />
        <input type="hidden" name="intent" value="empty" />
        <p>{t("studio.editor.emptyIntro")}</p>
        <button type="submit">{t("studio.editor.createEmpty")}</button>
      </Form>
      <Form method="post" className="editor-form">
        <CsrfField />
        <SourceEditor defaultValue={result?.source || source} diagnostics={[]} catalogs={catalogs} file="draft.json" />
        <button type="submit">{t("studio.editor.create")}</button>
      </Form>
    </section>
  );
}
