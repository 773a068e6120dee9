import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream, decodePDFRawStream, type PDFPage } from "pdf-lib";
import QRCode from "qrcode";
import { describe, expect, test } from "vitest";
import {
  QR_MARKED_CONTENT_TAG,
  certificatePdf,
  qrMatrix,
  sanitizeForFont,
  transcriptPdf,
  wrapText,
  type CertificateLabels,
  type CertificatePdfInput,
  type TranscriptLabels,
  type TranscriptPdfInput,
  type TranscriptRow,
} from "~/utils/pdf.server";

// ---------------------------------------------------------------------------------------------
// Reading the PDFs back. pdf-lib Flate-compresses content streams and writes drawText as
// `<glyph ids> Tj` with the embedded font selected by `/F Tf`; each font's ToUnicode map says
// which text a glyph id stands for, as a PDF reader's copy and paste (and search) would read it.

function inflate(stream: unknown): string {
  if (!(stream instanceof PDFRawStream)) throw new Error(`unexpected stream ${String(stream)}`);
  return Buffer.from(decodePDFRawStream(stream).decode()).toString("latin1");
}

/** Per font resource name ("/F1-0"), glyph id (4 hex digits) → text. */
function toUnicodeMaps(pdf: PDFDocument, page: PDFPage): Map<string, Map<string, string>> {
  const maps = new Map<string, Map<string, string>>();
  const fonts = page.node.Resources()?.lookup(PDFName.of("Font"), PDFDict);
  for (const [name, ref] of fonts?.entries() ?? []) {
    const font = pdf.context.lookup(ref, PDFDict);
    const cmap = inflate(pdf.context.lookup(font.get(PDFName.of("ToUnicode"))));
    const glyphs = new Map<string, string>();
    for (const [, id, utf16] of cmap.matchAll(/<([0-9a-f]{4})> <([0-9a-f]+)>/gi)) {
      const units = utf16!.match(/.{4}/g)!.map((u) => parseInt(u, 16));
      glyphs.set(id!.toLowerCase(), String.fromCharCode(...units));
    }
    maps.set(name.toString(), glyphs);
  }
  return maps;
}

function contentOf(pdf: PDFDocument, page: PDFPage): string {
  const contents = page.node.Contents();
  const streams = contents instanceof PDFArray ? contents.asArray().map((ref) => pdf.context.lookup(ref)) : [contents];
  return streams.map(inflate).join("\n");
}

type TextItem = { text: string; x: number; y: number };

function textItems(content: string, fonts: Map<string, Map<string, string>>): TextItem[] {
  const items: TextItem[] = [];
  let glyphs: Map<string, string> | undefined;
  for (const m of content.matchAll(/(\/\S+) [\d.]+ Tf|(-?[\d.]+) (-?[\d.]+) Tm\s*<([0-9A-Fa-f]*)> Tj/g)) {
    if (m[1]) {
      glyphs = fonts.get(m[1]);
      continue;
    }
    const hex = (m[4] ?? "").toLowerCase();
    let text = "";
    for (let i = 0; i < hex.length; i += 4) text += glyphs?.get(hex.slice(i, i + 4)) ?? "\uFFFD";
    items.push({ x: Number(m[2]), y: Number(m[3]), text });
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
  verifyAt: "Verify at",
  code: "Verification code",
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
  verifyAt: "Vérifier à",
  code: "Code de vérification",
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
    status: { revoked: false },
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
      revoked: true as const,
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

  test("long titles wrap inside the page, clear of the footer", async () => {
    const caseTitle = Array.from({ length: 12 }, (_, i) => `Interprofessional consideration ${i + 1}`).join(" ");
    const { pages } = await read(await certificatePdf(certificate({ caseTitle })));
    const items = pages[0]!.items;
    const titleLines = items.filter((i) => i.text.length > 3 && caseTitle.includes(i.text.replace(/…$/, "")));
    expect(titleLines.length).toBeGreaterThan(1);
    expect(titleLines.length).toBeLessThanOrEqual(4);
    expect(titleLines.at(-1)!.text.endsWith("…")).toBe(true);
    expect(new Set(titleLines.map((l) => l.x)).size).toBe(1);
    for (const item of items) {
      expect(item.x).toBeGreaterThanOrEqual(0);
      expect(item.y).toBeGreaterThan(30);
      expect(item.y).toBeLessThan(612);
    }
  });

  test("the same input gives the same bytes", async () => {
    const a = await certificatePdf(certificate());
    const b = await certificatePdf(certificate());
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
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
    scorePercent: 70 + (i % 31),
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
