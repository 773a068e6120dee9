import fs from "node:fs/promises";
import { createRequire } from "node:module";
import {
  PDFDocument,
  PageSizes,
  beginMarkedContent,
  degrees,
  endMarkedContent,
  fill,
  popGraphicsState,
  pushGraphicsState,
  rectangle,
  rgb,
  setFillingRgbColor,
  type PDFFont,
  type PDFPage,
  type RGB,
} from "pdf-lib";
import QRCode from "qrcode";
import { intlLocale, type Locale } from "~/i18n";
import { DISPLAY_TIME_ZONE } from "./format";

// Certificates and transcripts are drawn with DejaVu Sans (regular and bold, from the
// dejavu-fonts-ttf package), embedded as subsets: a learner called Łukasz Dvořák or Nguyễn Thị
// gets their name printed as written, which the standard PDF fonts (Windows-1252 only) could not
// do. See docs/decisions/010-pdf-fonts.md. Every visible word comes from the caller (the i18n
// catalogs); this module only lays out.

export type CertificateLabels = {
  heading: string;
  learner: string;
  registrationNumber: string;
  case: string;
  version: string;
  creditHours: string;
  completedOn: string;
  regulator: string;
  status: string;
  valid: string;
  revoked: string;
  verifyAt: string;
  code: string;
};

export type CertificateStatus = { revoked: false } | { revoked: true; revokedAt: Date; reason: string };

export type CertificatePdfInput = {
  locale: Locale;
  labels: CertificateLabels;
  learnerName: string;
  registrationNumber: string;
  caseTitle: string;
  caseVersion: number;
  creditHours: number;
  completedAt: Date;
  regulator: string;
  status: CertificateStatus;
  verificationUrl: string;
  code: string;
  /** IANA zone used to print dates; defaults to DEFAULT_TIME_ZONE so output never depends on the server's zone. */
  timeZone?: string;
};

export type TranscriptLabels = {
  heading: string;
  learner: string;
  registrationNumber: string;
  /** Label before the date range, e.g. "Period" / "Période". */
  period: string;
  date: string;
  case: string;
  version: string;
  score: string;
  creditHours: string;
  certificate: string;
  /** Shown instead of a certificate code for practice completions (they earn no credit). */
  practice: string;
  /** Under a revoked certificate's code, before the date it was revoked. */
  revoked: string;
  total: string;
  /** Shown when the range holds no completions. */
  empty: string;
};

export type TranscriptRow = {
  completedAt: Date;
  caseTitle: string;
  caseVersion: number;
  /** 0–100. */
  scorePercent: number;
  creditHours: number;
  /** null for a practice completion; a revoked certificate earns no credit and says so. */
  certificate: { code: string; revokedAt: Date | null } | null;
};

export type TranscriptPdfInput = {
  locale: Locale;
  labels: TranscriptLabels;
  learnerName: string;
  registrationNumber: string;
  from: Date;
  to: Date;
  /** Printed in the order given. */
  rows: TranscriptRow[];
  /** Becomes the PDF creation date; passed in (not `new Date()`) so the same input gives the same bytes. */
  generatedAt: Date;
  timeZone?: string;
};

/** The regulators' clock, the same as on the pages (app/utils/format.ts). */
export const DEFAULT_TIME_ZONE = DISPLAY_TIME_ZONE;

const INK = rgb(0.1, 0.12, 0.16);
const MUTED = rgb(0.38, 0.41, 0.47);
const ACCENT = rgb(0.09, 0.33, 0.42);
const RULE = rgb(0.8, 0.83, 0.86);
const STRIPE = rgb(0.95, 0.96, 0.97);
const VALID = rgb(0.06, 0.45, 0.22);
const REVOKED = rgb(0.75, 0.1, 0.1);

// ---------------------------------------------------------------------------------------------
// Text helpers

/** Whether a font has a glyph for a code point, its character set read once per embedded font. */
const drawableTests = new WeakMap<PDFFont, (codePoint: number) => boolean>();

function drawableBy(font: PDFFont): (codePoint: number) => boolean {
  let canDraw = drawableTests.get(font);
  if (!canDraw) {
    const set = new Set(font.getCharacterSet());
    canDraw = (codePoint) => set.has(codePoint);
    drawableTests.set(font, canDraw);
  }
  return canDraw;
}

function isDrawable(text: string, canDraw: (codePoint: number) => boolean): boolean {
  for (const ch of text) if (!canDraw(ch.codePointAt(0) ?? -1)) return false;
  return true;
}

