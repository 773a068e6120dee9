import { contentDisposition } from "./csv.server";

/** A downloadable PDF that is never cached (it may hold personal data). */
export function pdfResponse(filename: string, bytes: Uint8Array): Response {
  return new Response(Buffer.from(bytes), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": contentDisposition(filename),
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
