/** A JSON file as a download; the name is ASCII-only (slugs and catalog ids are). */
export function jsonDownload(text: string, fileName: string): Response {
  const safe = fileName.replace(/[^A-Za-z0-9._-]/g, "_");
  return new Response(text, {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="${safe}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