const graphemes = new Intl.Segmenter("en", { granularity: "grapheme" });

/**
 * Makes text drawable with a font that lacks some characters (DejaVu has Latin, Greek and Cyrillic
 * in full, but no CJK and no emoji). Works per grapheme, so an emoji (even one built from several
 * code points) becomes a single "?". Line breaks and tabs become spaces (every field is one
 * logical line). A grapheme the font lacks keeps as many of its accents as the font has,
 * compatibility characters fold to their plain form, and what is left over becomes "?".
 */
export function sanitizeForFont(text: string, canDraw: (codePoint: number) => boolean): string {
  const flattened = text.replace(/[\t\n\v\f\r\u0085\u2028\u2029]+/g, " ");
  let out = "";
  for (const { segment } of graphemes.segment(flattened)) out += drawableGrapheme(segment, canDraw);
  return out;
}

function drawableGrapheme(grapheme: string, canDraw: (codePoint: number) => boolean): string {
  const composed = grapheme.normalize("NFC");
  if (isDrawable(composed, canDraw)) return composed;
  const parts = [...grapheme.normalize("NFKD").replace(/\p{Cf}/gu, "")];
  const base = parts.filter((ch) => !/\p{M}/u.test(ch)).join("");
  const marks = parts.filter((ch) => /\p{M}/u.test(ch));
  for (let keep = marks.length; keep >= 0; keep--) {
    const candidate = (base + marks.slice(0, keep).join("")).normalize("NFC");
    if (candidate.length > 0 && isDrawable(candidate, canDraw)) return candidate;
  }
  return "?";
}

/**
 * Greedy word wrap. Words wider than the line (URLs, codes) are broken between characters
 * rather than running off the page.
 */
export function wrapText(text: string, maxWidth: number, measure: (s: string) => number): string[] {
  const lines: string[] = [];
  let line = "";
  // Split on plain spaces only: a no-break space ("70 %") must keep its neighbours together.
  for (const word of text.split(/ +/).filter(Boolean)) {
    const candidate = line ? `${line} ${word}` : word;
    if (measure(candidate) <= maxWidth) {
      line = candidate;
      continue;
    }
    if (line) lines.push(line);
    line = "";
    for (const ch of word) {
      if (line && measure(line + ch) > maxWidth) {
        lines.push(line);
        line = "";
      }
      line += ch;
    }
  }
  if (line) lines.push(line);
  return lines.length > 0 ? lines : [""];
}

/** Keeps at most `max` lines, ending the last kept one with an ellipsis so the cut is visible. */
function clampLines(lines: string[], max: number, maxWidth: number, measure: (s: string) => number): string[] {
  if (lines.length <= max) return lines;
  const kept = lines.slice(0, max);
  let last = kept[max - 1] ?? "";
  while (last.length > 0 && measure(`${last}…`) > maxWidth) last = last.slice(0, -1);
  kept[max - 1] = `${last.trimEnd()}…`;
  return kept;
}

type Fonts = { regular: PDFFont; bold: PDFFont };

type TextStyle = { font: PDFFont; size: number; color?: RGB };

function measurer(style: TextStyle): (s: string) => number {
  return (s) => style.font.widthOfTextAtSize(s, style.size);
}

function drawable(text: string, style: TextStyle): string {
  return sanitizeForFont(text, drawableBy(style.font));
}

/** The single way text reaches a page, so nothing the font cannot draw ever hits its encoder. */
function drawLine(page: PDFPage, text: string, x: number, y: number, style: TextStyle): void {
  page.drawText(drawable(text, style), { x, y, font: style.font, size: style.size, color: style.color ?? INK });
}

function drawCentered(page: PDFPage, text: string, centerX: number, y: number, style: TextStyle): void {
  const clean = drawable(text, style);
  drawLine(page, clean, centerX - style.font.widthOfTextAtSize(clean, style.size) / 2, y, style);
}

function drawRightAligned(page: PDFPage, text: string, right: number, y: number, style: TextStyle): void {
  const clean = drawable(text, style);
  drawLine(page, clean, right - style.font.widthOfTextAtSize(clean, style.size), y, style);
}

function wrapFor(text: string, maxWidth: number, style: TextStyle): string[] {
  return wrapText(drawable(text, style), maxWidth, measurer(style));
}

// ---------------------------------------------------------------------------------------------
// Intl formatting

