// A version's translations page (/studio/cases/:slug/versions/:version/translations), mounted a second time for a
// draft at /studio/drafts/:draftId/translations (remix.config.js): loadTargetPage takes either from the params.
// Its form imports a translators' file (XLIFF) as a new draft (ADR 020); the download is the xliff route.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { studioLinks } from "~/components/studio/links";
import { TranslationsPage } from "~/components/studio/pages";
import { XliffPanel, type XliffImportAnswer } from "~/components/studio/xliff-panel";
import { loadTargetPage, translationsData } from "~/models/studio-pages.server";
import { importTranslation, type TranslationImportError } from "~/models/translation.server";
import { assertCsrf } from "~/utils/csrf.server";
import { failure, type FailureMap } from "~/utils/http.server";
import { MAX_UPLOAD_MB, readUpload, refusedUploadInit } from "~/utils/upload.server";
import { xliffFileRefusals } from "~/utils/xliff-http.server";

export const links = studioLinks;
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Vignette" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { t, target, header } = await loadTargetPage(request, params);
  const { rows, locales } = translationsData(target);
  return {
    title: `${t("studio.translations.title")} · ${header.slug} · Vignette`,
    header,
    rows,
    locales,
    maxUploadMb: MAX_UPLOAD_MB,
  };
}

const refusals: FailureMap<TranslationImportError> = {
  ...xliffFileRefusals,
  "invalid-case": { status: 409, message: "studio.xliff.errors.invalid-case" },
  "other-regulator": { status: 403, message: "studio.xliff.errors.other-regulator" },
};

export async function action({ request, params }: ActionFunctionArgs) {
  const { session, target } = await loadTargetPage(request, params);
  const upload = await readUpload(request);
  if (upload.form) assertCsrf(request, upload.form, session);
  if (!upload.ok) {
    const answer: XliffImportAnswer = { ok: false, file: null, error: upload.error, message: null };
    return data({ xliff: answer }, refusedUploadInit(upload.error));
  }
  const result = await importTranslation(target, upload.text, upload.name, session.user.id);
  if (!result.ok) {
    const refusal = failure(result.code, refusals);
    const answer: XliffImportAnswer = {
      ok: false,
      file: upload.name,
      error: result.code,
      message: result.message ?? null,
    };
    return data({ xliff: answer }, { status: refusal.status });
  }
  const answer: XliffImportAnswer = { ok: true, kind: "case", file: upload.name, ...result.value };
  return data({ xliff: answer });
}

export default function Translations() {
  const { header, rows, locales, maxUploadMb } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <TranslationsPage header={header} rows={rows} locales={locales} />
      <XliffPanel
        base={header.base}
        locales={locales}
        valid={header.valid}
        maxUploadMb={maxUploadMb}
        answer={result?.xliff ?? null}
      />
    </>
  );
}
