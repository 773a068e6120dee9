import type { LoaderFunctionArgs } from "@remix-run/node";
import { jsonDownload } from "~/models/studio-download.server";
import { getCatalogVersion, requireStudio } from "~/models/studio.server";

/** A catalog version's file exactly as uploaded. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { scope } = await requireStudio(request);
  const sequence = Number(params.sequence);
  const found = Number.isInteger(sequence) ? await getCatalogVersion(params.catalogId ?? "", scope, sequence) : null;
  if (!found) throw new Response("Not found", { status: 404 });
  return jsonDownload(found.row.source, `${found.row.catalogId}.json`);
}
