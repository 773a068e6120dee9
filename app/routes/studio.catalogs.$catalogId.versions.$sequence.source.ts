import type { LoaderFunctionArgs } from "@remix-run/node";
import { jsonDownload } from "~/models/studio-download.server";
import { getCatalogVersion, requireStudio } from "~/models/studio.server";
import { notFound } from "~/utils/http.server";

/** A catalog version's file exactly as uploaded. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { readScope: scope } = await requireStudio(request);
  const sequence = Number(params.sequence);
  const found = Number.isInteger(sequence) ? await getCatalogVersion(params.catalogId ?? "", scope, sequence) : null;
  if (!found) throw notFound();
  return jsonDownload(found.row.source, `${found.row.catalogId}.json`);
}
