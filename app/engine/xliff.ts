/**
 * Translators' files: a case's or a catalog's texts as XLIFF for translation agencies' tools, and the
 * translated file read back (docs/decisions/020-xliff.md).
 *
 * XLIFF 2.1 by default (namespace urn:oasis:names:tc:xliff:document:2.0, the 2.0 core), 1.2 on request.
 * One unit per localized text (texts.ts finds them), named by its JSON pointer: in 1.2 the pointer is the
 * trans-unit's id and resname; in 2.x a unit id must be an NMTOKEN ("/" is not allowed), so the id is an
 * encoded form ("nodes.q1.choices.0.label") and the pointer is the unit's `name`.
 *
 * Import never writes a target anywhere but a localized text the file already has, never applies
 * anything when the file as a whole is wrong (not XML, not XLIFF, another version, other languages,
 * another case), and reports unit by unit (id, pointer, line) what it skipped and what needs review.
 * Pure: no I/O; the caller validates the result like any other case file.
 */
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { canonicalJson } from "./canonical";
import { lineStarts, locationAt, offsetToLocation, parsePointer, toPointer } from "./json";
import { SUPPORTED_LOCALES, type Catalog, type CaseFile, type Locale } from "./schema";
import { localizedTexts, type TextEntry } from "./texts";

export type XliffVersion = "2.1" | "1.2";
export const XLIFF_VERSIONS: readonly XliffVersion[] = ["2.1", "1.2"];

const NS_2 = "urn:oasis:names:tc:xliff:document:2.0";
const NS_1_2 = "urn:oasis:names:tc:xliff:document:1.2";

/** A translated file may be much larger than the case (notes, tool metadata); still bounded. */
export const XLIFF_MAX_CHARS = 8_000_000;

type XliffSubjectFile = CaseFile | Catalog;

// ---------------------------------------------------------------------------------------------
// Identity, ids and hashes

/** What the file is for, carried in the XLIFF file element: "case.<slug>" or "catalog.<id>". */
export function xliffSubject(file: unknown): string | null {
  if (typeof file !== "object" || file === null) return null;
  const f = file as Record<string, unknown>;
  if (typeof f.slug === "string" && "nodes" in f) return `case.${f.slug}`;
  if (typeof f.id === "string" && "items" in f) return `catalog.${f.id}`;
  return null;
}

const ID_SAFE = /[A-Za-z0-9_-]/;

/** A JSON pointer as an XLIFF 2 unit id (an NMTOKEN): segments joined by ".", other UTF-16 units as ":hhhh". */
export function xliffUnitId(pointer: string): string {
  return parsePointer(pointer)
    .map((segment) => {
      let out = "";
      for (let i = 0; i < segment.length; i++) {
        const ch = segment[i]!;
        out += ID_SAFE.test(ch) ? ch : ":" + segment.charCodeAt(i).toString(16).padStart(4, "0");
      }
      return out;
    })
    .join(".");
}

/** The pointer an id made by xliffUnitId names, or null if it is not one. */
export function pointerOfUnitId(id: string): string | null {
  if (!/^[A-Za-z0-9_:.-]+$/.test(id)) return null;
  const segments: string[] = [];
  for (const part of id.split(".")) {
    let out = "";
    for (let i = 0; i < part.length;) {
      if (part[i] === ":") {
        const hex = part.slice(i + 1, i + 5);
        if (!/^[0-9a-f]{4}$/.test(hex)) return null;
        out += String.fromCharCode(parseInt(hex, 16));
        i += 5;
      } else {
        out += part[i];
        i++;
      }
    }
    segments.push(out);
  }
  return toPointer(segments);
}

// SHA-256 (FIPS 180-4) over UTF-8, small and pure so the engine stays free of node:crypto.
const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);