function formatters(locale: Locale, timeZone: string) {
  const tag = intlLocale(locale);
  const date = new Intl.DateTimeFormat(tag, { dateStyle: "long", timeZone });
  const shortDate = new Intl.DateTimeFormat(tag, { year: "numeric", month: "2-digit", day: "2-digit", timeZone });
  const hours = new Intl.NumberFormat(tag, { minimumFractionDigits: 0, maximumFractionDigits: 2 });
  const percent = new Intl.NumberFormat(tag, { style: "percent", maximumFractionDigits: 0 });
  const integer = new Intl.NumberFormat(tag, { maximumFractionDigits: 0 });
  return {
    date: (d: Date) => date.format(d),
    shortDate: (d: Date) => shortDate.format(d),
    hours: (n: number) => hours.format(n),
    percent: (n: number) => percent.format(n / 100),
    integer: (n: number) => integer.format(n),
  };
}

// ---------------------------------------------------------------------------------------------
// QR code

/** The QR symbol for `text` as rows of modules, true = dark. No quiet zone; callers leave the margin. */
export function qrMatrix(text: string): boolean[][] {
  // Level M survives a printed certificate being creased or stamped without growing the symbol much.
  const { modules } = QRCode.create(text, { errorCorrectionLevel: "M" });
  return Array.from({ length: modules.size }, (_, row) =>
    Array.from({ length: modules.size }, (_, col) => modules.get(row, col) === 1),
  );
}

/** Marked-content tag around the QR squares; harmless to viewers, lets tests find the QR operators. */
export const QR_MARKED_CONTENT_TAG = "VignetteQR";

/**
 * Draws the QR as vector squares (one path, one fill) rather than an embedded PNG: no image decoding,
 * crisp at any print size, and a single fill avoids hairline seams between neighbouring modules.
 */
function drawQr(page: PDFPage, text: string, x: number, y: number, size: number): void {
  const matrix = qrMatrix(text);
  const module = size / matrix.length;
  const squares = matrix.flatMap((row, r) =>
    row.flatMap((dark, c) => (dark ? [rectangle(x + c * module, y + size - (r + 1) * module, module, module)] : [])),
  );
  page.pushOperators(
    beginMarkedContent(QR_MARKED_CONTENT_TAG),
    pushGraphicsState(),
    setFillingRgbColor(0, 0, 0),
    ...squares,
    fill(),
    popGraphicsState(),
    endMarkedContent(),
  );
}

// ---------------------------------------------------------------------------------------------
// Document

type Metadata = { title: string; subject: string; keywords: string[]; createdAt: Date; locale: Locale };

async function newDocument(meta: Metadata): Promise<{ doc: PDFDocument; fonts: Fonts }> {
  // updateMetadata: false stops pdf-lib stamping "now" into the dates, which would make every
  // rendering of the same certificate differ byte for byte.
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.setTitle(meta.title, { showInWindowTitleBar: true });
  doc.setAuthor("Vignette");
  doc.setCreator("Vignette");
  doc.setProducer("Vignette (pdf-lib)");
  doc.setSubject(meta.subject);
  doc.setKeywords(meta.keywords);
  doc.setLanguage(intlLocale(meta.locale));
  doc.setCreationDate(meta.createdAt);
  doc.setModificationDate(meta.createdAt);
  const [{ default: fontkit }, files] = await Promise.all([import("@pdf-lib/fontkit"), fontFiles()]);
  doc.registerFontkit(fontkit);
  // One after the other so object numbers are assigned in a fixed order; fixed names (instead of
  // pdf-lib's random subset tag) so the same input gives the same bytes.
  const regular = await doc.embedFont(files.regular, { subset: true, customName: "Vignette+DejaVuSans" });
  const bold = await doc.embedFont(files.bold, { subset: true, customName: "Vignette+DejaVuSans-Bold" });
  return { doc, fonts: { regular, bold } };
}

const packageFile = createRequire(import.meta.url);
let fontBytes: Promise<{ regular: Uint8Array; bold: Uint8Array }> | undefined;

/**
 * The two TrueType files, read from the dependency once per process. Like fontkit (imported where
 * it is used: 13 MB resident), they are loaded by the first PDF, not by every server at start.
 */
function fontFiles(): Promise<{ regular: Uint8Array; bold: Uint8Array }> {
  const read = (file: string) => fs.readFile(packageFile.resolve(`dejavu-fonts-ttf/ttf/${file}`));
  fontBytes ??= Promise.all([read("DejaVuSans.ttf"), read("DejaVuSans-Bold.ttf")]).then(
    ([regular, bold]) => ({ regular, bold }),
    (error: unknown) => {
      fontBytes = undefined; // a failed read is tried again by the next PDF, not cached
      throw error;
    },
  );
  return fontBytes;
}

