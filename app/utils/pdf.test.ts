import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream, decodePDFRawStream, type PDFPage } from "pdf-lib";
import QRCode from "qrcode";
import { beforeAll, describe, expect, test } from "vitest";
import { FORMAT_LIMITS } from "~/engine";
import { formatPercent } from "~/utils/format";
import {
  LOGO_BOX,
  QR_MARKED_CONTENT_TAG,
  certificatePdf,
  fitText,
  fontMetrics,
  layoutCertificate,
  qrMatrix,
  sanitizeForFont,
  transcriptPdf,
  wrapText,
  type Box,
  type CertificateLabels,
  type CertificateLayout,
  type FontMetrics,
  type FontName,
  type CertificatePdfInput,
  type TranscriptLabels,
  type TranscriptPdfInput,
  type TranscriptRow,
} from "~/utils/pdf.server";
import { jpeg, png } from "../../tests/support/images";

// ---------------------------------------------------------------------------------------------
// Reading the PDFs back. pdf-lib Flate-compresses content streams and writes drawText as
// `<glyph ids> Tj` with the embedded font selected by `/F Tf`; each font's ToUnicode map says
// which text a glyph id stands for, as a PDF reader's copy and paste (and search) would read it.

function inflate(stream: unknown): string {
  if (!(stream instanceof PDFRawStream)) throw new Error(`unexpected stream ${String(stream)}`);
  return Buffer.from(decodePDFRawStream(stream).decode()).toString("latin1");
}

type PageFont = { name: FontName; glyphs: Map<string, string> };

/** Per font resource name ("/F1-0"): which of the two fonts it is, and glyph id (4 hex digits) → text. */
function toUnicodeMaps(pdf: PDFDocument, page: PDFPage): Map<string, PageFont> {
  const maps = new Map<string, PageFont>();
  const fonts = page.node.Resources()?.lookup(PDFName.of("Font"), PDFDict);
  for (const [name, ref] of fonts?.entries() ?? []) {
    const font = pdf.context.lookup(ref, PDFDict);
    const cmap = inflate(pdf.context.lookup(font.get(PDFName.of("ToUnicode"))));
    const glyphs = new Map<string, string>();
    for (const [, id, utf16] of cmap.matchAll(/<([0-9a-f]{4})> <([0-9a-f]+)>/gi)) {
      const units = utf16!.match(/.{4}/g)!.map((u) => parseInt(u, 16));
      glyphs.set(id!.toLowerCase(), String.fromCharCode(...units));
    }
    const baseFont = font.get(PDFName.of("BaseFont"))?.toString() ?? "";
    maps.set(name.toString(), { name: baseFont.endsWith("-Bold") ? "bold" : "regular", glyphs });
  }
  return maps;
}

function contentOf(pdf: PDFDocument, page: PDFPage): string {
  const contents = page.node.Contents();
  const streams = contents instanceof PDFArray ? contents.asArray().map((ref) => pdf.context.lookup(ref)) : [contents];
  return streams.map(inflate).join("\n");
}

/** A line of text as the PDF draws it: where its baseline starts, in which font and size. */
type TextItem = { text: string; x: number; y: number; font: FontName; size: number };

function textItems(content: string, fonts: Map<string, PageFont>): TextItem[] {
  const items: TextItem[] = [];
  let font: PageFont | undefined;
  let size = 0;
  for (const m of content.matchAll(/(\/\S+) ([\d.]+) Tf|(-?[\d.]+) (-?[\d.]+) Tm\s*<([0-9A-Fa-f]*)> Tj/g)) {
    if (m[1]) {
      font = fonts.get(m[1]);
      size = Number(m[2]);
      continue;
    }
    const hex = (m[5] ?? "").toLowerCase();
    let text = "";
    for (let i = 0; i < hex.length; i += 4) text += font?.glyphs.get(hex.slice(i, i + 4)) ?? "\uFFFD";
    items.push({ x: Number(m[3]), y: Number(m[4]), text, font: font?.name ?? "regular", size });
  }
  return items;
}

async function read(bytes: Uint8Array) {
  const pdf = await PDFDocument.load(bytes, { updateMetadata: false });
  const pages = pdf.getPages().map((page) => {
    const content = contentOf(pdf, page);
    const items = textItems(content, toUnicodeMaps(pdf, page));
    return { page, content, items, text: items.map((i) => i.text).join("\n") };
  });
  return { pdf, pages, text: pages.map((p) => p.text).join("\n") };
}

