import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { FormAlert } from "~/components/field";
import { useTranslation } from "~/i18n/react";
import { studioLinks } from "~/components/studio/links";
import { SourceEditor } from "~/components/studio/source-editor";
import { catalogCodes, type Catalog } from "~/engine";
import { createDraft, latestCatalogs, MAX_SOURCE_CHARS, requireStudio } from "~/models/studio.server";
import { CsrfField } from "~/root";
import { assertCsrf } from "~/utils/csrf.server";
import { requestI18n } from "~/utils/i18n.server";

export const links = studioLinks;
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Vignette" }];

/** A small complete case to start from, scored against a catalog that exists. */
function starter(catalog: Catalog | undefined): string {
  const id = catalog?.id ?? "your-catalog";
  const code = catalog ? (catalogCodes(catalog).at(-1) ?? "1") : "1";
  const value = {
    format: 1,
    slug: "new-case",
    regulator: catalog?.regulator ?? "your-regulator",
    locales: ["en", "fr"],
    title: { en: "New case", fr: "Nouveau cas" },
    summary: { en: "One sentence about the situation.", fr: "Une phrase sur la situation." },
    profession: "occupational-therapy",
    release: new Date().toISOString().slice(0, 7),
    credit: { hours: 0.25, category: "ethics" },
    passMark: 0.7,
    standards: [id],
    start: "context",
    nodes: {
      context: { kind: "scene", body: { en: "What happens.", fr: "Ce qui se passe." }, next: "q1" },
      q1: {
        kind: "decision",
        prompt: { en: "What do you do?", fr: "Que faites-vous?" },
        choices: [
          { id: "good", label: { en: "The right thing", fr: "Ce qu'il faut faire" }, next: "end", effects: [{ standard: `${id}:${code}`, points: 1 }] },
          { id: "poor", label: { en: "Something else", fr: "Autre chose" }, next: "end", effects: [{ standard: `${id}:${code}`, points: -1 }] },
        ],
      },
      end: { kind: "outcome", title: { en: "The end", fr: "La fin" }, body: { en: "What follows.", fr: "La suite." } },
    },
  };
  return `${JSON.stringify(value, null, 2)}\n`;
}

export async function loader({ request }: LoaderFunctionArgs) {
  const session = await requireStudio(request);
  const { t } = await requestI18n(request, session);
  const catalogs = [...(await latestCatalogs()).values()];
  return { title: `${t("studio.editor.newTitle")} · Vignette`, source: starter(catalogs[0]), catalogs };
}

export async function action({ request }: ActionFunctionArgs) {
  const session = await requireStudio(request);
  const form = await request.formData();
  assertCsrf(request, form, session);
  const source = form.get("source");
  if (typeof source !== "string" || source.trim() === "") return data({ error: "studio.editor.errors.empty", source: "" }, { status: 400 });
  if (source.length > MAX_SOURCE_CHARS) return data({ error: "studio.editor.errors.tooLong", source: "" }, { status: 400 });
  const draft = await createDraft(source, session.user.id);
  return redirect(`/studio/drafts/${draft.id}?saved=1`);
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
      <FormAlert message={result?.error ? t(result.error) : null} />
      <Form method="post" className="editor-form">
        <CsrfField />
        <SourceEditor defaultValue={result?.source || source} diagnostics={[]} catalogs={catalogs} file="draft.json" />
        <button type="submit">{t("studio.editor.create")}</button>
      </Form>
    </section>
  );
}