async function save(doc: PDFDocument): Promise<Uint8Array> {
  return doc.save({ updateFieldAppearances: false });
}

// ---------------------------------------------------------------------------------------------
// Certificate

const LETTER_LANDSCAPE: [number, number] = [PageSizes.Letter[1], PageSizes.Letter[0]];

export async function certificatePdf(input: CertificatePdfInput): Promise<Uint8Array> {
  const { labels, locale, status } = input;
  const fmt = formatters(locale, input.timeZone ?? DEFAULT_TIME_ZONE);
  const { doc, fonts } = await newDocument({
    title: `${labels.heading} – ${input.caseTitle}`,
    subject: `${input.learnerName} – ${input.caseTitle} (${labels.version} ${input.caseVersion})`,
    keywords: [input.code],
    createdAt: input.completedAt,
    locale,
  });

  // Letter, not A4: the learners and regulators are in Canada.
  const page = doc.addPage(LETTER_LANDSCAPE);
  const { width, height } = page.getSize();
  const margin = 54;

  page.drawRectangle({ x: 24, y: 24, width: width - 48, height: height - 48, borderColor: ACCENT, borderWidth: 2 });
  page.drawRectangle({ x: 30, y: 30, width: width - 60, height: height - 60, borderColor: RULE, borderWidth: 0.75 });

  const headingStyle = { font: fonts.bold, size: 28, color: ACCENT };
  let y = height - 96;
  for (const line of clampLines(
    wrapFor(labels.heading, width - 2 * margin, headingStyle),
    2,
    width - 2 * margin,
    measurer(headingStyle),
  )) {
    drawCentered(page, line, width / 2, y, headingStyle);
    y -= 34;
  }

  if (status.revoked) {
    // Colour is never the only cue: the word itself, in capitals, with the date.
    const banner = `${labels.revoked.toLocaleUpperCase(intlLocale(locale))} – ${fmt.date(status.revokedAt)}`;
    drawCentered(page, banner, width / 2, y, { font: fonts.bold, size: 20, color: REVOKED });
    y -= 30;
    const markSize = 110;
    const mark = drawable(labels.revoked.toLocaleUpperCase(intlLocale(locale)), { font: fonts.bold, size: markSize });
    const markWidth = fonts.bold.widthOfTextAtSize(mark, markSize);
    const angle = 28;
    const rad = (angle * Math.PI) / 180;
    page.drawText(mark, {
      x: (width - markWidth * Math.cos(rad)) / 2 + (markSize * Math.sin(rad)) / 3,
      y: (height - markWidth * Math.sin(rad)) / 2 - (markSize * Math.cos(rad)) / 3,
      font: fonts.bold,
      size: markSize,
      color: REVOKED,
      opacity: 0.12,
      rotate: degrees(angle),
    });
  }

  y -= 10;
  page.drawLine({ start: { x: margin, y }, end: { x: width - margin, y }, thickness: 0.75, color: RULE });
  y -= 34;

  // Fields on the left, QR and code on the right.
  const qrSize = 132;
  const qrX = width - margin - qrSize;
  const labelX = margin + 6;
  const valueX = labelX + 170;
  const valueWidth = qrX - 24 - valueX;
  const labelStyle = { font: fonts.regular, size: 11, color: MUTED };
  const valueStyle = { font: fonts.regular, size: 13, color: INK };
  const strongStyle = { font: fonts.bold, size: 13, color: INK };
  const lineGap = 17;
  const fieldGap = 8;
  const fieldsTop = y;

  const field = (label: string, value: string, style: TextStyle = valueStyle, maxLines = 3) => {
    drawLine(page, label, labelX, y + 1, labelStyle);
    const lines = clampLines(wrapFor(value, valueWidth, style), maxLines, valueWidth, measurer(style));
    for (const line of lines) {
      drawLine(page, line, valueX, y, style);
      y -= lineGap;
    }
    y -= fieldGap;
  };

  field(labels.learner, input.learnerName, strongStyle, 2);
  field(labels.registrationNumber, input.registrationNumber, valueStyle, 1);
  field(labels.case, input.caseTitle, strongStyle, 4);
  field(labels.version, fmt.integer(input.caseVersion), valueStyle, 1);
  field(labels.creditHours, fmt.hours(input.creditHours), valueStyle, 1);
  field(labels.completedOn, fmt.date(input.completedAt), valueStyle, 1);
  field(labels.regulator, input.regulator, valueStyle, 2);
  if (status.revoked) {
    field(
      labels.status,
      `${labels.revoked} – ${fmt.date(status.revokedAt)}`,
      { font: fonts.bold, size: 13, color: REVOKED },
      1,
    );
    y += fieldGap;
    field("", status.reason, valueStyle, 3);
  } else {
    field(labels.status, labels.valid, { font: fonts.bold, size: 13, color: VALID }, 1);
  }

  const qrY = fieldsTop + 12 - qrSize;
  drawQr(page, input.verificationUrl, qrX, qrY, qrSize);
  const codeLabelStyle = { font: fonts.regular, size: 9, color: MUTED };
  const codeStyle = { font: fonts.bold, size: 12, color: INK };
  drawCentered(page, labels.code, qrX + qrSize / 2, qrY - 16, codeLabelStyle);
  drawCentered(page, input.code, qrX + qrSize / 2, qrY - 32, codeStyle);

  // Footer: the URL as text too, for anyone who cannot scan.
  const footerStyle = { font: fonts.regular, size: 10, color: INK };
  // French typography puts a (no-break) space before a colon.
  const footerLabel = `${labels.verifyAt}${locale === "fr" ? "\u00A0:" : ":"} `;
  const footerLabelWidth = fonts.bold.widthOfTextAtSize(drawable(footerLabel, { font: fonts.bold, size: 10 }), 10);
  const urlLines = clampLines(
    wrapFor(input.verificationUrl, width - 2 * margin - footerLabelWidth, footerStyle),
    2,
    width - 2 * margin - footerLabelWidth,
    measurer(footerStyle),
  );
  let footerY = 46 + (urlLines.length - 1) * 13;
  drawLine(page, footerLabel, margin, footerY, { font: fonts.bold, size: 10, color: MUTED });
  for (const line of urlLines) {
    drawLine(page, line, margin + footerLabelWidth, footerY, footerStyle);
    footerY -= 13;
  }

  return save(doc);
}