/** The images a page draws: the XObject's pixel size and type, and where the content stream puts it. */
function imagesOf(pdf: PDFDocument, page: PDFPage, content: string) {
  const xobjects = page.node.Resources()?.lookup(PDFName.of("XObject"), PDFDict);
  return [...(xobjects?.entries() ?? [])].map(([name, ref]) => {
    const stream = pdf.context.lookup(ref) as PDFRawStream;
    const placed = new RegExp(
      // pdf-lib's drawImage: translate, rotate (none), scale, skew (none), draw.
      String.raw`1 0 0 1 (\S+) (\S+) cm\s+1 0 0 1 0 0 cm\s+(\S+) 0 0 (\S+) 0 0 cm\s+1 0 0 1 0 0 cm\s+${name.toString()} Do`,
    ).exec(content);
    return {
      subtype: stream.dict.get(PDFName.of("Subtype"))?.toString(),
      filter: stream.dict.get(PDFName.of("Filter"))?.toString(),
      pixels: [Number(stream.dict.get(PDFName.of("Width"))), Number(stream.dict.get(PDFName.of("Height")))],
      box: placed
        ? { x: Number(placed[1]), y: Number(placed[2]), width: Number(placed[3]), height: Number(placed[4]) }
        : null,
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Fixtures

const enLabels: CertificateLabels = {
  heading: "Certificate of completion",
  learner: "Learner",
  registrationNumber: "Registration number",
  case: "Case study",
  version: "Version",
  creditHours: "Credit hours",
  completedOn: "Completed on",
  regulator: "Regulator",
  status: "Status",
  valid: "Valid",
  revoked: "Revoked",
  duplicate: "Duplicate",
  reissuedOn: "reissued on",
  verifyAt: "Verify at",
  code: "Verification code",
  contact: "Contact",
  signatory: "Signed by",
};

const frLabels: CertificateLabels = {
  heading: "Certificat de réussite",
  learner: "Apprenant·e",
  registrationNumber: "Numéro de permis",
  case: "Étude de cas",
  version: "Version",
  creditHours: "Heures de formation",
  completedOn: "Terminé le",
  regulator: "Ordre professionnel",
  status: "Statut",
  valid: "Valide",
  revoked: "Révoqué",
  duplicate: "Duplicata",
  reissuedOn: "réémis le",
  verifyAt: "Vérifier à",
  code: "Code de vérification",
  contact: "Coordonnées",
  signatory: "Signataire",
};

const URL = "https://vignette.example.ca/verify/K7QX-29PM";

function certificate(overrides: Partial<CertificatePdfInput> = {}): CertificatePdfInput {
  return {
    locale: "en",
    labels: enLabels,
    learnerName: "Amélie Tremblay",
    registrationNumber: "OT-104233",
    caseTitle: "Falls risk after hip fracture",
    caseVersion: 3,
    creditHours: 0.5,
    // 01:30 UTC on the 13th is still the 12th in Toronto.
    completedAt: new Date("2025-03-13T01:30:00Z"),
    regulator: "College of Occupational Therapists of Ontario",
    status: { status: "valid" },
    verificationUrl: URL,
    code: "K7QX-29PM",
    ...overrides,
  };
}

// ---------------------------------------------------------------------------------------------

describe("sanitizeForFont", () => {
  // A font with Latin-1 and a few more letters, like a real font that lacks some of Unicode.
  const latin1 = (cp: number) => (cp >= 0x20 && cp < 0x7f) || (cp >= 0xa0 && cp <= 0xff) || cp === 0x2013;
  const clean = (text: string) => sanitizeForFont(text, latin1);

  test("keeps what the font has, replaces what it lacks", () => {
    expect(clean("Zoë Ærøskøbing 😀 Łukasz")).toBe("Zoë Ærøskøbing ? ?ukasz");
    expect(clean("é è à ç ô î ù É « » –")).toBe("é è à ç ô î ù É « » –");
  });

  test("falls back to the unaccented letter when only the accent is missing", () => {
    expect(clean("Dvořák Nguyễn")).toBe("Dvorák Nguyên");
    expect(clean("ﬁle")).toBe("file");
    // Decomposed input (as some keyboards and macOS file names produce) is recomposed.
    expect(clean("Ame\u0301lie")).toBe("Amélie");
  });

  test("turns line breaks and tabs into spaces and never splits an emoji into two marks", () => {
    expect(clean("a\r\nb\tc")).toBe("a b c");
    expect(clean("👩‍⚕️ 🇨🇦")).toBe("? ?");
  });
});

describe("wrapText", () => {
  const measure = (s: string) => s.length; // one unit per character

  test("wraps on spaces within the width", () => {
    expect(wrapText("the quick brown fox jumps", 10, measure)).toEqual(["the quick", "brown fox", "jumps"]);
  });

  test("breaks words longer than a line between characters", () => {
    const lines = wrapText("see https://example.ca/verify/abcdefghij", 12, measure);
    expect(lines.every((l) => l.length <= 12)).toBe(true);
    expect(lines.join("")).toBe("seehttps://example.ca/verify/abcdefghij");
  });
});

describe("qrMatrix", () => {
  test("is the square symbol qrcode computes for the URL, finder patterns in three corners", () => {
    const matrix = qrMatrix(URL);
    const { version } = QRCode.create(URL, { errorCorrectionLevel: "M" });
    // Level M, mixed byte and alphanumeric segments: version 3, 17 + 4 × 3 = 29 modules a side.
    expect(version).toBe(3);
    expect(matrix).toHaveLength(29);
    expect(matrix.every((row) => row.length === 29)).toBe(true);
    const finderRow = [true, true, true, true, true, true, true, false];
    expect(matrix[0]?.slice(0, 8)).toEqual(finderRow);
    expect(matrix[0]?.slice(-8)).toEqual([...finderRow].reverse());
    expect(matrix[28]?.slice(0, 8)).toEqual(finderRow);
  });
});

describe("certificatePdf", () => {
  test("one Letter landscape page with the fields, URL and metadata", async () => {
    const { pdf, pages, text } = await read(await certificatePdf(certificate()));
    expect(pages).toHaveLength(1);
    expect(pages[0]!.page.getSize()).toEqual({ width: 792, height: 612 });
    for (const expected of [
      "Certificate of completion",
      "Amélie Tremblay",
      "OT-104233",
      "Falls risk after hip fracture",
      "College of Occupational Therapists of Ontario",
      "0.5",
      "March 12, 2025",
      "Valid",
      "K7QX-29PM",
      URL,
    ]) {
      expect(text).toContain(expected);
    }
    expect(text).not.toContain("Revoked");
    expect(pdf.getTitle()).toBe("Certificate of completion – Falls risk after hip fracture");
    expect(pdf.getAuthor()).toBe("Vignette");
    expect(pdf.getSubject()).toContain("Amélie Tremblay");
    expect(pdf.getCreationDate()?.toISOString()).toBe("2025-03-13T01:30:00.000Z");
    expect(pdf.getModificationDate()?.toISOString()).toBe("2025-03-13T01:30:00.000Z");
  });

  test("formats numbers and dates for fr-CA", async () => {
    const { text, pdf } = await read(await certificatePdf(certificate({ locale: "fr", labels: frLabels })));
    expect(text).toContain("Certificat de réussite");
    expect(text).toContain("0,5");
    expect(text).toContain("12 mars 2025");
    expect(text).toContain("Valide");
    expect(pdf.getTitle()).toBe("Certificat de réussite – Falls risk after hip fracture");
  });

  test("draws every dark module of the verification URL's QR code", async () => {
    const { pages } = await read(await certificatePdf(certificate()));
    const content = pages[0]!.content;
    const start = content.indexOf(`/${QR_MARKED_CONTENT_TAG} BMC`);
    const end = content.indexOf("EMC", start);
    expect(start).toBeGreaterThanOrEqual(0);
    const squares = [...content.slice(start, end).matchAll(/^(\S+) (\S+) (\S+) (\S+) re$/gm)];
    const dark = qrMatrix(URL).flat().filter(Boolean).length;
    expect(squares).toHaveLength(dark);
    // All squares the same size: one module each.
    const sizes = new Set(squares.map((m) => Number(m[3]).toFixed(3)));
    expect(sizes.size).toBe(1);
  });

  test("a revoked certificate says so, with the date and reason", async () => {
    const status = {
      status: "revoked" as const,
      revokedAt: new Date("2025-06-02T16:00:00Z"),
      reason: "Completion entered in error",
    };
    const en = await read(await certificatePdf(certificate({ status })));
    expect(en.text).toContain("REVOKED – June 2, 2025");
    expect(en.text).toContain("Revoked – June 2, 2025");
    expect(en.text).toContain("Completion entered in error");
    expect(en.text).not.toContain("Valid");

    const fr = await read(await certificatePdf(certificate({ status, locale: "fr", labels: frLabels })));
    expect(fr.text).toContain("RÉVOQUÉ – 2 juin 2025");
  });

  test("names print as written in any Latin, Greek or Cyrillic script; what the font lacks becomes ?", async () => {
    const name = "Łukasz Dvořák Nguyễn Şahin Ольга Παύλου";
    const { text, pdf } = await read(await certificatePdf(certificate({ learnerName: `${name} 王` })));
    expect(text).toContain(`${name} ?`);
    // Metadata is UTF-16, so it keeps the real name whole.
    expect(pdf.getSubject()).toContain(`${name} 王`);
  });

  test("embeds only the glyphs it uses, so a certificate stays small", async () => {
    const bytes = await certificatePdf(certificate());
    expect(bytes.length).toBeLessThan(120_000);
  });

  test("long titles wrap inside the page, at one left edge, and print in full", async () => {
    const caseTitle = Array.from({ length: 12 }, (_, i) => `Interprofessional consideration ${i + 1}`).join(" ");
    const { pages } = await read(await certificatePdf(certificate({ caseTitle })));
    const items = pages[0]!.items;
    const titleLines = items.filter((i) => i.text.length > 3 && caseTitle.includes(i.text));
    expect(titleLines.length).toBeGreaterThan(1);
    expect(titleLines.map((l) => l.text).join(" ")).toBe(caseTitle);
    expect(new Set(titleLines.map((l) => l.x)).size).toBe(1);
    for (const item of items) expect(insideBox(drawnBox(item), INNER_FRAME)).toBe(true);
  });

  test("prints the regulator's statement, signatory and contact, and the completion time on its clock, zone named", async () => {
    const profile = {
      statement: "This certificate records continuing-education activity completed with the College's case studies.",
      signatory: { name: "Dana Whitefeather", title: "Registrar and CEO" },
      contact: "practice@coto.example · https://coto.example",
    };
    const en = await read(await certificatePdf(certificate({ ...profile, timeZone: "America/Vancouver" })));
    const enText = en.pages[0]!.items.map((i) => i.text).join(" ");
    expect(enText).toContain(profile.statement);
    expect(enText).toContain("Signed by Dana Whitefeather, Registrar and CEO");
    expect(enText).toContain("Contact practice@coto.example · https://coto.example");
    // 01:30 UTC on the 13th: 6:30 p.m. on the 12th in Vancouver.
    expect(enText).toContain("Completed on March 12, 2025 at 6:30 p.m. PDT");

    const fr = await read(
      await certificatePdf(
        certificate({
          ...profile,
          locale: "fr",
          labels: frLabels,
          statement: "Ce certificat atteste une activité de formation continue.",
          signatory: { name: "Dana Whitefeather", title: "Registraire" },
        }),
      ),
    );
    const frText = fr.pages[0]!.items.map((i) => i.text).join(" ");
    expect(frText).toContain("Ce certificat atteste une activité de formation continue.");
    expect(frText).toContain("Signataire Dana Whitefeather, Registraire");
    expect(frText).toContain("Terminé le 12 mars 2025 à 21 h 30 HAE");
  });

  test("without a profile's words, prints none of their labels", async () => {
    const { text } = await read(await certificatePdf(certificate()));
    expect(text).not.toContain("Signed by");
    expect(text).not.toContain("Contact");
  });

  test("a reissued certificate is marked as a duplicate with its date, and still valid", async () => {
    const status = { status: "reissued" as const, reissuedAt: new Date("2026-01-20T15:00:00Z"), number: 1 };
    const en = await read(await certificatePdf(certificate({ status })));
    expect(en.text).toContain("DUPLICATE – January 20, 2026");
    expect(en.text).toContain("Valid · reissued on January 20, 2026");
    expect(en.text).not.toContain("Revoked");
    const fr = await read(await certificatePdf(certificate({ status, locale: "fr", labels: frLabels })));
    expect(fr.text).toContain("DUPLICATA – 20 janvier 2026");
    expect(fr.text).toContain("Valide · réémis le 20 janvier 2026");
  });

  test("embeds the regulator's logo, PNG or JPEG, drawn where the layout put it, in the profile's colour", async () => {
    for (const [logo, filter] of [
      [{ bytes: png(240, 80), type: "image/png" as const, width: 240, height: 80 }, "/FlateDecode"],
      [{ bytes: jpeg(300, 600), type: "image/jpeg" as const, width: 300, height: 600 }, "/DCTDecode"],
    ] as const) {
      const input = certificate({ logo, accent: "#5b2a6e" });
      const { pdf, pages } = await read(await certificatePdf(input));
      const images = imagesOf(pdf, pages[0]!.page, pages[0]!.content);
      expect(images).toHaveLength(1);
      expect(images[0]).toMatchObject({ subtype: "/Image", filter, pixels: [logo.width, logo.height] });
      const box = layoutCertificate(input, metrics).logo!;
      for (const key of ["x", "y", "width", "height"] as const) expect(images[0]!.box![key]).toBeCloseTo(box[key], 3);
      // The frame and heading in the regulator's colour (0x5b2a6e), not the default.
      const [r, g, b] = [0x5b, 0x2a, 0x6e].map((c) => c / 255);
      expect(pages[0]!.content).toContain(`${r} ${g} ${b} RG`); // the frame's stroke
      expect(pages[0]!.content).toContain(`${r} ${g} ${b} rg`); // the heading's fill
    }
    const { pdf, pages } = await read(await certificatePdf(certificate()));
    expect(imagesOf(pdf, pages[0]!.page, pages[0]!.content)).toEqual([]);
  });

  test("the same input gives the same bytes", async () => {
    const a = await certificatePdf(certificate());
    const b = await certificatePdf(certificate());
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
// Layout at the extremes. The layout is computed from the same font metrics the PDF is drawn
// with, and the PDF is checked to draw exactly the layout's lines, so a box inside the frame in
// the layout is a line inside the frame on paper.

let metrics: FontMetrics;
beforeAll(async () => {
  metrics = await fontMetrics();
});

/** The certificate's inner ruled frame (Letter landscape less 30 pt a side). */
const INNER_FRAME: Box = { x: 30, y: 30, width: 732, height: 552 };

const EPSILON = 1e-6;

function insideBox(inner: Box, outer: Box): boolean {
  return (
    inner.x >= outer.x - EPSILON &&
    inner.y >= outer.y - EPSILON &&
    inner.x + inner.width <= outer.x + outer.width + EPSILON &&
    inner.y + inner.height <= outer.y + outer.height + EPSILON
  );
}

function overlap(a: Box, b: Box): boolean {
  return (
    Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x) > 0.01 &&
    Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y) > 0.01
  );
}

/** The box a line read back from a PDF covers, measured with the font metrics it was drawn with. */
function drawnBox(item: TextItem): Box {
  const descent = metrics.descent(item.font, item.size);
  return {
    x: item.x,
    y: item.y - descent,
    width: metrics.widthOf(item.text, item.font, item.size),
    height: metrics.ascent(item.font, item.size) + descent,
  };
}

/** Everything a layout must hold to: each line, the QR code and the watermark inside the frame, nothing on top of anything else. */
function expectContained(layout: CertificateLayout): void {
  const [, inner] = layout.borders;
  expect(inner).toEqual(INNER_FRAME);
  expect(insideBox(layout.content, inner)).toBe(true);
  expect(insideBox(layout.qr, layout.content)).toBe(true);
  expect(layout.qr.width).toBeGreaterThanOrEqual(100);
  if (layout.watermark) expect(insideBox(layout.watermark.bounds, layout.content)).toBe(true);
  if (layout.logo) {
    expect(insideBox(layout.logo, layout.content)).toBe(true);
    expect(layout.logo.width).toBeLessThanOrEqual(LOGO_BOX.width + EPSILON);
    expect(layout.logo.height).toBeLessThanOrEqual(LOGO_BOX.height + EPSILON);
    expect(overlap(layout.logo, layout.qr)).toBe(false);
    for (const run of layout.runs) expect(overlap(run.box, layout.logo), run.text).toBe(false);
    for (const rule of layout.rules) {
      expect(layout.logo.y < rule.y && rule.y < layout.logo.y + layout.logo.height).toBe(false);
    }
  }
  for (const run of layout.runs) {
    expect(run.box.width, run.text).toBeCloseTo(metrics.widthOf(run.text, run.font, run.size), 6);
    expect(insideBox(run.box, layout.content), `${run.text} at ${JSON.stringify(run.box)}`).toBe(true);
    expect(overlap(run.box, layout.qr), run.text).toBe(false);
    for (const rule of layout.rules) expect(run.box.y < rule.y && rule.y < run.box.y + run.box.height).toBe(false);
  }
  layout.runs.forEach((a, i) => {
    for (const b of layout.runs.slice(i + 1)) expect(overlap(a.box, b.box), `${a.text} / ${b.text}`).toBe(false);
  });
}

/** The lines that start at the same x as a field's first line, from it down to the next field. */
function printedText(layout: CertificateLayout, value: string): string {
  const clean = (s: string) => s.replace(/[ …]/g, "");
  const target = clean(value);
  const start = layout.runs.findIndex((r) => target.startsWith(clean(r.text)) && r.text.length > 0);
  let text = "";
  for (const run of layout.runs.slice(start)) {
    if (run.x !== layout.runs[start]!.x || !target.startsWith(text + clean(run.text))) break;
    text += clean(run.text);
  }
  return text;
}

const longName = "Wolfeschlegelsteinhausenbergerdorff".repeat(9).slice(0, 300);
const longCode = "abcdefghijkmnpqrstuvwxyz23456789".repeat(2);
const longTitle = (words: string) => words.repeat(20).slice(0, 400).trim();
const extremes = {
  en: certificate({
    learnerName: longName,
    registrationNumber: "OT-".padEnd(60, "7"),
    caseTitle: longTitle("Interprofessional consideration of falls risk after hip fracture in older adults "),
    regulator:
      "College of Occupational Therapists, Physiotherapists, Speech-Language Pathologists and Audiologists of Ontario",
    code: longCode,
    verificationUrl: `https://certificates.regulator-with-a-long-domain.example.ca/certificates/${longCode}`,
  }),
  fr: certificate({
    locale: "fr",
    labels: frLabels,
    learnerName: longName,
    registrationNumber: "OT-".padEnd(60, "7"),
    caseTitle: longTitle("Considérations interprofessionnelles du risque de chute après une fracture de la hanche "),
    regulator:
      "Ordre des ergothérapeutes, physiothérapeutes, orthophonistes et audiologistes de l'Ontario et du Québec",
    code: longCode,
    verificationUrl: `https://certificats.ordre-avec-un-long-domaine.example.ca/certificates/${longCode}`,
  }),
};
const revokedAtLength = {
  status: "revoked" as const,
  revokedAt: new Date("2025-06-02T16:00:00Z"),
  reason: "Completion entered in error after an audit of the attendance records. ".repeat(4).trim(),
};

describe("fitText", () => {
  const width = (font: FontName) => (s: string, size: number) => metrics.widthOf(s, font, size);

  test("keeps the size when the text fits, shrinks before wrapping, wraps at words", () => {
    expect(fitText("Score", 100, width("bold"), { size: 9 })).toEqual({ size: 9, lines: ["Score"] });
    const shrunk = fitText("Heures de crédit", 75, width("bold"), { size: 9, maxLines: 1, minSize: 7 });
    expect(shrunk.lines).toEqual(["Heures de crédit"]);
    expect(shrunk.size).toBeLessThan(9);
    expect(shrunk.size).toBeGreaterThanOrEqual(7);
    expect(fitText("Heures de crédit", 60, width("bold"), { size: 9 }).lines).toEqual(["Heures de", "crédit"]);
  });

  test("without a floor, never splits a word: one wider than the line makes the text smaller", () => {
    for (const label of ["Certificat", "Résultat", "Terminé le", "Heures de crédit", "Participant·e", "Certificate"]) {
      for (const columnWidth of [20, 30, 42]) {
        const fitted = fitText(label, columnWidth, width("bold"), { size: 9 });
        expect(fitted.lines.join(" ")).toBe(label);
        for (const line of fitted.lines) expect(width("bold")(line, fitted.size)).toBeLessThanOrEqual(columnWidth);
        expect(fitted.size).toBeGreaterThan(0);
      }
    }
    const code = fitText(longCode, 140, width("regular"), { size: 9 });
    expect(code.lines).toEqual([longCode]);
    expect(width("regular")(longCode, code.size)).toBeLessThanOrEqual(140);
    expect(width("regular")(longCode, code.size + 0.05)).toBeGreaterThan(140);
  });

  test("with a floor, breaks between characters only what does not fit at the floor", () => {
    const fitted = fitText(longName, 300, width("bold"), { size: 13, minSize: 8, maxLines: 2 });
    expect(fitted.size).toBe(8);
    expect(fitted.lines.join("")).toBe(longName);
    for (const line of fitted.lines) expect(width("bold")(line, 8)).toBeLessThanOrEqual(300);
  });
});

describe("layoutCertificate", () => {
  test("a usual certificate: every line at full size, inside the frame, nothing overlapping", () => {
    for (const input of [certificate(), certificate({ locale: "fr", labels: frLabels, status: revokedAtLength })]) {
      const layout = layoutCertificate(input, metrics);
      expectContained(layout);
      expect(layout.clamped).toEqual([]);
      const code = layout.runs.find((r) => r.text === input.code)!;
      expect(code.size).toBe(14);
      expect(layout.runs.find((r) => r.text === input.learnerName)!.size).toBe(13);
    }
  });

  test("a real 26-character code, which ran over the old frame, fits on one line at full size", () => {
    const layout = layoutCertificate(certificate({ code: "k7qxa29pmbcdefghijkmnpqrst" }), metrics);
    expectContained(layout);
    expect(layout.runs.filter((r) => r.text === "k7qxa29pmbcdefghijkmnpqrst")).toHaveLength(1);
  });

  test.each(["en", "fr"] as const)(
    "%s: a 300-character name without spaces, a 400-character title and a 64-character code print in full, inside the frame",
    (locale) => {
      for (const status of [{ status: "valid" as const }, revokedAtLength]) {
        const input = { ...extremes[locale], status };
        const layout = layoutCertificate(input, metrics);
        expectContained(layout);
        expect(layout.clamped).toEqual([]);
        for (const value of [
          input.learnerName,
          input.caseTitle,
          input.code,
          input.regulator,
          input.registrationNumber,
        ]) {
          expect(printedText(layout, value)).toBe(value.replace(/ /g, ""));
        }
        if (status.status === "revoked")
          expect(printedText(layout, status.reason)).toBe(status.reason.replace(/ /g, ""));
      }
    },
  );

  test.each(["en", "fr"] as const)(
    "%s: with the longest statement, signatory and contact a profile allows, nothing leaves the frame or overlaps",
    (locale) => {
      const profileText = {
        // The profile schema's limits: statement as long as any case text, signatory name and title 120 each.
        statement: `${"Ce certificat atteste une activité de formation continue reconnue par l'Ordre. ".repeat(200)}`
          .slice(0, FORMAT_LIMITS.textLength)
          .trim(),
        signatory: {
          name: "N".repeat(120),
          title: "Registraire et directrice générale ".repeat(4).slice(0, 120).trim(),
        },
        contact: `${"c".repeat(60)}@${"d".repeat(60)}.example · https://${"w".repeat(200)}.example`,
      };
      for (const status of [{ status: "valid" as const }, revokedAtLength]) {
        const input = { ...extremes[locale], ...profileText, status };
        const layout = layoutCertificate(input, metrics);
        expectContained(layout);
        // The record itself still prints in full; only the regulator's free text gives way.
        for (const value of [
          input.learnerName,
          input.caseTitle,
          input.code,
          input.registrationNumber,
          input.regulator,
        ]) {
          expect(printedText(layout, value)).toBe(value.replace(/ /g, ""));
        }
        if (status.status === "revoked")
          expect(printedText(layout, status.reason)).toBe(status.reason.replace(/ /g, ""));
        expect(layout.clamped).toContain("statement");
        for (const key of layout.clamped) expect(["statement", "contact", "signatory"]).toContain(key);
      }
      // A statement of a usual length, with everything else at its extreme, prints in full.
      const usual = { ...extremes[locale], ...profileText, statement: profileText.statement.slice(0, 200).trim() };
      const layout = layoutCertificate({ ...usual, contact: "practice@coto.example · https://coto.example" }, metrics);
      expectContained(layout);
      expect(printedText(layout, usual.statement)).toBe(usual.statement.replace(/ /g, ""));
    },
  );

  test("past any real length, the longest free text ends in an ellipsis, and still nothing leaves the frame", () => {
    const input = certificate({
      ...extremes.fr,
      labels: {
        ...frLabels,
        heading: "Attestation officielle de réussite d'une activité de formation continue ".repeat(4),
        registrationNumber: "Numéro d'inscription au tableau de l'ordre professionnel".repeat(3),
      },
      learnerName: "Nom ".repeat(600),
      caseTitle: "X".repeat(5000),
      code: "c".repeat(600),
      verificationUrl: `https://example.ca/${"u".repeat(900)}`,
      status: { ...revokedAtLength, reason: "Motif ".repeat(800) },
    });
    const layout = layoutCertificate(input, metrics);
    expectContained(layout);
    expect(layout.clamped).toEqual(expect.arrayContaining(["code", "verificationUrl", "caseTitle", "reason"]));
    expect(layout.runs.some((r) => r.text.endsWith("…"))).toBe(true);
  });

  test.each(["en", "fr"] as const)(
    "%s: a logo of any aspect ratio fits its box whole, beside the heading, and nothing overlaps it",
    (locale) => {
      const shapes = [
        [2000, 1],
        [1, 2000],
        [240, 80],
        [96, 96],
        [1200, 500],
      ] as const;
      const statuses = [
        { status: "valid" as const },
        { status: "reissued" as const, reissuedAt: new Date("2026-01-20T15:00:00Z"), number: 2 },
        revokedAtLength,
      ];
      for (const [width, height] of shapes) {
        for (const status of statuses) {
          const logo = { bytes: new Uint8Array(), type: "image/png" as const, width, height };
          const usual = { ...certificate({ locale, labels: locale === "fr" ? frLabels : enLabels }), logo, status };
          // The extremes (slow to lay out) with the two most lopsided logos.
          const extreme = width * height === 2000 ? [{ ...extremes[locale], logo, status }] : [];
          for (const input of [usual, ...extreme]) {
            const layout = layoutCertificate(input, metrics);
            expectContained(layout);
            const box = layout.logo!;
            // Scaled whole, its shape kept, touching the box on one side at least.
            expect(box.width / box.height).toBeCloseTo(width / height, 6);
            expect(Math.abs(box.width - LOGO_BOX.width) < 1e-6 || Math.abs(box.height - LOGO_BOX.height) < 1e-6).toBe(
              true,
            );
            // The record still prints in full next to a logo, at the extremes too.
            expect(layout.clamped).toEqual([]);
            for (const value of [input.learnerName, input.caseTitle, input.code, input.registrationNumber]) {
              expect(printedText(layout, value)).toBe(value.replace(/ /g, ""));
            }
          }
        }
      }
    },
  );

  test("the PDF draws exactly the layout's lines, and read back they lie inside the frame", async () => {
    const profileText = {
      statement: "Ce certificat atteste une activité de formation continue réalisée avec les études de cas de l'Ordre.",
      signatory: { name: "Dana Whitefeather", title: "Registraire" },
      contact: "pratique@oeo.example · https://oeo.example",
    };
    for (const input of [
      certificate(),
      { ...extremes.fr, status: revokedAtLength },
      extremes.en,
      { ...extremes.fr, ...profileText, status: revokedAtLength },
    ]) {
      const layout = layoutCertificate(input, metrics);
      const items = (await read(await certificatePdf(input))).pages[0]!.items;
      const watermark = layout.watermark ? [layout.watermark.run] : [];
      const expected = [...watermark, ...layout.runs].map((r) => ({ text: r.text, font: r.font, size: r.size }));
      expect(items.map((i) => ({ text: i.text, font: i.font, size: i.size }))).toEqual(expected);
      layout.runs.forEach((run, i) => {
        const item = items[i + watermark.length]!;
        expect(item.x).toBeCloseTo(run.x, 3);
        expect(item.y).toBeCloseTo(run.baseline, 3);
        expect(insideBox(drawnBox(item), INNER_FRAME), item.text).toBe(true);
      });
    }
  });
});

// ---------------------------------------------------------------------------------------------

const transcriptLabels: TranscriptLabels = {
  heading: "Continuing education transcript",
  learner: "Learner",
  registrationNumber: "Registration number",
  period: "Period",
  date: "Date",
  case: "Case study",
  version: "Version",
  score: "Score",
  creditHours: "Credit hours",
  certificate: "Certificate",
  practice: "practice",
  revoked: "Revoked",
  total: "Total credit hours",
  empty: "No completions in this period.",
};

function rows(count: number): TranscriptRow[] {
  return Array.from({ length: count }, (_, i) => ({
    completedAt: new Date(Date.UTC(2025, 0, 1 + i, 15)),
    caseTitle:
      i % 7 === 0
        ? `Case ${i + 1}: a much longer title that needs to wrap onto a second line in the table`
        : `Case ${i + 1}`,
    caseVersion: 1 + (i % 3),
    score: (70 + (i % 31)) / 100,
    creditHours: 0.5,
    certificate: i % 4 === 3 ? null : { code: `CODE-${String(i + 1).padStart(4, "0")}`, revokedAt: null },
  }));
}

function transcript(overrides: Partial<TranscriptPdfInput> = {}): TranscriptPdfInput {
  return {
    locale: "en",
    labels: transcriptLabels,
    learnerName: "Amélie Tremblay",
    registrationNumber: "OT-104233",
    from: new Date("2025-01-01T12:00:00Z"),
    to: new Date("2025-12-31T12:00:00Z"),
    rows: rows(4),
    generatedAt: new Date("2026-01-05T14:00:00Z"),
    ...overrides,
  };
}

describe("transcriptPdf", () => {
  test("a short transcript is one Letter page with rows, practice marker and total", async () => {
    const { pdf, pages, text } = await read(await transcriptPdf(transcript()));
    expect(pages).toHaveLength(1);
    expect(pages[0]!.page.getSize()).toEqual({ width: 612, height: 792 });
    for (const expected of [
      "Continuing education transcript",
      "Amélie Tremblay",
      "OT-104233",
      "January 1, 2025 – December 31, 2025",
      "2025-01-01",
      "Case 2",
      "CODE-0001",
      "practice",
      "70%",
      "0.5",
      "Total credit hours",
      "1 / 1",
    ]) {
      expect(text).toContain(expected);
    }
    expect(pdf.getTitle()).toBe("Continuing education transcript – Amélie Tremblay");
    expect(pdf.getCreationDate()?.toISOString()).toBe("2026-01-05T14:00:00.000Z");
  });

  test("120 rows paginate, every row printed once, total counts only credited rows", async () => {
    const all = rows(120);
    const { pages, text } = await read(await transcriptPdf(transcript({ rows: all })));
    expect(pages.length).toBeGreaterThan(1);
    for (const { page } of pages) expect(page.getSize()).toEqual({ width: 612, height: 792 });
    const lines = text.split("\n");
    const codes = all.flatMap((row) => (row.certificate ? [row.certificate.code] : []));
    expect(lines.filter((line) => line.startsWith("CODE-"))).toEqual(codes);
    expect(lines.filter((line) => line === "practice")).toHaveLength(30);
    // 90 credited rows × 0.5 h.
    const last = pages.at(-1)!;
    expect(last.text).toContain("Total credit hours");
    expect(last.text).toContain("45");
    expect(last.text).toContain(`${pages.length} / ${pages.length}`);
    // Continuation pages repeat the table header and say whose transcript it is.
    expect(pages[1]!.text).toContain("Certificate");
    expect(pages[1]!.text).toContain("Score");
    expect(pages[1]!.text).toContain("Amélie Tremblay (OT-104233)");
    for (const { items } of pages) for (const item of items) expect(item.y).toBeGreaterThan(30);
  });

  test("a revoked certificate shows as revoked, with its date, and its hours leave the total", async () => {
    const [first, second] = rows(2);
    const revoked = { ...second!, certificate: { code: "CODE-REVOKED", revokedAt: new Date("2025-06-10T15:00:00Z") } };
    const { text } = await read(await transcriptPdf(transcript({ rows: [first!, revoked] })));
    const lines = text.split("\n");
    expect(lines).toContain("CODE-REVOKED");
    // The status under the code, wrapped to the column as it may be.
    expect(text.replace(/\n/g, " ")).toContain("CODE-REVOKED Revoked 2025-06-10");
    // Only the first row's 0.5 h count; the revoked row claims none.
    expect(lines.filter((line) => line === "0.5")).toHaveLength(2);
    expect(lines.filter((line) => line === "–")).toHaveLength(1);
  });

  test("French formatting", async () => {
    const { text } = await read(
      await transcriptPdf(
        transcript({
          locale: "fr",
          labels: { ...transcriptLabels, heading: "Relevé de formation continue", practice: "pratique" },
        }),
      ),
    );
    expect(text).toContain("Relevé de formation continue");
    expect(text).toContain("1 janvier 2025 – 31 décembre 2025");
    expect(text).toContain("0,5");
    expect(text).toContain("70\u00A0%");
    expect(text).toContain("pratique");
  });

  const frTranscriptLabels: TranscriptLabels = {
    heading: "Relevé de formation continue",
    learner: "Participant·e",
    registrationNumber: "Numéro d'inscription",
    period: "Période",
    date: "Terminé le",
    case: "Étude de cas",
    version: "Version",
    score: "Résultat",
    creditHours: "Heures de crédit",
    certificate: "Certificat",
    practice: "Exercice",
    revoked: "Révoqué",
    total: "Total des heures de crédit",
    empty: "Aucun achèvement pendant cette période.",
  };
  const realCode = "k7qxa29pmbcdefghijkmnpqrst";

  /** Every line the transcript draws lies between the page margins, measured with the fonts it uses. */
  function expectWithinMargins(pages: Awaited<ReturnType<typeof read>>["pages"]) {
    for (const { items } of pages) {
      for (const item of items) {
        const box = drawnBox(item);
        expect(box.x, item.text).toBeGreaterThanOrEqual(48 - EPSILON);
        expect(box.x + box.width, item.text).toBeLessThanOrEqual(612 - 48 + EPSILON);
        expect(box.y, item.text).toBeGreaterThan(30);
        expect(box.y + box.height, item.text).toBeLessThanOrEqual(792 - 48 + EPSILON);
      }
    }
  }

  test.each([
    ["en", transcriptLabels],
    ["fr", frTranscriptLabels],
    // Longer than any catalog has, so that every header has to wrap or shrink.
    [
      "fr",
      {
        ...frTranscriptLabels,
        version: "Version du cas",
        score: "Résultat obtenu",
        creditHours: "Heures de formation continue reconnues",
        certificate: "Certificat d'achèvement",
      },
    ],
  ] as const)("%s: headers and cells wrap only between words, never inside one", async (locale, labels) => {
    const revoked = { code: realCode, revokedAt: new Date("2025-06-10T15:00:00Z") };
    const input = transcript({
      locale,
      labels,
      learnerName: longName,
      rows: [
        ...rows(3).map((r) => ({ ...r, certificate: r.certificate && { ...r.certificate, code: realCode } })),
        {
          ...rows(1)[0]!,
          caseTitle: "Pharmacothérapie interprofessionnelle Électrophysiologiquement",
          certificate: revoked,
        },
        { ...rows(1)[0]!, caseTitle: "Supercalifragilisticexpialidociousnessfulness".repeat(3), certificate: null },
      ],
    });
    const { pages } = await read(await transcriptPdf(input));
    const tokens = new Set(pages.flatMap((p) => p.items.flatMap((i) => i.text.split(" "))));
    const whole = [
      // All labels but the one for an empty range.
      ...Object.values({ ...labels, empty: "" }).flatMap((l) => l.split(" ").filter(Boolean)),
      longName,
      realCode,
      "Électrophysiologiquement",
      "Supercalifragilisticexpialidociousnessfulness".repeat(3),
    ];
    for (const word of whole) expect(tokens, word).toContain(word);
    expectWithinMargins(pages);
  });

  test("prints each score exactly as the transcript page does (formatPercent), in both languages", async () => {
    const scores = [0.845, 0.8449, 0.675, 0.7, 1, 0.99951];
    for (const [locale, labels] of [
      ["en", transcriptLabels],
      ["fr", frTranscriptLabels],
    ] as const) {
      const input = transcript({
        locale,
        labels,
        rows: scores.map((score, i) => ({ ...rows(1)[0]!, caseTitle: `Case ${i}`, score })),
      });
      const lines = (await read(await transcriptPdf(input))).text.split("\n");
      const page = scores.map((score) => formatPercent(score, locale));
      expect(lines.filter((line) => page.includes(line))).toEqual(page);
    }
    // What the page shows for these, so a change to the one function is a visible decision.
    expect([0.845, 0.8449, 0.675].map((s) => formatPercent(s, "en"))).toEqual(["84.5%", "84.5%", "67.5%"]);
    expect(formatPercent(0.675, "fr")).toBe("67,5\u00A0%");
  });

  test("a 120-row transcript with long names and codes stays within the margins on every page", async () => {
    const long = rows(120).map((r) => ({
      ...r,
      caseTitle: `${r.caseTitle} ${"Interprofessionnel ".repeat(r.caseVersion * 3)}`,
      certificate: r.certificate && { ...r.certificate, code: longCode },
    }));
    const { pages } = await read(await transcriptPdf(transcript({ rows: long, learnerName: longName })));
    expect(pages.length).toBeGreaterThan(2);
    expectWithinMargins(pages);
  });

  test("an empty range says so", async () => {
    const { pages, text } = await read(await transcriptPdf(transcript({ rows: [] })));
    expect(pages).toHaveLength(1);
    expect(text).toContain("No completions in this period.");
  });

  test("the same input gives the same bytes", async () => {
    const input = transcript({ rows: rows(60) });
    expect(Buffer.from(await transcriptPdf(input)).equals(Buffer.from(await transcriptPdf(input)))).toBe(true);
  });
});
