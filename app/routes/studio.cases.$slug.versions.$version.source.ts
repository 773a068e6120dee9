import type { LoaderFunctionArgs } from "@remix-run/node";
import { jsonDownload } from "~/models/studio-download.server";
import { caseFileName, getVersion, requireStudio } from "~/models/studio.server";

/** A published version's file byte for byte, named like the case file it came from. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { scope } = await requireStudio(request);
  const row = await getVersion(params.slug ?? "", Number(params.version), scope);
  if (!row) throw new Response("Not found", { status: 404 });
  return jsonDownload(row.source, caseFileName(row.case.slug));
}
