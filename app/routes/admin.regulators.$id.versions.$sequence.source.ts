import type { LoaderFunctionArgs } from "@remix-run/node";
import { adminScope } from "~/models/admin.server";
import { profileVersionSource } from "~/models/regulator-profile.server";
import { jsonDownload } from "~/models/studio-download.server";
import { notFound } from "~/utils/http.server";
import { inScope } from "~/utils/roles";
import { requireRole } from "~/utils/session.server";

/** A profile version's file exactly as uploaded or imported, for an admin of that regulator. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const session = await requireRole(request, "admin");
  const id = params.id ?? "";
  const sequence = Number(params.sequence);
  if (!inScope(adminScope(session.user), id) || !Number.isInteger(sequence)) throw notFound();
  const source = await profileVersionSource(id, sequence);
  if (source === null) throw notFound();
  return jsonDownload(source, `${id}.json`);
}
