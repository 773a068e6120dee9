import type { LoaderFunctionArgs } from "@remix-run/node";
import { exportCaseArchive } from "~/models/case-archive.server";
import { getVersion, requireStudio } from "~/models/studio.server";
import { getDb } from "~/utils/db.server";
import { notFound } from "~/utils/http.server";

/**
 * A published version with its images as one zip (ADR 022), as `npm run cases:export` writes it and
 * `cases:import` publishes it again as the same version. Scoped like the version's other pages.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { readScope: scope } = await requireStudio(request);
  const row = await getVersion(params.slug ?? "", Number(params.version), scope);
  if (!row) throw notFound();
  const archive = await exportCaseArchive(getDb(), row.case.slug, row.version);
  // A version names only images stored with it; one missing is a broken store, not a bad request.
  if (!archive.ok) throw new Error(`archive of ${row.case.slug} v${row.version}: ${archive.code}`);
  return new Response(new Uint8Array(archive.value.zip), {
    headers: {
      "Content-Type": "application/zip",
      "Content-Disposition": `attachment; filename="${row.case.slug}-v${row.version}.zip"`,
      "Cache-Control": "private, no-store",
    },
  });
}
