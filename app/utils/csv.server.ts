// CSV exports (completions, cohorts, transcripts) for regulators' spreadsheets and scripts.
// Output is RFC 4180 and deliberately locale-independent: numbers keep a dot decimal and dates are
// ISO 8601 UTC, so a file exported in French parses the same as one exported in English.

export type CsvCell = string | number | boolean | Date | null | undefined;

export type CsvOptions = {
  /**
   * Accepted so callers can pass the request's locale, but it does not change the output: the file
   * is meant to be machine readable. Headers are already localized by the caller (i18n catalogs).
   */
  locale?: string;
};

/**
 * A UTF-8 byte order mark. Excel decodes a CSV with the system's legacy code page unless the file
 * starts with a BOM, turning "é" into "Ã©"; other tools (Python's csv with utf-8-sig, R, pandas)
 * skip it.
 */
export const UTF8_BOM = "\uFEFF";

const CRLF = "\r\n";

/**
 * Spreadsheets run a cell starting with one of these as a formula ("=HYPERLINK(...)", "@SUM(...)"),
 * so text from learners or authors could execute in a regulator's Excel (OWASP "CSV injection").
 * A spreadsheet set for semicolon-separated files (French Canadian Excel) splits this file's lines
 * at their ";" instead; the quotes around a comma-separated field are then in the middle of one of
 * its fields, where they quote nothing, so a trigger right after a ";" would start a cell too.
 */
const FORMULA_TRIGGER = /(^|;)(?=[=+\-@\t\r])/g;

/** Text cells: neutralize formula triggers with an apostrophe, which spreadsheets hide. */
function protectText(text: string): string {
  return text.replace(FORMULA_TRIGGER, "$1'");
}

function cellText(value: CsvCell): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") {
    // Numbers are data, not text a person typed: "-3" stays a negative number. NaN and Infinity
    // are not values a spreadsheet can read back, so they are left empty.
    return Number.isFinite(value) ? String(value) : "";
  }
  if (typeof value === "boolean") return value ? "true" : "false";
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "" : value.toISOString();
  return protectText(value);
}

function quote(field: string): string {
  return /[",;\r\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field;
}

function record(cells: readonly CsvCell[]): string {
  return cells.map((cell) => quote(cellText(cell))).join(",") + CRLF;
}

/**
 * RFC 4180 CSV with a UTF-8 BOM: CRLF after every record (including the last), fields quoted
 * only when they contain `"`, `,`, `;`, CR or LF. Throws if a row's width differs from the header's,
 * since a ragged row would silently shift every column after it.
 */
export function toCsv(header: string[], rows: ReadonlyArray<readonly CsvCell[]>, _options: CsvOptions = {}): string {
  rows.forEach((row, index) => {
    if (row.length !== header.length) {
      throw new Error(`toCsv: row ${index} has ${row.length} cells, expected ${header.length} (the header's width)`);
    }
  });
  return UTF8_BOM + record(header) + rows.map(record).join("");
}

/** An ASCII-only stand-in for clients that ignore `filename*`: accents dropped, the rest "_". */
export function asciiFilename(filename: string): string {
  const ascii = filename
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    // Quotes and backslashes would end or escape the quoted-string; slashes read as paths.
    .replace(/[^\x20-\x7E]|["\\/]/gu, "_")
    .trim();
  return ascii.length > 0 ? ascii : "export.csv";
}

/** RFC 5987 value: percent-encoded UTF-8, with the characters encodeURIComponent leaves but attr-char forbids. */
function rfc5987(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function contentDisposition(filename: string): string {
  const fallback = asciiFilename(filename);
  const clean = filename.replace(/\p{Cc}/gu, "");
  return clean === fallback
    ? `attachment; filename="${fallback}"`
    : `attachment; filename="${fallback}"; filename*=UTF-8''${rfc5987(clean)}`;
}

/** A download of `csv` (from `toCsv`). Exports hold personal data, so nothing may cache them. */
export function csvResponse(filename: string, csv: string): Response {
  return new Response(csv, {
    status: 200,
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": contentDisposition(filename),
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
