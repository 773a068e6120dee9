import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { FormAlert } from "~/components/field";
import { DiagnosticList } from "~/components/studio/diagnostics";
import { studioLinks } from "~/components/studio/links";
import { UploadForm } from "~/components/upload-form";
import { isConvertible } from "~/engine/convert";
import { useTranslation } from "~/i18n/react";
import { importArchiveUpload, isCaseArchive } from "~/models/case-archive.server";
import { importConvertedUpload, importRegulators, MAX_CONVERT_UPLOAD_BYTES } from "~/models/case-convert.server";
import { importCaseUpload, MAX_UPLOAD_BYTES, requireStudioAuthor } from "~/models/studio.server";
import { assertCsrf } from "~/utils/csrf.server";
import { requestI18n } from "~/utils/i18n.server";
import { MAX_UPLOAD_MB, readUploadBytes, refusedUploadInit, uploadText } from "~/utils/upload.server";

export const links = studioLinks;
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Vignette" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const session = await requireStudioAuthor(request);
  const { t } = await requestI18n(request, session);
  return {
    title: `${t("studio.upload.heading")} · Vignette`,
    maxUploadMb: MAX_UPLOAD_MB,
    maxConvertMb: MAX_CONVERT_UPLOAD_BYTES / 1024 / 1024,
    regulators: await importRegulators(session.scope),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const session = await requireStudioAuthor(request);
  // H5P packages and Twine stories may be binary and larger; a case file keeps its own limit below.
  const upload = await readUploadBytes(request, "file", MAX_CONVERT_UPLOAD_BYTES);
  if (upload.form) assertCsrf(request, upload.form, session);
  if (!upload.ok) {
    return data({ error: upload.error, diagnostics: [], file: null, unchanged: null }, refusedUploadInit(upload.error));
  }
  if (isConvertible(upload.name)) {
    const { locale } = await requestI18n(request, session);
    const regulators = await importRegulators(session.scope);
    const chosen = upload.form.get("regulator");
    const regulator = regulators.length === 1 ? regulators[0]! : typeof chosen === "string" ? chosen : "";
    const converted = await importConvertedUpload(upload.name, upload.bytes, session.user.id, session.scope, {
      regulator,
      locale,
    });
    if (!converted.ok) {
      return data(
        {
          error: "not-converted" as const,
          reason: converted.code,
          detail: converted.message,
          diagnostics: [],
          file: upload.name,
          unchanged: null,
        },
        { status: 400 },
      );
    }
    return redirect(`/studio/drafts/${converted.value.draftId}?converted=1`);
  }
  let result;
  if (isCaseArchive(upload.name)) {
    // A case with its images, as the version page downloads it.
    result = await importArchiveUpload(upload.name, upload.bytes, session.user.id, session.scope);
  } else {
    const text = upload.bytes.length > MAX_UPLOAD_BYTES ? null : uploadText(upload.bytes);
    if (text === null) {
      const error = upload.bytes.length > MAX_UPLOAD_BYTES ? ("too-large" as const) : ("not-text" as const);
      return data({ error, diagnostics: [], file: null, unchanged: null }, refusedUploadInit(error));
    }
    result = await importCaseUpload(upload.name, text, session.user.id, session.scope);
  }
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
  const { maxUploadMb, maxConvertMb, regulators } = useLoaderData<typeof loader>();
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
              : "reason" in result
                ? t("studio.convert.failed", { file: result.file, reason: t(`studio.convert.errors.${result.reason}`) })
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
      {result && "detail" in result && result.detail ? <p className="hint">{result.detail}</p> : null}
      {result?.diagnostics && result.diagnostics.length > 0 ? (
        <DiagnosticList diagnostics={result.diagnostics} />
      ) : null}
      <UploadForm
        name="case"
        label={t("studio.convert.fileLabel")}
        hint={`${t("studio.upload.hint", { size: maxUploadMb })} ${t("studio.convert.hint", { size: maxConvertMb })}`}
        accept=".json,application/json,.zip,.h5p,.html,.htm,.twee,.tw"
        submit={t("studio.upload.submit")}
      >
        {regulators.length > 1 ? (
          <div className="field">
            <label htmlFor="import-regulator">{t("studio.convert.regulatorLabel")}</label>
            <select id="import-regulator" name="regulator">
              {regulators.map((id) => (
                <option key={id} value={id}>
                  {id}
                </option>
              ))}
            </select>
          </div>
        ) : null}
      </UploadForm>
    </section>
  );
}
