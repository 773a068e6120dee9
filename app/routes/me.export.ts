import type { LoaderFunctionArgs } from "@remix-run/node";
import { collectUserExport } from "~/models/export.server";
import { exportResponse } from "~/utils/export-archive.server";
import { requireSession } from "~/utils/session.server";

/** /me/export — the signed-in person's own data as one zip (JSON and CSV); signed out: to sign-in. */
export async function loader({ request }: LoaderFunctionArgs) {
  const session = await requireSession(request);
  return exportResponse(await collectUserExport(session.user.id));
}
