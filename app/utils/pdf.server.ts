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
import type { CertificateState } from "./certificate-status";
import { DISPLAY_TIME_ZONE, formatHours, formatPercent, formatZonedDateTime } from "./format";

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
  /** The mark on a reissued certificate's document, e.g. "Duplicate" / "Duplicata". */
  duplicate: string;
  /** After "Valid" on a reissued certificate, before the date: "reissued on" / "réémis le". */
  reissuedOn: string;
  verifyAt: string;
  code: string;
  contact: string;
  signatory: string;
};

/** A regulator's logo to print: a PNG or JPEG (checked at import) and its size in pixels. */
export type CertificateLogo = { bytes: Uint8Array; type: "image/png" | "image/jpeg"; width: number; height: number };

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
  /** Valid, reissued (this document is the duplicate, dated) or revoked: app/utils/certificate-status.ts. */
  status: CertificateState;
  verificationUrl: string;
  code: string;
  /** IANA zone used to print dates; defaults to DEFAULT_TIME_ZONE so output never depends on the server's zone. */
  timeZone?: string;
  /** From the regulator's profile, in the certificate's locale; each printed only when present. */
  statement?: string;
  signatory?: { name: string; title?: string };
  /** The regulator's email and web address, as one line. */
  contact?: string;
  /** The regulator's logo, fitted into a fixed box at the top left. */
  logo?: CertificateLogo;
  /** The regulator's colour (#rrggbb, readable on white: the profile checks it) for the heading and frame. */
  accent?: string;
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
  /** 0–1, as recorded; printed with formatPercent, the transcript page's function. */
  score: number;
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

/** "#rrggbb" as a pdf-lib colour. */
function hexColour(hex: string): RGB {
  const channel = (i: number) => parseInt(hex.slice(i, i + 2), 16) / 255;
  return rgb(channel(1), channel(3), channel(5));
}

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

/** Greedy wrap at spaces only, or null when a single word is wider than the line. */
function wrapWords(text: string, maxWidth: number, measure: (s: string) => number): string[] | null {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/ +/).filter(Boolean)) {
    if (measure(word) > maxWidth) return null;
    const candidate = line ? `${line} ${word}` : word;
    if (line && measure(candidate) > maxWidth) {
      lines.push(line);
      line = word;
    } else line = candidate;
  }
  if (line) lines.push(line);
  return lines.length > 0 ? lines : [""];
}

/** Text at the size it is drawn, split into the lines it is drawn on. */
export type Fitted = { size: number; lines: string[] };

export type FitOptions = {
  /** The size the text is drawn at when it fits. */
  size: number;
  /** Lines it may take at that size before it is drawn smaller. */
  maxLines?: number;
  /**
   * The smallest size it may shrink to; at that size, what still does not fit wraps onto more lines, a
   * word wider than the line (a code, a URL, a name without spaces) broken between characters. Without a
   * floor, words are never broken: the text shrinks until its widest word fits (table cells).
   */
  minSize?: number;
};

const SIZE_STEP = 0.5;

/**
 * The largest size, from `size` down in half points, at which `text` wraps at word boundaries into at
 * most `maxLines` lines no wider than `maxWidth`; see FitOptions for what happens when none does.
 * `widthAt` must be linear in the size (font advance widths are).
 */
