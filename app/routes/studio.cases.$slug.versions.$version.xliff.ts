// A version's texts as a translators' file (XLIFF), mounted a second time for a draft at
// /studio/drafts/:draftId/xliff (routes/studio.drafts.$draftId.xliff.ts): loadTargetPage takes either
// from the params and holds it to the person's regulators. ?target=fr&xliff=2.1|1.2 (ADR 020).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { loadTargetPage } from "~/models/studio-pages.server";
import { exportTranslation, type TranslationExportError } from "~/models/translation.server";
import { failure, type FailureMap } from "~/utils/http.server";
import { xliffDownload, xliffQuery } from "~/utils/xliff-http.server";

const refusals: FailureMap<TranslationExportError | "bad-version"> = {
  "invalid-case": { status: 409, message: "studio.xliff.errors.invalid-case" },
  "same-locale": { status: 409, message: "studio.xliff.errors.same-locale" },
  "locale-not-listed": { status: 400, message: "studio.xliff.errors.locale-not-listed" },
  "bad-version": { status: 400, message: "studio.xliff.errors.unsupported-version" },
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { session, t, target } = await loadTargetPage(request, params);
  const query = xliffQuery(request);
  if (!query.ok) throw failure(query.code, refusals, t).response;
  const result = await exportTranslation(target, query, session.user.id);
  if (!result.ok) throw failure(result.code, refusals, t).response;
  return xliffDownload(result.value.xml, result.value.fileName);
}
