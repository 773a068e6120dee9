// A catalog version's texts as a translators' file (XLIFF): the file `cases:xliff export` writes for
// it, marked against the last import into that locale. ?target=fr&xliff=2.1|1.2 (ADR 020).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireStudio } from "~/models/studio.server";
import { exportCatalogTranslation, type TranslationExportError } from "~/models/translation.server";
import { failure, notFound, type FailureMap } from "~/utils/http.server";
import { requestI18n } from "~/utils/i18n.server";
import { xliffDownload, xliffQuery } from "~/utils/xliff-http.server";

const refusals: FailureMap<Exclude<TranslationExportError, "invalid-case"> | "bad-version"> = {
  "same-locale": { status: 409, message: "studio.xliff.catalog.errors.same-locale" },
  "locale-not-listed": { status: 400, message: "studio.xliff.catalog.errors.locale-not-listed" },
  "bad-version": { status: 400, message: "studio.xliff.errors.unsupported-version" },
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  const session = await requireStudio(request);
  const { t } = await requestI18n(request, session);
  const sequence = Number(params.sequence);
  if (!Number.isInteger(sequence)) throw notFound(t);
  const query = xliffQuery(request);
  if (!query.ok) throw failure(query.code, refusals, t).response;
  const result = await exportCatalogTranslation(
    params.catalogId ?? "",
    sequence,
    session.readScope,
    query,
    session.user.id,
  );
  if (!result.ok) {
    if (result.code === "not-found") throw notFound(t);
    throw failure(result.code, refusals, t).response;
  }
  return xliffDownload(result.value.xml, result.value.fileName);
}