export function sha256Hex(text: string): string {
  const bytes = new TextEncoder().encode(text);
  const length = Math.ceil((bytes.length + 9) / 64) * 64;
  const data = new Uint8Array(length);
  data.set(bytes);
  data[bytes.length] = 0x80;
  const view = new DataView(data.buffer);
  view.setUint32(length - 8, Math.floor((bytes.length * 8) / 2 ** 32));
  view.setUint32(length - 4, (bytes.length * 8) >>> 0);
  const h = new Uint32Array([
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
  ]);
  const w = new Uint32Array(64);
  const rotr = (x: number, n: number) => (x >>> n) | (x << (32 - n));
  for (let offset = 0; offset < length; offset += 64) {
    for (let i = 0; i < 16; i++) w[i] = view.getUint32(offset + i * 4);
    for (let i = 16; i < 64; i++) {
      const s0 = rotr(w[i - 15]!, 7) ^ rotr(w[i - 15]!, 18) ^ (w[i - 15]! >>> 3);
      const s1 = rotr(w[i - 2]!, 17) ^ rotr(w[i - 2]!, 19) ^ (w[i - 2]! >>> 10);
      w[i] = (w[i - 16]! + s0 + w[i - 7]! + s1) >>> 0;
    }
    let [a, b, c, d, e, f, g, hh] = h as unknown as number[];
    for (let i = 0; i < 64; i++) {
      const t1 = (hh! + (rotr(e!, 6) ^ rotr(e!, 11) ^ rotr(e!, 25)) + ((e! & f!) ^ (~e! & g!)) + K[i]! + w[i]!) >>> 0;
      const t2 = ((rotr(a!, 2) ^ rotr(a!, 13) ^ rotr(a!, 22)) + ((a! & b!) ^ (a! & c!) ^ (b! & c!))) >>> 0;
      hh = g;
      g = f;
      f = e;
      e = (d! + t1) >>> 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) >>> 0;
    }
    [a, b, c, d, e, f, g, hh].forEach((v, i) => (h[i] = (h[i]! + v!) >>> 0));
  }
  return [...h].map((v) => v.toString(16).padStart(8, "0")).join("");
}

/** The hash a baseline keeps of a source text. */
export function sourceHash(text: string): string {
  return sha256Hex(text);
}

/** Pointer → hash of the source-locale text, for every text of the file that has one. */
export type XliffBaseline = Record<string, string>;

export function textBaseline(file: unknown, sourceLocale: Locale): XliffBaseline {
  const out: XliffBaseline = {};
  for (const entry of translatable(file, sourceLocale)) out[entry.pointer] = sourceHash(entry.source);
  return out;
}

type Translatable = TextEntry & { source: string };

function translatable(file: unknown, sourceLocale: Locale): Translatable[] {
  return localizedTexts(file).flatMap((entry) => {
    const source = entry.text[sourceLocale];
    return typeof source === "string" && source !== "" ? [{ ...entry, source }] : [];
  });
}

// ---------------------------------------------------------------------------------------------
// Export

export type XliffExportOptions = {
  sourceLocale: Locale;
  targetLocale: Locale;
  version?: XliffVersion;
  /** The file's name for people and tools (the `original` attribute), e.g. "blair.json". */
  original: string;
  /** Source hashes as of the last import: a unit whose source changed since is marked for review. */
  baseline?: XliffBaseline;
};

// XML 1.0 cannot carry these at all, not even as character references.
const NOT_XML =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function escapeText(text: string): string {
  return text
    .replace(NOT_XML, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/\r/g, "&#13;");
}

