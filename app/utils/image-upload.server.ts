// Reading one uploaded image from a multipart form, with a hard size limit (the bytes, not text:
// what they are is decided by app/models/case-image.server.ts from their content). The CSRF token
// travels in the same form and is checked by the caller.
import {
  MaxPartSizeExceededError,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
} from "@remix-run/node";
import { IMAGE_LIMITS, uploadDraftImage, type DraftImageError } from "~/models/case-image.server";
import { requireStudioAuthor } from "~/models/studio.server";
import { caseImageUrl } from "./case-image-view";
import { assertCsrf } from "./csrf.server";
import { failure, type FailureMap } from "./http.server";
import { requestI18n } from "./i18n.server";
import { fail, ok, type Result } from "./result";

export type ImageUploadError = "too-large" | "no-file" | "not-multipart" | "unreadable-form";

/** The image size limit in megabytes, one decimal, for messages. */
export const MAX_IMAGE_MB = Math.round(IMAGE_LIMITS.bytes / 100_000) / 10;

/** The form (for its CSRF token, absent when it could not be read) and the file's bytes. */
export type ImageUpload = { form: FormData | null; read: Result<Uint8Array, ImageUploadError> };

export async function readImageUpload(request: Request, field = "file"): Promise<ImageUpload> {
  const type = request.headers.get("Content-Type") ?? "";
  if (!type.startsWith("multipart/form-data")) return { form: null, read: fail("not-multipart") };
  // The whole body (file plus the token) may not be much bigger than the file limit.
  if (Number(request.headers.get("Content-Length") ?? "0") > IMAGE_LIMITS.bytes + 64 * 1024) {
    return { form: null, read: fail("too-large") };
  }
  let form: FormData;
  try {
    form = await unstable_parseMultipartFormData(
      request,
      unstable_createMemoryUploadHandler({ maxPartSize: IMAGE_LIMITS.bytes }),
    );
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) return { form: null, read: fail("too-large") };
    return { form: null, read: fail("unreadable-form") };
  }
  const file = form.get(field);
  if (!file || typeof file === "string" || file.size === 0) return { form, read: fail("no-file") };
  return { form, read: ok(new Uint8Array(await file.arrayBuffer())) };
}

/** What an image upload answers, as JSON (the visual editor) or as the upload page's data. */
export type ImageUploadAnswer =
  | { ok: true; src: string; width: number; height: number; url: string }
  | { ok: false; error: DraftImageError | ImageUploadError; message: string };

const FAILURES: FailureMap<DraftImageError | ImageUploadError> = {
  empty: { status: 400, message: "studio.images.errors.empty" },
  "too-large": { status: 413, message: "studio.images.errors.too-large" },
  "not-image": { status: 415, message: "studio.images.errors.not-image" },
  "too-many-pixels": { status: 413, message: "studio.images.errors.too-many-pixels" },
  unreadable: { status: 400, message: "studio.images.errors.unreadable" },
  "no-file": { status: 400, message: "studio.images.errors.no-file" },
  "not-multipart": { status: 415, message: "studio.images.errors.not-multipart" },
  "unreadable-form": { status: 400, message: "studio.images.errors.unreadable-form" },
  "not-found": { status: 404, message: "studio.images.errors.not-found" },
  "not-editable": { status: 409, message: "studio.images.errors.not-editable" },
};

/**
 * The one image upload action, behind the upload page (…/images) and its JSON twin (…/images.json):
 * a studio session, the form's CSRF token, then the draft's regulator's store. A refused body over
 * the limit closes the connection (its rest is never read).
 */
export async function answerImageUpload(
  request: Request,
  draftId: string,
): Promise<{ status: number; headers: Record<string, string>; answer: ImageUploadAnswer }> {
  const session = await requireStudioAuthor(request);
  const { t } = await requestI18n(request, session);
  const upload = await readImageUpload(request);
  if (upload.form) assertCsrf(request, upload.form, session);
  const result = upload.read.ok
    ? await uploadDraftImage(draftId, upload.read.value, session.user.id, session.scope)
    : upload.read;
  if (!result.ok) {
    const { status, message } = failure(result.code, FAILURES);
    return {
      status,
      headers: result.code === "too-large" ? { Connection: "close" } : {},
      answer: { ok: false, error: result.code, message: t(message, { size: MAX_IMAGE_MB }) },
    };
  }
  const { src, width, height, hash } = result.value;
  return { status: 200, headers: {}, answer: { ok: true, src, width, height, url: caseImageUrl(hash) } };
}
