import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { CsrfField } from "~/components/csrf-field";
import { FormAlert } from "~/components/field";
import { DiagnosticList } from "~/components/studio/diagnostics";
import { studioLinks } from "~/components/studio/links";
import { useTranslation } from "~/i18n/react";
import { importCaseUpload, requireStudio } from "~/models/studio.server";
import { assertCsrf } from "~/utils/csrf.server";
import { requestI18n } from "~/utils/i18n.server";
import { MAX_UPLOAD_MB, readUpload, refusedUploadInit } from "~/utils/upload.server";

export const links = studioLinks;
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Vignette" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const session = await requireStudio(request);
  const { t } = await requestI18n(request, session);
  return { title: `${t("studio.upload.heading")} · Vignette`, maxUploadMb: MAX_UPLOAD_MB };
}

export async function action({ request }: ActionFunctionArgs) {
  const session = await requireStudio(request);
  const upload = await readUpload(request);
  if (upload.form) assertCsrf(request, upload.form, session);
  if (!upload.ok) {
    return data({ error: upload.error, diagnostics: [], file: null, unchanged: null }, refusedUploadInit(upload.error));
  }
  const result = await importCaseUpload(upload.name, upload.text, session.user.id, session.scope);
  if (!result.ok)
    return data(
      { error: "invalid" as const, diagnostics: result.diagnostics, file: upload.name, unchanged: null },
      { status: 400 },
    );
  if (result.status === "unchanged") {
    return data({
      error: null,
      diagnostics: [],
      file: upload.name,
      unchanged: { slug: result.slug, version: result.version },
    });
  }
  return redirect(`/studio/drafts/${result.draftId}?uploaded=1`);
}

export default function Upload() {
  const { t } = useTranslation();
  const { maxUploadMb } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <section className="studio">
      <p className="breadcrumbs">
        <Link to="/studio">{t("studio.title")}</Link>
      </p>
      <h1>{t("studio.upload.heading")}</h1>
      <FormAlert
        message={
          !result?.error
            ? null
            : result.error === "invalid"
              ? t("studio.upload.invalid", { file: result.file })
              : t(`studio.upload.errors.${result.error}`, { size: maxUploadMb })
        }
      />
      {result?.unchanged ? (
        <div role="status" className="notice">
          <p>
            <strong>{t("studio.upload.unchangedLabel")}</strong> —{" "}
            {t("studio.upload.unchanged", {
              file: result.file,
              slug: result.unchanged.slug,
              version: result.unchanged.version,
            })}
          </p>
          <p>
            <Link to={`/studio/cases/${encodeURIComponent(result.unchanged.slug)}`}>{result.unchanged.slug}</Link>
          </p>
        </div>
      ) : null}
      {result?.diagnostics && result.diagnostics.length > 0 ? (
        <DiagnosticList diagnostics={result.diagnostics} />
      ) : null}
      <Form method="post" encType="multipart/form-data" className="upload-form">
        <CsrfField />
        <div className="field">
          <label htmlFor="case-file">{t("studio.upload.fileLabel")}</label>
          <p id="case-file-hint" className="hint">
            {t("studio.upload.hint", { size: maxUploadMb })}
          </p>
          <input
            id="case-file"
            name="file"
            type="file"
            accept=".json,application/json"
            required
            aria-describedby="case-file-hint"
          />
        </div>
        <button type="submit">{t("studio.upload.submit")}</button>
      </Form>
    </section>
  );
}