function escapeAttr(text: string): string {
  return escapeText(text).replace(/"/g, "&quot;").replace(/\n/g, "&#10;").replace(/\t/g, "&#9;");
}

/** What a translator needs to know about one text, one line each. */
function contextNotes(entry: Translatable, sourceLocale: Locale): { category: string; text: string }[] {
  const notes: { category: string; text: string }[] = [];
  if (entry.node) notes.push({ category: "node", text: `${entry.node.kind ?? "node"} ${entry.node.id}` });
  if (entry.item) notes.push({ category: "item", text: `standard ${entry.item}` });
  notes.push({ category: "field", text: entry.field });
  if (entry.choice) {
    const label = entry.choice.label?.[sourceLocale];
    const labelled = entry.field !== "label" && label ? `: ${label}` : "";
    notes.push({ category: "choice", text: `choice ${entry.choice.id}${labelled}` });
  }
  return notes;
}

const REVIEW_NOTE = "The source text changed since the last translation was imported: review the target.";

/** The file's texts in `sourceLocale` with their `targetLocale` texts, as an XLIFF document. */
export function exportXliff(file: XliffSubjectFile, options: XliffExportOptions): string {
  const version = options.version ?? "2.1";
  const { sourceLocale, targetLocale, baseline } = options;
  const subject = xliffSubject(file) ?? "file";
  const lines: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const units = translatable(file, sourceLocale).map((entry) => {
    const target = entry.text[targetLocale];
    const hasTarget = typeof target === "string" && target !== "";
    const changed = baseline !== undefined && baseline[entry.pointer] !== sourceHash(entry.source);
    return { entry, target: hasTarget ? (target as string) : null, review: changed && hasTarget };
  });
  if (version === "2.1") {
    lines.push(
      `<xliff xmlns="${NS_2}" version="2.1" srcLang="${sourceLocale}" trgLang="${targetLocale}">`,
      `  <file id="${escapeAttr(subject)}" original="${escapeAttr(options.original)}">`,
    );
    for (const { entry, target, review } of units) {
      lines.push(
        `    <unit id="${xliffUnitId(entry.pointer)}" name="${escapeAttr(entry.pointer)}" canResegment="no">`,
        "      <notes>",
      );
      for (const note of contextNotes(entry, sourceLocale)) {
        lines.push(`        <note category="${note.category}">${escapeText(note.text)}</note>`);
      }
      if (review) lines.push(`        <note category="review" priority="1">${REVIEW_NOTE}</note>`);
      lines.push("      </notes>");
      const state = target === null ? "" : review ? ' state="initial"' : ' state="translated"';
      lines.push(`      <segment${state}>`);
      lines.push(`        <source xml:space="preserve">${escapeText(entry.source)}</source>`);
      if (target !== null) lines.push(`        <target xml:space="preserve">${escapeText(target)}</target>`);
      lines.push("      </segment>", "    </unit>");
    }
    lines.push("  </file>", "</xliff>", "");
    return lines.join("\n");
  }
  lines.push(
    `<xliff xmlns="${NS_1_2}" version="1.2">`,
    `  <file original="${escapeAttr(options.original)}" source-language="${sourceLocale}" target-language="${targetLocale}" datatype="plaintext" product-name="${escapeAttr(subject)}">`,
    "    <body>",
  );
  for (const { entry, target, review } of units) {
    const pointer = escapeAttr(entry.pointer);
    lines.push(`      <trans-unit id="${pointer}" resname="${pointer}" xml:space="preserve">`);
    lines.push(`        <source>${escapeText(entry.source)}</source>`);
    if (target !== null) {
      const state = review ? "needs-review-translation" : "translated";
      lines.push(`        <target state="${state}">${escapeText(target)}</target>`);
    }
    for (const note of contextNotes(entry, sourceLocale)) {
      lines.push(`        <note from="${note.category}">${escapeText(note.text)}</note>`);
    }
    if (review) lines.push(`        <note from="review" priority="1">${REVIEW_NOTE}</note>`);
    lines.push("      </trans-unit>");
  }
  lines.push("    </body>", "  </file>", "</xliff>", "");
  return lines.join("\n");
}

// ---------------------------------------------------------------------------------------------
// Reading a translated file

export type XliffFailureCode =
  "too-large" | "malformed" | "doctype" | "not-xliff" | "unsupported-version" | "languages" | "other-file" | "no-units";

export type XliffFailure = { ok: false; code: XliffFailureCode; message: string; line?: number };

export type XliffUnit = {
  /** The unit's id as written. */
  id: string;
  /** The JSON pointer the unit names (name/resname, else decoded from the id); null if none. */
  pointer: string | null;
  source: string;
  /** Null when the unit has no target (or an empty one). */
  target: string | null;
  /** The target's language when the unit says it (xml:lang), else the file's. */
  targetLanguage: string;
  line: number;
  /** Inline codes (placeholders) the target holds that plain text cannot carry. */
  inlineCodes: string[];
};

export type ParsedXliff = {
  version: "2.0" | "2.1" | "1.2";
  sourceLanguage: string;
  targetLanguage: string;
  /** "case.<slug>" / "catalog.<id>" when the file says it. */
  subject: string | null;
  units: XliffUnit[];
};

type XmlNode = Record<string, unknown>;
const ATTRS = ":@";

function tagOf(node: XmlNode): string | null {
  for (const key of Object.keys(node)) if (key !== ATTRS && key !== "#text") return key;
  return null;
}

/** Local name: tools may write a prefix (xlf:unit). */
function localName(tag: string): string {
  const colon = tag.indexOf(":");
  return colon === -1 ? tag : tag.slice(colon + 1);
}

function childrenOf(node: XmlNode): XmlNode[] {
  const tag = tagOf(node);
  const value = tag ? node[tag] : undefined;
  return Array.isArray(value) ? (value as XmlNode[]) : [];
}

function attrsOf(node: XmlNode): Record<string, string> {
  return (node[ATTRS] as Record<string, string> | undefined) ?? {};
}

function elements(nodes: XmlNode[], name: string): XmlNode[] {
  return nodes.filter((n) => {
    const tag = tagOf(n);
    return tag !== null && localName(tag) === name;
  });
}

// Inline elements whose content is text (kept); the others are codes with no text (reported).
const TEXT_WRAPPERS = new Set(["mrk", "pc", "g"]);

function textOf(nodes: XmlNode[], codes: string[]): string {
  let out = "";
  for (const n of nodes) {
    if (typeof n["#text"] === "string") {
      out += n["#text"];
      continue;
    }
    const tag = tagOf(n);
    if (!tag) continue;
    if (TEXT_WRAPPERS.has(localName(tag))) out += textOf(childrenOf(n), codes);
    else codes.push(localName(tag));
  }
  return out;
}

const PARSER_OPTIONS = {
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: "",
  trimValues: false,
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: true,
  htmlEntities: true,
  captureMetaData: true,
} as const;

/** Line numbers of the parsed nodes: the offsets where lines start, found once, searched per node. */
function lineFinder(text: string): (node: XmlNode) => number {
  const starts = lineStarts(text);
  const key = XMLParser.getMetaDataSymbol() as unknown as symbol;
  return (node) => {
    const offset = (node as Record<symbol, { startIndex?: number } | undefined>)[key]?.startIndex;
    return offset === undefined ? 0 : locationAt(starts, offset, text.length).line;
  };
}

const failure = (code: XliffFailureCode, message: string, line?: number): XliffFailure => ({
  ok: false,
  code,
  message,
  ...(line !== undefined ? { line } : {}),
});

/** Parses an XLIFF 1.2 or 2.x document into its units; any problem with the file as a whole is a failure. */
export function readXliff(xml: string): { ok: true; value: ParsedXliff } | XliffFailure {
  if (xml.length > XLIFF_MAX_CHARS) {
    return failure("too-large", `the file is larger than ${XLIFF_MAX_CHARS.toLocaleString("en")} characters`);
  }
  const text = xml.startsWith("\uFEFF") ? xml.slice(1) : xml;
  // XLIFF needs no DTD; one could declare entities that expand without bound.
  const doctype = /<!DOCTYPE/i.exec(text);
  if (doctype) return failure("doctype", "the file has a DOCTYPE: XLIFF files need none", lineOf(text, doctype.index));
  const valid = XMLValidator.validate(text);
  if (valid !== true) return failure("malformed", valid.err.msg, valid.err.line);
  let doc: XmlNode[];
  try {
    doc = new XMLParser(PARSER_OPTIONS).parse(text) as XmlNode[];
  } catch (error) {
    return failure("malformed", error instanceof Error ? error.message : String(error));
  }
  const lineAt = lineFinder(text);
  const root = doc.find((n) => tagOf(n) !== null && !tagOf(n)!.startsWith("?"));
  if (!root || localName(tagOf(root)!) !== "xliff") return failure("not-xliff", "the root element is not <xliff>");
  const rootAttrs = attrsOf(root);
  const version = rootAttrs.version ?? "";
  const namespaces = Object.entries(rootAttrs)
    .filter(([k]) => k === "xmlns" || k.startsWith("xmlns:"))
    .map(([, v]) => v);
  const files = elements(childrenOf(root), "file");
  if ((version === "2.0" || version === "2.1") && namespaces.includes(NS_2)) {
    const sourceLanguage = rootAttrs.srcLang ?? "";
    const targetLanguage = rootAttrs.trgLang ?? "";
    const units: XliffUnit[] = [];
    let subject: string | null = null;
    for (const file of files) {
      subject ??= attrsOf(file).id ?? null;
      const visit = (nodes: XmlNode[]) => {
        for (const n of nodes) {
          const tag = tagOf(n);
          if (!tag) continue;
          if (localName(tag) === "group") visit(childrenOf(n));
          if (localName(tag) !== "unit") continue;
          const a = attrsOf(n);
          const codes: string[] = [];
          let source = "";
          let target = "";
          let targetLang = targetLanguage;
          let hasTarget = false;
          for (const part of childrenOf(n)) {
            const partTag = tagOf(part);
            if (!partTag || !["segment", "ignorable"].includes(localName(partTag))) continue;
            const inner = childrenOf(part);
            source += elements(inner, "source")
              .map((s) => textOf(childrenOf(s), []))
              .join("");
            for (const t of elements(inner, "target")) {
              hasTarget = true;
              targetLang = attrsOf(t)["xml:lang"] ?? targetLang;
              target += textOf(childrenOf(t), codes);
            }
          }
          const id = a.id ?? "";
          units.push({
            id,
            pointer: a.name?.startsWith("/") ? a.name : pointerOfUnitId(id),
            source,
            target: hasTarget && target !== "" ? target : null,
            targetLanguage: targetLang,
            line: lineAt(n),
            inlineCodes: codes,
          });
        }
      };
      visit(childrenOf(file));
    }
    return { ok: true, value: { version, sourceLanguage, targetLanguage, subject, units } };
  }
  if (version === "1.2" && namespaces.includes(NS_1_2)) {
    const units: XliffUnit[] = [];
    let sourceLanguage = "";
    let targetLanguage = "";
    let subject: string | null = null;
    for (const file of files) {
      const a = attrsOf(file);
      const src = a["source-language"] ?? "";
      const trg = a["target-language"] ?? "";
      if (sourceLanguage === "") sourceLanguage = src;
      if (targetLanguage === "") targetLanguage = trg;
      if (src !== sourceLanguage || trg !== targetLanguage) {
        return failure("languages", "the <file> elements name different languages", lineAt(file));
      }
      subject ??= a["product-name"] ?? null;
      const visit = (nodes: XmlNode[]) => {
        for (const n of nodes) {
          const tag = tagOf(n);
          if (!tag) continue;
          const name = localName(tag);
          if (name === "body" || name === "group") visit(childrenOf(n));
          if (name !== "trans-unit") continue;
          const u = attrsOf(n);
          const inner = childrenOf(n);
          const codes: string[] = [];
          const source = elements(inner, "source")
            .map((s) => textOf(childrenOf(s), []))
            .join("");
          const targets = elements(inner, "target");
          const target = targets.map((t) => textOf(childrenOf(t), codes)).join("");
          const id = u.id ?? "";
          const pointer = u.resname?.startsWith("/") ? u.resname : id.startsWith("/") ? id : pointerOfUnitId(id);
          units.push({
            id,
            pointer,
            source,
            target: targets.length > 0 && target !== "" ? target : null,
            targetLanguage: targets[0] ? (attrsOf(targets[0])["xml:lang"] ?? trg) : trg,
            line: lineAt(n),
            inlineCodes: codes,
          });
        }
      };
      visit(childrenOf(file));
    }
    return { ok: true, value: { version: "1.2", sourceLanguage, targetLanguage, subject, units } };
  }
  const said = version ? `version "${version}"` : "no version";
  return failure(
    "unsupported-version",
    `the file is XLIFF with ${said} and namespace ${namespaces.join(", ") || "none"}: this reads XLIFF 2.0/2.1 (${NS_2}) and 1.2 (${NS_1_2})`,
  );
}

function lineOf(text: string, offset: number): number {
  return offsetToLocation(text, offset).line;
}

/** The source hashes of a translated file's units (the baseline its import sets). */
export function xliffBaseline(xml: string): { ok: true; value: XliffBaseline } | XliffFailure {
  const read = readXliff(xml);
  if (!read.ok) return read;
  const out: XliffBaseline = {};
  for (const unit of read.value.units) if (unit.pointer) out[unit.pointer] = sourceHash(unit.source);
  return { ok: true, value: out };
}

// ---------------------------------------------------------------------------------------------
// Import

/** "fr-CA" → "fr"; null when the language is not one the platform supports. */
export function localeOfLanguage(language: string): Locale | null {
  const primary = language.toLowerCase().split(/[-_]/)[0] ?? "";
  return (SUPPORTED_LOCALES as readonly string[]).includes(primary) ? (primary as Locale) : null;
}

export type XliffUnitDiagnosticCode =
  "no-pointer" | "unknown-pointer" | "duplicate-unit" | "wrong-language" | "inline-codes" | "missing-unit";

export type XliffUnitDiagnostic = {
  code: XliffUnitDiagnosticCode;
  /** The unit's id as written (null for a text of the file the XLIFF lacks). */
  unit: string | null;
  pointer: string | null;
  line: number | null;
  message: string;
};

export type XliffReview = {
  unit: string;
  pointer: string;
  line: number;
  /** The source the translator saw. */
  exported: string;
  /** The file's source text now. */
  current: string;
};

export type XliffImport = {
  /** The file with the targets applied (a copy; the input is not changed). */
  value: XliffSubjectFile;
  version: ParsedXliff["version"];
  sourceLocale: Locale;
  targetLocale: Locale;
  /** Targets written (new or different). */
  applied: number;
  /** Targets equal to the file's text already. */
  unchanged: number;
  /** Units with no target: the file's text is kept. */
  untranslated: number;
  /** Units translated from a source that has changed since: applied, to be reviewed. */
  needsReview: XliffReview[];
  /** Units not applied, and texts of the file the XLIFF lacks. */
  diagnostics: XliffUnitDiagnostic[];
  /**
   * The next export's baseline: pointer → hash of the source each imported unit was translated from
   * (not the file's source now), so a translation made from a stale source stays marked for review
   * until it is redone. Units not applied are left out: their texts count as changed.
   */
  baseline: XliffBaseline;
};

/**
 * Applies a translated file's targets to `current` (a case or catalog). The file as a whole must be
 * XLIFF 1.2 or 2.x, for this case or catalog, from one of its locales into another; otherwise nothing
 * is applied. Unit by unit, only a target for a localized text the file has is written.
 */
export function importXliff(xml: string, current: XliffSubjectFile): { ok: true; value: XliffImport } | XliffFailure {
  const read = readXliff(xml);
  if (!read.ok) return read;
  const parsed = read.value;
  const fileLocales = (
    Array.isArray((current as { locales?: unknown }).locales)
      ? (current as { locales: string[] }).locales
      : ["en", "fr"]
  ) as string[];
  const sourceLocale = localeOfLanguage(parsed.sourceLanguage);
  const targetLocale = localeOfLanguage(parsed.targetLanguage);
  if (!sourceLocale || !targetLocale || sourceLocale === targetLocale) {
    return failure(
      "languages",
      `the file translates "${parsed.sourceLanguage}" into "${parsed.targetLanguage}": it must go from one of ${SUPPORTED_LOCALES.join(", ")} into another`,
    );
  }
  if (!fileLocales.includes(sourceLocale) || !fileLocales.includes(targetLocale)) {
    return failure(
      "languages",
      `the file translates ${sourceLocale} into ${targetLocale}, but this file's locales are ${fileLocales.join(", ")}`,
    );
  }
  const subject = xliffSubject(current);
  if (parsed.subject !== null && subject !== null && parsed.subject !== subject) {
    return failure("other-file", `the translation is for ${parsed.subject}, not ${subject}`);
  }
  if (parsed.units.length === 0) return failure("no-units", "the file has no translation units");

  const value = structuredClone(current) as XliffSubjectFile;
  const texts = new Map(localizedTexts(value).map((entry) => [entry.pointer, entry]));
  const seen = new Set<string>();
  const diagnostics: XliffUnitDiagnostic[] = [];
  const needsReview: XliffReview[] = [];
  const baseline: XliffBaseline = {};
  let applied = 0;
  let unchanged = 0;
  let untranslated = 0;
  const report = (code: XliffUnitDiagnosticCode, unit: XliffUnit, message: string) =>
    diagnostics.push({ code, unit: unit.id, pointer: unit.pointer, line: unit.line, message });

  for (const unit of parsed.units) {
    if (!unit.pointer) {
      report("no-pointer", unit, `unit "${unit.id}" does not name a text of the file`);
      continue;
    }
    const entry = texts.get(unit.pointer);
    if (!entry) {
      report("unknown-pointer", unit, `${unit.pointer} is not a text of this file: not applied`);
      continue;
    }
    if (seen.has(unit.pointer)) {
      report("duplicate-unit", unit, `${unit.pointer} has a unit already: this one is not applied`);
      continue;
    }
    seen.add(unit.pointer);
    if (unit.target === null) {
      baseline[unit.pointer] = sourceHash(unit.source);
      untranslated++;
      continue;
    }
    if (localeOfLanguage(unit.targetLanguage) !== targetLocale) {
      report("wrong-language", unit, `the target is in "${unit.targetLanguage}", not ${targetLocale}: not applied`);
      continue;
    }
    if (unit.inlineCodes.length > 0) {
      report(
        "inline-codes",
        unit,
        `the target holds inline codes (${[...new Set(unit.inlineCodes)].join(", ")}) that plain text cannot carry: not applied`,
      );
      continue;
    }
    const currentSource = entry.text[sourceLocale];
    if (currentSource !== unit.source) {
      needsReview.push({
        unit: unit.id,
        pointer: unit.pointer,
        line: unit.line,
        exported: unit.source,
        current: typeof currentSource === "string" ? currentSource : "",
      });
    }
    baseline[unit.pointer] = sourceHash(unit.source);
    const text = entry.text as Record<string, unknown>;
    if (text[targetLocale] === unit.target) {
      unchanged++;
    } else {
      text[targetLocale] = unit.target;
      applied++;
    }
  }
  for (const entry of translatable(value, sourceLocale)) {
    if (seen.has(entry.pointer)) continue;
    diagnostics.push({
      code: "missing-unit",
      unit: null,
      pointer: entry.pointer,
      line: null,
      message: `${entry.pointer} has no unit in the translation: its ${targetLocale} text is kept`,
    });
  }
  return {
    ok: true,
    value: {
      value,
      version: parsed.version,
      sourceLocale,
      targetLocale,
      applied,
      unchanged,
      untranslated,
      needsReview,
      diagnostics,
      baseline,
    },
  };
}

/** Whether two files hold the same content (what a round trip must keep). */
export function sameContent(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}
