// Reading an action's form body. Every action reads its body through `readForm`, so a body that is
// not a form (JSON, plain text, a broken multipart stream) is a 4xx with a reason, never a 500 from
// deep inside the platform's parser. The size of a body is limited before this runs (scripts/serve.js).

const FORM_TYPES = ["application/x-www-form-urlencoded", "multipart/form-data"] as const;

/** The media type of a request, lower-case and without parameters ("" when absent). */
export function mediaType(request: Request): string {
  return (request.headers.get("Content-Type") ?? "").split(";")[0]!.trim().toLowerCase();
}

/** A 4xx answer thrown out of an action: the root's error page shows it with its status. */
export function badRequest(status: 400 | 413 | 415, message: string): Response {
  return new Response(message, {
    status,
    headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
  });
}

/**
 * The request's form data. Throws 415 for a body that is not a form, 400 for a form that cannot be
 * read (a multipart body without its boundary, a truncated stream, bytes that are not text).
 */
export async function readForm(request: Request): Promise<FormData> {
  const type = mediaType(request);
  if (!(FORM_TYPES as readonly string[]).includes(type)) {
    throw badRequest(
      415,
      "Unsupported media type: send a form (application/x-www-form-urlencoded or multipart/form-data).",
    );
  }
  try {
    return await request.formData();
  } catch {
    throw badRequest(400, "Bad request: the form could not be read.");
  }
}
