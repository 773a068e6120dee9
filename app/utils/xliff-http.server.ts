// The HTTP side of translators' files (ADR 020), for the case and catalog routes alike: the
// download's query and answer, and the status of each way a file as a whole is refused.
import { localeSchema, XLIFF_VERSIONS, type Locale, type XliffFailureCode, type XliffVersion } from "~/engine";
import type { FailureMap } from "./http.server";

/** A translators' file as a download (ADR 020): never cached, never sniffed as a page. */
export function xliffDownload(xml: string, fileName: string): Response {
  return new Response(xml, {
    headers: {
      "Content-Type": "application/xliff+xml; charset=utf-8",
      "Content-Disposition": `attachment; filename="${fileName.replace(/[^A-Za-z0-9._-]/g, "_")}"`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}

/** What an XLIFF download asks for: ?target=fr&xliff=2.1|1.2 (fr and 2.1 when left out). */
export function xliffQuery(
  request: Request,
):
  { ok: true; targetLocale: Locale; version: XliffVersion } | { ok: false; code: "locale-not-listed" | "bad-version" } {
  const url = new URL(request.url);
  const locale = localeSchema.safeParse(url.searchParams.get("target") ?? "fr");
  if (!locale.success) return { ok: false, code: "locale-not-listed" };
  const version = url.searchParams.get("xliff") ?? "2.1";
  if (!(XLIFF_VERSIONS as readonly string[]).includes(version)) return { ok: false, code: "bad-version" };
  return { ok: true, targetLocale: locale.data, version: version as XliffVersion };
}

/** A refused file (nothing applied): the status; the page shows `studio.xliff.errors.<code>`. */
export const xliffFileRefusals: FailureMap<XliffFailureCode> = {
  "too-large": { status: 413, message: "studio.xliff.errors.too-large" },
  malformed: { status: 400, message: "studio.xliff.errors.malformed" },
  doctype: { status: 400, message: "studio.xliff.errors.doctype" },
  "not-xliff": { status: 400, message: "studio.xliff.errors.not-xliff" },
  "unsupported-version": { status: 400, message: "studio.xliff.errors.unsupported-version" },
  languages: { status: 422, message: "studio.xliff.errors.languages" },
  "other-file": { status: 422, message: "studio.xliff.errors.other-file" },
  "no-units": { status: 422, message: "studio.xliff.errors.no-units" },
};