export function fitText(
  text: string,
  maxWidth: number,
  widthAt: (s: string, size: number) => number,
  { size, maxLines = Infinity, minSize }: FitOptions,
): Fitted {
  const words = text.split(/ +/).filter(Boolean);
  const wordsFit = (s: number) => words.every((word) => widthAt(word, s) <= maxWidth);
  const hundredths = (s: number) => Math.round(s * 100) / 100;
  // The largest size (in hundredths of a point) at which the widest word fits: widths grow with the size.
  const widestAtOne = words.reduce((max, word) => Math.max(max, widthAt(word, 1)), 0);
  let wordSize = widestAtOne > 0 ? Math.min(size, Math.floor((maxWidth / widestAtOne) * 100) / 100) : size;
  while (wordSize > 0.01 && !wordsFit(wordSize)) wordSize = hundredths(wordSize - 0.01);

  const floor = Math.max(minSize ?? SIZE_STEP, SIZE_STEP);
  let s = size;
  while (s >= floor - 1e-9) {
    if (wordsFit(s)) {
      const lines = wrapWords(text, maxWidth, (t) => widthAt(t, s))!;
      if (lines.length <= maxLines) return { size: s, lines };
    }
    // Half a point smaller; or, words never being split, straight to the size at which they all fit.
    s = minSize === undefined && !wordsFit(s) ? wordSize : hundredths(s - SIZE_STEP);
  }
  if (minSize !== undefined) return { size: minSize, lines: wrapText(text, maxWidth, (t) => widthAt(t, minSize)) };
  return { size: wordSize, lines: wrapWords(text, maxWidth, (t) => widthAt(t, wordSize)) ?? [text] };
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

export type FontName = "regular" | "bold";

type Fonts = Record<FontName, PDFFont>;

type TextStyle = { font: PDFFont; size: number; color?: RGB };

function drawable(text: string, style: TextStyle): string {
  return sanitizeForFont(text, drawableBy(style.font));
}

/** The single way text reaches a page, so nothing the font cannot draw ever hits its encoder. */
function drawLine(page: PDFPage, text: string, x: number, y: number, style: TextStyle): void {
  page.drawText(drawable(text, style), { x, y, font: style.font, size: style.size, color: style.color ?? INK });
}

function drawRightAligned(page: PDFPage, text: string, right: number, y: number, style: TextStyle): void {
  const clean = drawable(text, style);
  drawLine(page, clean, right - style.font.widthOfTextAtSize(clean, style.size), y, style);
}

// ---------------------------------------------------------------------------------------------
// Intl formatting

function formatters(locale: Locale, timeZone: string) {
  const tag = intlLocale(locale);
  const date = new Intl.DateTimeFormat(tag, { dateStyle: "long", timeZone });
  const shortDate = new Intl.DateTimeFormat(tag, { year: "numeric", month: "2-digit", day: "2-digit", timeZone });
  const integer = new Intl.NumberFormat(tag, { maximumFractionDigits: 0 });
  return {
    date: (d: Date) => date.format(d),
    shortDate: (d: Date) => shortDate.format(d),
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
  return { doc, fonts: await embedFonts(doc) };
}

async function embedFonts(doc: PDFDocument): Promise<Fonts> {
  const [{ default: fontkit }, files] = await Promise.all([import("@pdf-lib/fontkit"), fontFiles()]);
  doc.registerFontkit(fontkit);
  // One after the other so object numbers are assigned in a fixed order; fixed names (instead of
  // pdf-lib's random subset tag) so the same input gives the same bytes.
  const regular = await doc.embedFont(files.regular, { subset: true, customName: "Vignette+DejaVuSans" });
  const bold = await doc.embedFont(files.bold, { subset: true, customName: "Vignette+DejaVuSans-Bold" });
  return { regular, bold };
}

/** What a layout needs to know of the fonts, so it can be computed (and checked) without drawing. */
export type FontMetrics = {
  /** The text as it will be drawn: what the font lacks replaced (sanitizeForFont). */
  drawable(text: string, font: FontName): string;
  widthOf(text: string, font: FontName, size: number): number;
  /** Height above the baseline, and depth below it, at `size`. */
  ascent(font: FontName, size: number): number;
  descent(font: FontName, size: number): number;
};

function metricsOf(fonts: Fonts): FontMetrics {
  const above = (font: FontName, size: number) => fonts[font].heightAtSize(size, { descender: false });
  return {
    drawable: (text, font) => sanitizeForFont(text, drawableBy(fonts[font])),
    widthOf: (text, font, size) => fonts[font].widthOfTextAtSize(text, size),
    ascent: above,
    descent: (font, size) => fonts[font].heightAtSize(size) - above(font, size),
  };
}

/** The metrics certificates and transcripts are laid out with, for tests and tools that check a layout. */
export async function fontMetrics(): Promise<FontMetrics> {
  return metricsOf(await embedFonts(await PDFDocument.create({ updateMetadata: false })));
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

/** A rectangle in PDF points, `y` its bottom edge (PDF coordinates grow upwards). */
export type Box = { x: number; y: number; width: number; height: number };

export type Tone = "ink" | "muted" | "accent" | "valid" | "revoked";

const TONES: Record<Tone, RGB> = { ink: INK, muted: MUTED, accent: ACCENT, valid: VALID, revoked: REVOKED };

/** One line of text as drawn: `box` spans its advance width and the font's ascent and descent. */
export type TextRun = { text: string; font: FontName; size: number; tone: Tone; x: number; baseline: number; box: Box };

export type CertificateLayout = {
  width: number;
  height: number;
  /** The ruled frames, outer (accent) then inner. */
  borders: [Box, Box];
  /** Inside the inner frame, less a margin: every run, rule, the QR code and the watermark lie within it. */
  content: Box;
  runs: TextRun[];
  rules: { x1: number; x2: number; y: number }[];
  qr: Box;
  /** Where the logo is drawn (its aspect ratio kept, inside LOGO_BOX at the top left); null without one. */
  logo: Box | null;
  /** The diagonal mark on a revoked certificate; `bounds` holds the whole rotated text. */
  watermark: { run: TextRun; angle: number; bounds: Box } | null;
  /** Fields cut short with an ellipsis because the page had no more room (no real record is that long). */
  clamped: string[];
};

type CertificateField = {
  key: string;
  label: string;
  value: string;
  font: FontName;
  tone: Tone;
  size: number;
  /** Lines it may take at its size before it is drawn smaller. */
  maxLines: number;
  /** Free text that may, past any real length, end in an ellipsis to fit the page. */
  clampable: boolean;
  /** The regulator's own words (statement, signatory, contact): cut before any of the record's fields. */
  yieldsFirst?: boolean;
};

/**
 * Where every line of a certificate goes, computed from the text and the font metrics alone. Each text
 * shrinks to fit its box (down to a floor), then wraps; codes, URLs and names without spaces break
 * between characters only at the floor. If the fields still do not fit the page, the longest free-text
 * field (name, title, regulator, reason) loses its last lines to an ellipsis, so nothing is ever drawn
 * past the frame, at any length.
 */
/** The box a logo is fitted into, in points: wide enough for a word mark, no taller than the heading's band. */
export const LOGO_BOX = { width: 120, height: 56 } as const;

export function layoutCertificate(input: CertificatePdfInput, metrics: FontMetrics): CertificateLayout {
  const { labels, locale, status } = input;
  const timeZone = input.timeZone ?? DEFAULT_TIME_ZONE;
  const fmt = formatters(locale, timeZone);
  const [width, height] = LETTER_LANDSCAPE;
  const outer = { x: 24, y: 24, width: width - 48, height: height - 48 };
  const inner = { x: 30, y: 30, width: width - 60, height: height - 60 };
  const content = { x: 54, y: 48, width: width - 108, height: height - 96 };
  const right = content.x + content.width;
  const runs: TextRun[] = [];
  const rules: CertificateLayout["rules"] = [];
  const clamped: string[] = [];

  const measure = (font: FontName, size: number) => (s: string) => metrics.widthOf(s, font, size);
  const fit = (text: string, maxWidth: number, font: FontName, options: FitOptions) =>
    fitText(metrics.drawable(text, font), maxWidth, (s, size) => metrics.widthOf(s, font, size), options);
  const clamp = (fitted: Fitted, max: number, maxWidth: number, font: FontName): Fitted => ({
    size: fitted.size,
    lines: clampLines(fitted.lines, max, maxWidth, measure(font, fitted.size)),
  });
  const leading = (size: number) => size * 1.3;
  /** Height from the first line's top to the last line's bottom. */
  const blockHeight = (fitted: Fitted, font: FontName) =>
    metrics.ascent(font, fitted.size) +
    (fitted.lines.length - 1) * leading(fitted.size) +
    metrics.descent(font, fitted.size);
  const place = (text: string, font: FontName, size: number, tone: Tone, x: number, baseline: number) => {
    if (!text) return;
    const descent = metrics.descent(font, size);
    const box = {
      x,
      y: baseline - descent,
      width: metrics.widthOf(text, font, size),
      height: metrics.ascent(font, size) + descent,
    };
    runs.push({ text, font, size, tone, x, baseline, box });
  };
  /** Draws a block's lines from `top` down; returns the bottom of its last line. */
  const placeBlock = (fitted: Fitted, font: FontName, tone: Tone, top: number, x: (line: string) => number) => {
    let baseline = top - metrics.ascent(font, fitted.size);
    for (const line of fitted.lines) {
      place(line, font, fitted.size, tone, x(line), baseline);
      baseline -= leading(fitted.size);
    }
    return top - blockHeight(fitted, font);
  };
  // A label and its value side by side, sharing their first baseline (the label in regular type).
  const pairAscent = (label: Fitted, value: Fitted, font: FontName) =>
    Math.max(metrics.ascent("regular", label.size), metrics.ascent(font, value.size));
  const pairHeight = (label: Fitted, value: Fitted, font: FontName) => {
    const below = (fitted: Fitted, f: FontName) => blockHeight(fitted, f) - metrics.ascent(f, fitted.size);
    return pairAscent(label, value, font) + Math.max(below(label, "regular"), below(value, font));
  };
  const placePair = (label: Fitted, value: Fitted, font: FontName, tone: Tone, top: number, xs: [number, number]) => {
    const baseline = top - pairAscent(label, value, font);
    placeBlock(label, "regular", "muted", baseline + metrics.ascent("regular", label.size), () => xs[0]);
    placeBlock(value, font, tone, baseline + metrics.ascent(font, value.size), () => xs[1]);
    return pairHeight(label, value, font);
  };

  // The logo, at the top left in a fixed box, scaled to fit it whole whatever its aspect ratio; the
  // heading and banners are centred in what the box leaves on both sides, so they never meet it.
  const top = content.y + content.height;
  let logo: Box | null = null;
  if (input.logo && input.logo.width > 0 && input.logo.height > 0) {
    const scale = Math.min(LOGO_BOX.width / input.logo.width, LOGO_BOX.height / input.logo.height);
    const [w, h] = [input.logo.width * scale, input.logo.height * scale];
    logo = { x: content.x, y: top - (LOGO_BOX.height + h) / 2, width: w, height: h };
  }
  const headerInset = logo ? LOGO_BOX.width + 16 : 0;
  const headerWidth = content.width - 2 * headerInset;
  const headerCentred = (font: FontName, size: number) => (line: string) =>
    content.x + headerInset + (headerWidth - metrics.widthOf(line, font, size)) / 2;

  // Heading, and the revoked or duplicate banner: centred, at most two lines each.
  let y = top - 10;
  const heading = clamp(
    fit(labels.heading, headerWidth, "bold", { size: 28, minSize: 16, maxLines: 1 }),
    2,
    headerWidth,
    "bold",
  );
  y = placeBlock(heading, "bold", "accent", y, headerCentred("bold", heading.size));
  const upper = (s: string) => s.toLocaleUpperCase(intlLocale(locale));
  // Colour is never the only cue: the word itself, in capitals, with the date.
  const bannerText =
    status.status === "revoked"
      ? { text: `${upper(labels.revoked)} – ${fmt.date(status.revokedAt)}`, tone: "revoked" as const }
      : status.status === "reissued"
        ? { text: `${upper(labels.duplicate)} – ${fmt.date(status.reissuedAt)}`, tone: "accent" as const }
        : null;
  if (bannerText) {
    const banner = clamp(
      fit(bannerText.text, headerWidth, "bold", { size: 20, minSize: 11, maxLines: 1 }),
      2,
      headerWidth,
      "bold",
    );
    y = placeBlock(banner, "bold", bannerText.tone, y - 8, headerCentred("bold", banner.size));
  }
  if (logo) y = Math.min(y, top - LOGO_BOX.height);
  y -= 14;
  rules.push({ x1: content.x, x2: right, y });
  const bodyTop = y - 22;

  // Footer, from the bottom edge up: the verification code and URL, for anyone who cannot scan.
  const footerLabelSize = 10;
  const footerLabelWidth = Math.min(
    200,
    Math.max(
      ...[labels.code, labels.verifyAt].map((l) =>
        metrics.widthOf(metrics.drawable(l, "regular"), "regular", footerLabelSize),
      ),
    ),
  );
  const footerValueX = content.x + footerLabelWidth + 14;
  const footerValueWidth = right - footerValueX;
  const footerRows = [
    { key: "code", label: labels.code, value: input.code, font: "bold" as const, size: 14, minSize: 8 },
    {
      key: "verificationUrl",
      label: labels.verifyAt,
      value: input.verificationUrl,
      font: "regular" as const,
      size: 10,
      minSize: 7,
    },
  ].map((row) => {
    const label = clamp(
      fit(row.label, footerLabelWidth, "regular", { size: footerLabelSize, minSize: 7, maxLines: 1 }),
      2,
      footerLabelWidth,
      "regular",
    );
    const fitted = fit(row.value, footerValueWidth, row.font, { size: row.size, minSize: row.minSize, maxLines: 1 });
    // Only a code or URL of hundreds of characters gets here; the QR code still carries the URL.
    if (fitted.lines.length > 3) clamped.push(row.key);
    const value = clamp(fitted, 3, footerValueWidth, row.font);
    return {
      ...row,
      labelFit: label,
      valueFit: value,
      height: pairHeight(label, value, row.font),
    };
  });
  const footerGap = 6;
  const footerHeight = footerRows.reduce((sum, r) => sum + r.height, 0) + footerGap * (footerRows.length - 1);
  let footerY = content.y + footerHeight;
  const footerRule = footerY + 12;
  rules.push({ x1: content.x, x2: right, y: footerRule });
  for (const row of footerRows) {
    footerY -= placePair(row.labelFit, row.valueFit, row.font, "ink", footerY, [content.x, footerValueX]) + footerGap;
  }
  // Above the footer's rule, as the body's top is below the heading's.
  const bodyBottom = footerRule + 16;

  // Body: the fields on the left, the QR code on the right.
  const qrSize = Math.max(0, Math.min(132, bodyTop - bodyBottom));
  const qr = { x: right - qrSize, y: bodyTop - qrSize, width: qrSize, height: qrSize };
  const labelX = content.x + 6;
  const fieldsRight = qr.x - 24;
  const labelSize = 11;
  const labelWidth = Math.min(
    170,
    (fieldsRight - labelX) * 0.4,
    Math.max(
      ...[
        labels.learner,
        labels.registrationNumber,
        labels.case,
        labels.version,
        labels.creditHours,
        labels.completedOn,
        labels.regulator,
        labels.status,
        ...(input.contact ? [labels.contact] : []),
        ...(input.signatory ? [labels.signatory] : []),
      ].map((l) => metrics.widthOf(metrics.drawable(l, "regular"), "regular", labelSize)),
    ),
  );
  const valueX = labelX + labelWidth + 16;
  const valueWidth = fieldsRight - valueX;
  const text = (key: string, label: string, value: string, maxLines = 1, clampable = false): CertificateField => ({
    key,
    label,
    value,
    font: "regular",
    tone: "ink",
    size: 13,
    maxLines,
    clampable,
  });
  const fields: CertificateField[] = [
    { ...text("learnerName", labels.learner, input.learnerName, 2, true), font: "bold" },
    text("registrationNumber", labels.registrationNumber, input.registrationNumber),
    { ...text("caseTitle", labels.case, input.caseTitle, 3, true), font: "bold" },
    text("caseVersion", labels.version, fmt.integer(input.caseVersion)),
    text("creditHours", labels.creditHours, formatHours(input.creditHours, locale)),
    text("completedAt", labels.completedOn, formatZonedDateTime(input.completedAt, locale, timeZone)),
    text("regulator", labels.regulator, input.regulator, 2, true),
    ...(input.contact ? [{ ...text("contact", labels.contact, input.contact, 2, true), yieldsFirst: true }] : []),
    status.status === "revoked"
      ? {
          ...text("status", labels.status, `${labels.revoked} – ${fmt.date(status.revokedAt)}`),
          font: "bold",
          tone: "revoked",
        }
      : status.status === "reissued"
        ? {
            ...text(
              "status",
              labels.status,
              `${labels.valid} · ${labels.reissuedOn} ${fmt.date(status.reissuedAt)}`,
              2,
            ),
            font: "bold",
            tone: "valid",
          }
        : { ...text("status", labels.status, labels.valid), font: "bold", tone: "valid" },
    ...(status.status === "revoked" ? [text("reason", "", status.reason, 3, true)] : []),
    // The regulator's own words and who answers for them, under the record they vouch for.
    ...(input.statement
      ? [{ ...text("statement", "", input.statement, 4, true), size: 11, tone: "muted" as const, yieldsFirst: true }]
      : []),
    ...(input.signatory
      ? [
          {
            ...text(
              "signatory",
              labels.signatory,
              input.signatory.title ? `${input.signatory.name}, ${input.signatory.title}` : input.signatory.name,
              2,
              true,
            ),
            yieldsFirst: true,
          },
        ]
      : []),
  ];
  const room = bodyTop - bodyBottom;
  const fieldMinSize = 8;
  // Free text longer than the body could ever show is cut before it is fitted: wrapping a 20,000-character
  // statement took 8 s. No line holds more characters than its width over the narrowest one's (halved,
  // for kerning), nor the body more lines than its height over the smallest leading, so the cut is never
  // seen: what is left still overflows and ends in the usual ellipsis.
  const visible = (value: string, font: FontName): string => {
    const chars = [...metrics.drawable(value, font)];
    const widths = [...new Set(chars)].map((ch) => metrics.widthOf(ch, font, fieldMinSize));
    const narrowest = Math.min(...widths);
    if (!(narrowest > 0)) return value; // zero-width marks: no bound worth the risk
    const bound = (Math.ceil((2 * valueWidth) / narrowest) + 1) * (Math.ceil(room / leading(fieldMinSize)) + 1);
    return chars.length > bound ? chars.slice(0, bound).join("") : value;
  };
  const fitted = fields.map((f) => ({
    field: f,
    label: clamp(
      fit(f.label, labelWidth, "regular", { size: labelSize, minSize: 8, maxLines: 1 }),
      2,
      labelWidth,
      "regular",
    ),
    value: fit(f.clampable ? visible(f.value, f.font) : f.value, valueWidth, f.font, {
      size: f.size,
      minSize: fieldMinSize,
      maxLines: f.maxLines,
    }),
  }));
  const fieldHeight = (f: (typeof fitted)[number]) => pairHeight(f.label, f.value, f.field.font);
  let fieldGap = 8;
  const bodyHeight = () => fitted.reduce((sum, f) => sum + fieldHeight(f), 0) + fieldGap * (fitted.length - 1);
  if (bodyHeight() > room) fieldGap = 4;
  // Past any real length: the free-text field with the most lines gives up its last one, until all fit;
  // the regulator's words first, so the record (name, title, reason) is the last to be cut.
  while (bodyHeight() > room) {
    const candidates = fitted.filter((f) => f.field.clampable && f.value.lines.length > 1);
    const profileText = candidates.filter((f) => f.field.yieldsFirst);
    const longest = (profileText.length > 0 ? profileText : candidates).reduce<(typeof fitted)[number] | undefined>(
      (a, b) => (a && a.value.lines.length >= b.value.lines.length ? a : b),
      undefined,
    );
    if (!longest) break;
    longest.value = clamp(longest.value, longest.value.lines.length - 1, valueWidth, longest.field.font);
    if (!clamped.includes(longest.field.key)) clamped.push(longest.field.key);
  }
  y = bodyTop;
  for (const f of fitted) y -= placePair(f.label, f.value, f.field.font, f.field.tone, y, [labelX, valueX]) + fieldGap;

  return {
    width,
    height,
    borders: [outer, inner],
    content,
    runs,
    rules,
    qr,
    logo,
    watermark: status.status === "revoked" ? watermark(upper(labels.revoked), content, metrics) : null,
    clamped,
  };
}

/** The revoked mark across the page: as large as fits the content box once rotated, centred on it. */
function watermark(label: string, content: Box, metrics: FontMetrics): CertificateLayout["watermark"] {
  const text = metrics.drawable(label, "bold");
  const angle = 28;
  const [cos, sin] = [Math.cos((angle * Math.PI) / 180), Math.sin((angle * Math.PI) / 180)];
  // Everything scales with the size: measure at 1, then pick the largest size whose rotated box fits.
  const [w1, a1, d1] = [metrics.widthOf(text, "bold", 1), metrics.ascent("bold", 1), metrics.descent("bold", 1)];
  const size = Math.min(
    110,
    content.width / (w1 * cos + (a1 + d1) * sin),
    content.height / (w1 * sin + (a1 + d1) * cos),
  );
  const [w, a, d] = [w1 * size, a1 * size, d1 * size];
  // Rotation is about the baseline origin: put the text box's centre on the content box's centre.
  const [lx, ly] = [w / 2, (a - d) / 2];
  const x = content.x + content.width / 2 - (lx * cos - ly * sin);
  const baseline = content.y + content.height / 2 - (lx * sin + ly * cos);
  const corners = [
    [0, -d],
    [w, -d],
    [w, a],
    [0, a],
  ].map(([px, py]) => [x + px! * cos - py! * sin, baseline + px! * sin + py! * cos]);
  const xs = corners.map((c) => c[0]!);
  const ys = corners.map((c) => c[1]!);
  const bounds = {
    x: Math.min(...xs),
    y: Math.min(...ys),
    width: Math.max(...xs) - Math.min(...xs),
    height: Math.max(...ys) - Math.min(...ys),
  };
  return {
    run: {
      text,
      font: "bold",
      size,
      tone: "revoked",
      x,
      baseline,
      box: { x, y: baseline - d, width: w, height: a + d },
    },
    angle,
    bounds,
  };
}

export async function certificatePdf(input: CertificatePdfInput): Promise<Uint8Array> {
  const { labels, locale } = input;
  const { doc, fonts } = await newDocument({
    title: `${labels.heading} – ${input.caseTitle}`,
    subject: `${input.learnerName} – ${input.caseTitle} (${labels.version} ${input.caseVersion})`,
    keywords: [input.code],
    createdAt: input.completedAt,
    locale,
  });
  const layout = layoutCertificate(input, metricsOf(fonts));
  const tones = input.accent ? { ...TONES, accent: hexColour(input.accent) } : TONES;
  // Letter, not A4: the learners and regulators are in Canada.
  const page = doc.addPage([layout.width, layout.height]);
  const [outer, inner] = layout.borders;
  page.drawRectangle({ ...outer, borderColor: tones.accent, borderWidth: 2 });
  page.drawRectangle({ ...inner, borderColor: RULE, borderWidth: 0.75 });
  if (layout.watermark) {
    const { run, angle } = layout.watermark;
    page.drawText(run.text, {
      x: run.x,
      y: run.baseline,
      font: fonts[run.font],
      size: run.size,
      color: TONES[run.tone],
      opacity: 0.12,
      rotate: degrees(angle),
    });
  }
  for (const rule of layout.rules) {
    page.drawLine({ start: { x: rule.x1, y: rule.y }, end: { x: rule.x2, y: rule.y }, thickness: 0.75, color: RULE });
  }
  for (const run of layout.runs) {
    drawLine(page, run.text, run.x, run.baseline, { font: fonts[run.font], size: run.size, color: tones[run.tone] });
  }
  if (input.logo && layout.logo) {
    // A copy starting at offset 0: pdf-lib reads a JPEG through a DataView of the whole underlying
    // buffer, so a Buffer cut from Node's pool (or from a database row) would be read from the wrong place.
    const bytes = new Uint8Array(input.logo.bytes);
    const image = input.logo.type === "image/png" ? await doc.embedPng(bytes) : await doc.embedJpg(bytes);
    page.drawImage(image, layout.logo);
  }
  drawQr(page, input.verificationUrl, layout.qr.x, layout.qr.y, layout.qr.width);
  return save(doc);
}

// ---------------------------------------------------------------------------------------------
// Transcript

type ColumnKey = "date" | "case" | "version" | "score" | "creditHours" | "certificate";
type Column = { key: ColumnKey; width: number; align: "left" | "right" };

/** The narrowest and widest each column but the case title may be; the case title takes what is left. */
const COLUMN_BOUNDS: Record<Exclude<ColumnKey, "case">, [number, number]> = {
  date: [56, 90],
  version: [40, 64],
  score: [44, 64],
  creditHours: [48, 80],
  certificate: [72, 150],
};

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
  const metrics = metricsOf(fonts);
  // Words are never broken on a transcript: a text wraps at spaces, and one word wider than its
  // box makes the text smaller instead (fitText without a floor).
  const fit = (text: string, maxWidth: number, style: TextStyle): Fitted => {
    const font: FontName = style.font === fonts.bold ? "bold" : "regular";
    return fitText(metrics.drawable(text, font), maxWidth, (s, size) => metrics.widthOf(s, font, size), {
      size: style.size,
    });
  };

  const [pageWidth, pageHeight] = PageSizes.Letter;
  const margin = 48;
  const bottom = margin + 24; // room for the page number
  const tableWidth = pageWidth - 2 * margin;
  const pad = 4;
  const cellStyle = { font: fonts.regular, size: 9, color: INK };
  const headStyle = { font: fonts.bold, size: 9, color: MUTED };
  /** Baseline to baseline, in proportion to the size a cell is drawn at. */
  const leading = (size: number) => (size * 11) / 9;

  let creditedHours = 0;
  const rowValues = input.rows.map((row) => {
    const { certificate } = row;
    const credited = certificate !== null && certificate.revokedAt === null;
    if (credited) creditedHours += row.creditHours;
    const values: Record<ColumnKey, string[]> = {
      date: [fmt.shortDate(row.completedAt)],
      case: [row.caseTitle],
      version: [fmt.integer(row.caseVersion)],
      // The same function as the transcript page, so both print the same score.
      score: [formatPercent(row.score, locale)],
      // Practice completions and revoked certificates earn no credit, so no hours are claimed.
      creditHours: [credited ? formatHours(row.creditHours, locale) : "–"],
      certificate: !certificate
        ? [labels.practice]
        : certificate.revokedAt
          ? [certificate.code, `${labels.revoked} ${fmt.shortDate(certificate.revokedAt)}`]
          : [certificate.code],
    };
    return { row, credited, values };
  });

  // Each fixed column as wide as its header on one line or its widest cell word, within its bounds.
  const widestWord = (texts: string[], style: TextStyle) =>
    texts
      .flatMap((t) => drawable(t, style).split(/ +/))
      .reduce((max, word) => Math.max(max, style.font.widthOfTextAtSize(word, style.size)), 0);
  const fixedWidth = (key: Exclude<ColumnKey, "case">) => {
    const [min, max] = COLUMN_BOUNDS[key];
    const natural = Math.max(
      headStyle.font.widthOfTextAtSize(drawable(labels[key], headStyle), headStyle.size),
      widestWord(
        rowValues.flatMap((r) => r.values[key]),
        cellStyle,
      ),
    );
    return Math.min(max, Math.max(min, Math.ceil(natural + 2 * pad)));
  };
  const fixed: Column[] = [
    { key: "date", width: fixedWidth("date"), align: "left" },
    { key: "version", width: fixedWidth("version"), align: "right" },
    { key: "score", width: fixedWidth("score"), align: "right" },
    { key: "creditHours", width: fixedWidth("creditHours"), align: "right" },
    { key: "certificate", width: fixedWidth("certificate"), align: "left" },
  ];
  const caseWidth = tableWidth - fixed.reduce((sum, c) => sum + c.width, 0);
  const columns: Column[] = [fixed[0]!, { key: "case", width: caseWidth, align: "left" }, ...fixed.slice(1)];

  const pages: PDFPage[] = [];
  let page!: PDFPage;
  let y = 0;

  /** Lines of a block from `top` down, in its own size; returns the height used. */
  const drawBlock = (fitted: Fitted, x: number, top: number, style: TextStyle, align: "left" | "right" = "left") => {
    const s = { ...style, size: fitted.size };
    let cursor = top;
    for (const line of fitted.lines) {
      if (align === "right") drawRightAligned(page, line, x, cursor - s.size, s);
      else drawLine(page, line, x, cursor - s.size, s);
      cursor -= leading(s.size);
    }
    return top - cursor;
  };

  /** A table row: each cell's values fitted to its column; returns the row's height. */
  const fitRow = (cells: string[][], style: TextStyle) => {
    const fitted = columns.map((c, i) => (cells[i] ?? []).map((text) => fit(text, c.width - 2 * pad, style)));
    const height =
      Math.max(...fitted.map((blocks) => blocks.reduce((h, b) => h + b.lines.length * leading(b.size), 0))) + 8;
    return { fitted, height };
  };
  const drawRow = (fitted: Fitted[][], styleFor: (i: number) => TextStyle) => {
    let x = margin;
    columns.forEach((column, i) => {
      let top = y - 4;
      for (const block of fitted[i] ?? []) {
        const anchor = column.align === "right" ? x + column.width - pad : x + pad;
        top -= drawBlock(block, anchor, top, styleFor(i), column.align);
      }
      x += column.width;
    });
  };

  const drawTableHeader = () => {
    const { fitted, height } = fitRow(
      columns.map((c) => [labels[c.key]]),
      headStyle,
    );
    drawRow(fitted, () => headStyle);
    y -= height;
    page.drawLine({ start: { x: margin, y }, end: { x: margin + tableWidth, y }, thickness: 1, color: ACCENT });
  };

  const newPage = () => {
    page = doc.addPage([pageWidth, pageHeight]);
    pages.push(page);
    y = pageHeight - margin;
    if (pages.length === 1) {
      const headingStyle = { font: fonts.bold, size: 20, color: ACCENT };
      const heading = fit(labels.heading, tableWidth, headingStyle);
      y -= drawBlock(heading, margin, y, headingStyle);
      y -= 14;
      const labelStyle = { font: fonts.regular, size: 10, color: MUTED };
      const valueStyle = { font: fonts.bold, size: 10, color: INK };
      const labelWidth = 130;
      for (const [label, value] of [
        [labels.learner, input.learnerName],
        [labels.registrationNumber, input.registrationNumber],
        [labels.period, range],
      ] as const) {
        // Both from the same top; the taller of the two sets where the next line starts.
        const top = y + labelStyle.size;
        const used = Math.max(
          drawBlock(fit(label, labelWidth - 8, labelStyle), margin, top, labelStyle),
          drawBlock(fit(value, tableWidth - labelWidth, valueStyle), margin + labelWidth, top, valueStyle),
        );
        y -= Math.max(15, used + 2);
      }
      y -= 10;
    } else {
      // Continuation pages still say whose transcript they belong to, in case they get separated.
      const style = { font: fonts.regular, size: 9, color: MUTED };
      const used = drawBlock(
        fit(`${input.learnerName} (${input.registrationNumber}) – ${range}`, tableWidth, style),
        margin,
        y - 1,
        style,
      );
      y -= Math.max(24, used + 13);
    }
    drawTableHeader();
  };

  newPage();

  if (input.rows.length === 0) {
    const style = { font: fonts.regular, size: 10, color: MUTED };
    y -= 8 + drawBlock(fit(labels.empty, tableWidth - 2 * pad, style), margin + pad, y - 8, style) + 10;
  }

  rowValues.forEach(({ credited, row }, index) => {
    const values = rowValues[index]!.values;
    const { fitted, height } = fitRow(
      columns.map((c) => values[c.key]),
      cellStyle,
    );
    if (y - height < bottom) newPage();
    if (index % 2 === 1) {
      page.drawRectangle({ x: margin, y: y - height, width: tableWidth, height, color: STRIPE });
    }
    drawRow(fitted, (i) =>
      columns[i]?.key !== "certificate" || credited
        ? cellStyle
        : { ...cellStyle, color: row.certificate?.revokedAt ? REVOKED : MUTED },
    );
    y -= height;
  });

  const totalHeight = 30;
  if (y - totalHeight < bottom) newPage();
  page.drawLine({ start: { x: margin, y }, end: { x: margin + tableWidth, y }, thickness: 1, color: ACCENT });
  const totalStyle = { font: fonts.bold, size: 10, color: INK };
  const hoursColumn = columns.findIndex((c) => c.key === "creditHours");
  const hoursRight = margin + columns.slice(0, hoursColumn + 1).reduce((s, c) => s + c.width, 0);
  const hoursLeft = hoursRight - columns[hoursColumn]!.width;
  drawBlock(fit(labels.total, hoursLeft - margin - 2 * pad, totalStyle), margin + pad, y - 6, totalStyle);
  // formatHours keeps two decimals at most, so 0.1 + 0.2 prints as 0.3, as on the page.
  drawBlock(
    fit(formatHours(creditedHours, locale), hoursRight - hoursLeft - 2 * pad, totalStyle),
    hoursRight - pad,
    y - 6,
    totalStyle,
    "right",
  );

  pages.forEach((p, i) => {
    drawRightAligned(p, `${i + 1} / ${pages.length}`, pageWidth - margin, margin - 8, {
      font: fonts.regular,
      size: 8,
      color: MUTED,
    });
  });

  return save(doc);
}
