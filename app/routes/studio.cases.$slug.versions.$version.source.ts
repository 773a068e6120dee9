import type { LoaderFunctionArgs } from "@remix-run/node";
import { jsonDownload } from "~/models/studio-download.server";
import { caseFileName, getVersion, requireStudio } from "~/models/studio.server";
import { notFound } from "~/utils/http.server";

/** A published version's file byte for byte, named like the case file it came from. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { readScope: scope } = await requireStudio(request);
  const row = await getVersion(params.slug ?? "", Number(params.version), scope);
  if (!row) throw notFound();
  return jsonDownload(row.source, caseFileName(row.case.slug));
}
