import type { ActionFunctionArgs } from "@remix-run/node";
import { answerImageUpload } from "~/utils/image-upload.server";

// The image upload for scripts and the visual editor: the same action as the upload page
// (…/images), answered as JSON: { ok, src, width, height, url } or { ok: false, error, message }.
export async function action({ request, params }: ActionFunctionArgs) {
  const { status, headers, answer } = await answerImageUpload(request, params.draftId ?? "");
  return Response.json(answer, { status, headers });
}
