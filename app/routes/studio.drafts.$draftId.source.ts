import type { LoaderFunctionArgs } from "@remix-run/node";
import { jsonDownload } from "~/models/studio-download.server";
import { caseFileName, getDraft, requireStudio } from "~/models/studio.server";
import { notFound } from "~/utils/http.server";

/** The draft's current text, exactly as saved. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { readScope: scope } = await requireStudio(request);
  const draft = await getDraft(params.draftId ?? "", scope);
  if (!draft) throw notFound();
  return jsonDownload(draft.source, caseFileName(draft.slug));
}
