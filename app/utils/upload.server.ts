// Reading one uploaded file from a multipart form, with a hard size limit, for the studio's case
// and catalog uploads. The CSRF token travels in the same form and is checked by the caller.
import {
  MaxPartSizeExceededError,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
} from "@remix-run/node";
import { MAX_UPLOAD_BYTES } from "~/models/studio.server";

export type UploadError = "too-large" | "no-file" | "not-text" | "not-multipart" | "unreadable";
export type UploadRead =
  | { ok: true; form: FormData; name: string; text: string; bytes: Uint8Array }
  | { ok: false; form: FormData | null; error: UploadError };
/** An upload as bytes, for files that may be binary (an .h5p package is a zip). */
export type UploadBytes =
  | { ok: true; form: FormData; name: string; bytes: Uint8Array }
  | { ok: false; form: FormData | null; error: UploadError };

/**
 * Reads and discards what is left of a refused body (up to a bound), so the client receives the
 * answer instead of a reset connection while it is still sending.
 */
async function drain(request: Request, limit = 16 * 1024 * 1024): Promise<void> {
  if (!request.body || request.bodyUsed) return;
  const reader = request.body.getReader();
  let read = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      read += value.byteLength;
      if (read > limit) {
        await reader.cancel();
        return;
      }
    }
  } catch {
    // The client went away: nothing to answer.
  }
}

/** The upload size limit in megabytes, one decimal, for messages. */
export const MAX_UPLOAD_MB = Math.round(MAX_UPLOAD_BYTES / 100_000) / 10;

/**
 * The status and headers a refused upload is answered with: 413 for a body over the limit, whose
 * rest is never read (so the connection is closed, not reused), 415 for a body that is not a
 * multipart form, 400 otherwise.
 */
export function refusedUploadInit(error: Extract<UploadRead, { ok: false }>["error"]): {
  status: number;
  headers: HeadersInit;
} {
  if (error === "too-large") return { status: 413, headers: { Connection: "close" } };
  return { status: error === "not-multipart" ? 415 : 400, headers: {} };
}

/** The uploaded file's bytes, at most `maxBytes` (the case and catalog limit unless a caller needs more). */
export async function readUploadBytes(
  request: Request,
  field = "file",
  maxBytes: number = MAX_UPLOAD_BYTES,
): Promise<UploadBytes> {
  const type = request.headers.get("Content-Type") ?? "";
  if (!type.startsWith("multipart/form-data")) return { ok: false, form: null, error: "not-multipart" };
  const length = Number(request.headers.get("Content-Length") ?? "0");
  // The whole body (file plus the few other fields) may not be much bigger than the file limit.
  if (length > maxBytes + 64 * 1024) {
    await drain(request);
    return { ok: false, form: null, error: "too-large" };
  }
  let form: FormData;
  try {
    form = await unstable_parseMultipartFormData(
      request,
      unstable_createMemoryUploadHandler({ maxPartSize: maxBytes }),
    );
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) return { ok: false, form: null, error: "too-large" };
    // A multipart body without its boundary, or cut short: the platform's parser throws.
    return { ok: false, form: null, error: "unreadable" };
  }
  const file = form.get(field);
  if (!file || typeof file === "string" || file.size === 0) return { ok: false, form, error: "no-file" };
  const bytes = new Uint8Array(await file.arrayBuffer());
  // Browsers send a bare name; strip any path a client adds, and keep it short.
  const name = (file.name || "upload.json").split(/[\\/]/).pop()!.slice(0, 120) || "upload.json";
  return { ok: true, form, name, bytes };
}

/** The bytes as UTF-8 text, or null when they are not. */
export function uploadText(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return null;
  }
}

/** A text upload (a case or catalog file): its bytes, and their UTF-8 text. */
export async function readUpload(request: Request, field = "file"): Promise<UploadRead> {
  const upload = await readUploadBytes(request, field);
  if (!upload.ok) return upload;
  const text = uploadText(upload.bytes);
  if (text === null) return { ok: false, form: upload.form, error: "not-text" };
  return { ...upload, text };
}