// ---------------------------------------------------------------------------------------------
// Transcript

type ColumnKey = "date" | "case" | "version" | "score" | "creditHours" | "certificate";
type Column = { key: ColumnKey; width: number; align: "left" | "right" };

export async function transcriptPdf(input: TranscriptPdfInput): Promise<Uint8Array> {
  const { labels, locale } = input;
  const fmt = formatters(locale, input.timeZone ?? DEFAULT_TIME_ZONE);
  const range = `${fmt.date(input.from)} – ${fmt.date(input.to)}`;
  const { doc, fonts } = await newDocument({
    title: `${labels.heading} – ${input.learnerName}`,
    subject: `${input.learnerName} (${input.registrationNumber}), ${range}`,
    keywords: [input.registrationNumber],
    createdAt: input.generatedAt,
    locale,
  });

  const [pageWidth, pageHeight] = PageSizes.Letter;
  const margin = 48;
  const bottom = margin + 24; // room for the page number
  const tableWidth = pageWidth - 2 * margin;
  const fixed: Column[] = [
    { key: "date", width: 76, align: "left" },
    { key: "version", width: 46, align: "right" },
    { key: "score", width: 50, align: "right" },
    { key: "creditHours", width: 64, align: "right" },
    { key: "certificate", width: 92, align: "left" },
  ];
  const caseWidth = tableWidth - fixed.reduce((sum, c) => sum + c.width, 0);
  const columns: Column[] = [fixed[0]!, { key: "case", width: caseWidth, align: "left" }, ...fixed.slice(1)];
  const pad = 4;

  const cellStyle = { font: fonts.regular, size: 9, color: INK };
  const headStyle = { font: fonts.bold, size: 9, color: MUTED };
  const cellLine = 11;

  const pages: PDFPage[] = [];
  let page!: PDFPage;
  let y = 0;

  const drawTableHeader = () => {
    const lines = columns.map((c) => wrapFor(labels[c.key], c.width - 2 * pad, headStyle));
    const rowHeight = Math.max(...lines.map((l) => l.length)) * cellLine + 8;
    drawCells(lines, headStyle);
    y -= rowHeight;
    page.drawLine({ start: { x: margin, y }, end: { x: margin + tableWidth, y }, thickness: 1, color: ACCENT });
  };

  const drawCells = (cells: string[][], style: TextStyle, styleFor?: (i: number) => TextStyle) => {
    let x = margin;
    columns.forEach((column, i) => {
      let lineY = y - 4 - style.size;
      for (const line of cells[i] ?? []) {
        const s = styleFor?.(i) ?? style;
        if (column.align === "right") drawRightAligned(page, line, x + column.width - pad, lineY, s);
        else drawLine(page, line, x + pad, lineY, s);
        lineY -= cellLine;
      }
      x += column.width;
    });
  };

  const newPage = () => {
    page = doc.addPage([pageWidth, pageHeight]);
    pages.push(page);
    y = pageHeight - margin;
    if (pages.length === 1) {
      const headingStyle = { font: fonts.bold, size: 20, color: ACCENT };
      for (const line of wrapFor(labels.heading, tableWidth, headingStyle)) {
        drawLine(page, line, margin, y - 20, headingStyle);
        y -= 26;
      }
      y -= 14;
      const labelStyle = { font: fonts.regular, size: 10, color: MUTED };
      const valueStyle = { font: fonts.bold, size: 10, color: INK };
      for (const [label, value] of [
        [labels.learner, input.learnerName],
        [labels.registrationNumber, input.registrationNumber],
        [labels.period, range],
      ] as const) {
        drawLine(page, label, margin, y, labelStyle);
        drawLine(page, value, margin + 130, y, valueStyle);
        y -= 15;
      }
      y -= 10;
    } else {
      // Continuation pages still say whose transcript they belong to, in case they get separated.
      drawLine(page, `${input.learnerName} (${input.registrationNumber}) – ${range}`, margin, y - 10, {
        font: fonts.regular,
        size: 9,
        color: MUTED,
      });
      y -= 24;
    }
    drawTableHeader();
  };

  newPage();

  if (input.rows.length === 0) {
    drawLine(page, labels.empty, margin + pad, y - 18, { font: fonts.regular, size: 10, color: MUTED });
    y -= 28;
  }

  let creditedHours = 0;
  input.rows.forEach((row, index) => {
    const { certificate } = row;
    const credited = certificate !== null && certificate.revokedAt === null;
    if (credited) creditedHours += row.creditHours;
    const values: Record<ColumnKey, string[]> = {
      date: [fmt.shortDate(row.completedAt)],
      case: [row.caseTitle],
      version: [fmt.integer(row.caseVersion)],
      score: [fmt.percent(row.scorePercent)],
      // Practice completions and revoked certificates earn no credit, so no hours are claimed.
      creditHours: [credited ? fmt.hours(row.creditHours) : "–"],
      certificate: !certificate
        ? [labels.practice]
        : certificate.revokedAt
          ? [certificate.code, `${labels.revoked} ${fmt.shortDate(certificate.revokedAt)}`]
          : [certificate.code],
    };
    const cells = columns.map((c) => values[c.key].flatMap((text) => wrapFor(text, c.width - 2 * pad, cellStyle)));
    const rowHeight = Math.max(...cells.map((l) => l.length)) * cellLine + 8;
    if (y - rowHeight < bottom) newPage();
    if (index % 2 === 1) {
      page.drawRectangle({ x: margin, y: y - rowHeight, width: tableWidth, height: rowHeight, color: STRIPE });
    }
    drawCells(cells, cellStyle, (i) =>
      columns[i]?.key !== "certificate" || credited
        ? cellStyle
        : { ...cellStyle, color: certificate?.revokedAt ? REVOKED : MUTED },
    );
    y -= rowHeight;
  });

  const totalHeight = 30;
  if (y - totalHeight < bottom) newPage();
  page.drawLine({ start: { x: margin, y }, end: { x: margin + tableWidth, y }, thickness: 1, color: ACCENT });
  const totalStyle = { font: fonts.bold, size: 10, color: INK };
  drawLine(page, labels.total, margin + pad, y - 16, totalStyle);
  // Round before formatting so 0.1 + 0.2 prints as 0.3, not 0.30000000000000004.
  const hoursRight =
    margin + columns.slice(0, columns.findIndex((c) => c.key === "creditHours") + 1).reduce((s, c) => s + c.width, 0);
  drawRightAligned(page, fmt.hours(Math.round(creditedHours * 100) / 100), hoursRight - pad, y - 16, totalStyle);

  pages.forEach((p, i) => {
    drawRightAligned(p, `${i + 1} / ${pages.length}`, pageWidth - margin, margin - 8, {
      font: fonts.regular,
      size: 8,
      color: MUTED,
    });
  });

  return save(doc);
}
