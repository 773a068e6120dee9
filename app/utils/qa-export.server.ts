// The QA report as files: CSV (./csv.server), XLSX (exceljs: a header row, typed cells, the header
// frozen) and JSON, for the /registrar downloads and `npm run records:export` alike. Columns are
// defined once here; headers are translated, values are not (codes such as "valid", ISO dates, dot
// decimals), so a file reads the same whatever language it was exported in.
import ExcelJS from "exceljs";
import type { Translate } from "~/i18n";
import type {
  CeRecord,
  ExportFormat,
  ExportKind,
  QaReport,
  RegistrantSummary,
  ReportFilters,
} from "~/models/qa-report.server";
import { contentDisposition, toCsv, type CsvCell } from "./csv.server";

/** A column's key names its header (registrar.columns.*) and its JSON field. */
type ColumnKey =
  | "learnerName"
  | "registrationNumber"
  | "provider"
  | "providerContact"
  | "cycleStart"
  | "cycleEnd"
  | "hours"
  | "requiredHours"
  | "meets"
  | "casesPassed"
  | "completions"
  | "activityTitle"
  | "activitySlug"
  | "activityVersion"
  | "learningFormat"
  | "creditCategory"
  | "creditHours"
  | "completedAt"
  | "completionDate"
  | "timeZone"
  | "score"
  | "passed"
  | "attemptNumber"
  | "certificateId"
  | "certificateStatus";

type Column<Row> = {
  key: ColumnKey;
  type: "text" | "number" | "hours" | "percent" | "boolean" | "date";
  value: (row: Row, report: QaReport) => CsvCell;
};

const registrantColumns: Column<RegistrantSummary>[] = [
  { key: "learnerName", type: "text", value: (r) => r.learnerName },
  { key: "registrationNumber", type: "text", value: (r) => r.registrationNumber },
  { key: "provider", type: "text", value: (_r, report) => report.regulator.name },
  { key: "cycleStart", type: "text", value: (_r, report) => report.cycle.start },
  { key: "cycleEnd", type: "text", value: (_r, report) => report.cycle.end },
  { key: "timeZone", type: "text", value: (_r, report) => report.cycle.timeZone },
  { key: "hours", type: "hours", value: (r) => r.hours },
  { key: "requiredHours", type: "hours", value: (r) => r.requiredHours },
  { key: "meets", type: "boolean", value: (r) => r.meets },
  { key: "casesPassed", type: "number", value: (r) => r.casesPassed },
  { key: "completions", type: "number", value: (r) => r.completions },
];

const completionColumns: Column<CeRecord>[] = [
  { key: "learnerName", type: "text", value: (r) => r.learnerName },
  { key: "registrationNumber", type: "text", value: (r) => r.registrationNumber },
  { key: "provider", type: "text", value: (r) => r.provider },
  { key: "providerContact", type: "text", value: (r) => r.providerContact },
  { key: "activityTitle", type: "text", value: (r) => r.activityTitle },
  { key: "activitySlug", type: "text", value: (r) => r.activitySlug },
  { key: "activityVersion", type: "number", value: (r) => r.activityVersion },
  { key: "learningFormat", type: "text", value: (r) => r.learningFormat },
  { key: "creditCategory", type: "text", value: (r) => r.creditCategory },
  { key: "creditHours", type: "hours", value: (r) => r.creditHours },
  { key: "completedAt", type: "date", value: (r) => r.completedAt },
  { key: "completionDate", type: "text", value: (r) => r.completionDate },
  { key: "timeZone", type: "text", value: (r) => r.timeZone },
  { key: "score", type: "percent", value: (r) => r.score },
  { key: "passed", type: "boolean", value: (r) => r.passed },
  { key: "attemptNumber", type: "number", value: (r) => r.attemptNumber },
  { key: "certificateId", type: "text", value: (r) => r.certificateId },
  { key: "certificateStatus", type: "text", value: (r) => r.certificateStatus },
];

type Table = { columns: Column<never>[]; rows: ReadonlyArray<unknown> };

function table(report: QaReport, kind: ExportKind): Table {
  return kind === "registrants"
    ? { columns: registrantColumns as Column<never>[], rows: report.registrants }
    : { columns: completionColumns as Column<never>[], rows: report.records };
}

function cells(t: Table, report: QaReport): CsvCell[][] {
  return t.rows.map((row) => t.columns.map((c) => c.value(row as never, report)));
}

const NUMBER_FORMATS: Partial<Record<Column<never>["type"], string>> = {
  hours: "0.00",
  percent: "0.0%",
  date: "yyyy-mm-dd hh:mm:ss",
};

async function xlsx(report: QaReport, kind: ExportKind, t: Translate): Promise<Uint8Array<ArrayBuffer>> {
  const { columns, rows } = table(report, kind);
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "Vignette";
  workbook.created = new Date();
  const sheet = workbook.addWorksheet(
    t(kind === "registrants" ? "registrar.file.sheetRegistrants" : "registrar.file.sheetCompletions"),
    { views: [{ state: "frozen", ySplit: 1 }] },
  );
  sheet.columns = columns.map((c) => ({
    header: t(`registrar.columns.${c.key}`),
    key: c.key,
    width: c.type === "text" ? 24 : 16,
    style: NUMBER_FORMATS[c.type] ? { numFmt: NUMBER_FORMATS[c.type] } : {},
  }));
  sheet.getRow(1).font = { bold: true };
  for (const row of cells({ columns, rows }, report)) sheet.addRow(row.map((cell) => cell ?? null));
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

function json(report: QaReport, kind: ExportKind, filters: ReportFilters, now: Date): string {
  const { columns, rows } = table(report, kind);
  return JSON.stringify(
    {
      kind,
      generatedAt: now.toISOString(),
      regulator: report.regulator,
      cycle: { start: report.cycle.start, end: report.cycle.end, timeZone: report.cycle.timeZone },
      requiredHours: report.requiredHours,
      filters,
      rows: rows.map((row) => Object.fromEntries(columns.map((c) => [c.key, c.value(row as never, report) ?? null]))),
    },
    null,
    2,
  );
}

export type RenderedExport = {
  body: Uint8Array<ArrayBuffer> | string;
  contentType: string;
  filename: string;
  rows: number;
};

const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: "text/csv; charset=utf-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  json: "application/json; charset=utf-8",
};

/** The report as a file of the format: bytes or text, its media type, a file name and its row count. */
export async function renderQaExport(
  report: QaReport,
  kind: ExportKind,
  format: ExportFormat,
  options: { t: Translate; filters: ReportFilters; now?: Date },
): Promise<RenderedExport> {
  const { t, filters, now = new Date() } = options;
  const tab = table(report, kind);
  const base = t(kind === "registrants" ? "registrar.file.registrants" : "registrar.file.completions");
  const filename = `${base}-${report.regulator.id}-${report.cycle.start}.${format}`;
  let body: Uint8Array<ArrayBuffer> | string;
  if (format === "csv") {
    body = toCsv(
      tab.columns.map((c) => t(`registrar.columns.${c.key}`)),
      cells(tab, report),
    );
  } else if (format === "xlsx") {
    body = await xlsx(report, kind, t);
  } else {
    body = json(report, kind, filters, now);
  }
  return { body, contentType: CONTENT_TYPES[format], filename, rows: tab.rows.length };
}

/** The file as a download. It holds personal data, so nothing may cache it. */
export function exportResponse(file: RenderedExport): Response {
  return new Response(file.body, {
    status: 200,
    headers: {
      "Content-Type": file.contentType,
      "Content-Disposition": contentDisposition(file.filename),
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
