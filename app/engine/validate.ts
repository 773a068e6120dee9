/**
 * Validation of case files and standards catalogs. Reports every problem at once, each with the
 * JSON path and (when the source text is known) the line, so an author can fix a file in one pass.
 *
 * Stages: JSON syntax → schema (shape) → whole-file rules on the raw value (links, reachability,
 * loops, locales, standards) → scoring rules on the parsed case when its structure is sound.
 * The whole-file rules read the raw value defensively, so a schema error in one node does not hide
 * a broken link in another.
 *
 * Locale policy: a text missing one of the file's `locales` is an error; a text in a supported
 * locale that the file does not list is a warning (it is never shown, so probably a forgotten
 * `locales` entry); an unsupported locale key is a schema error.
 */
import { type z } from "zod";
import { didYouMean, hasErrors, sortDiagnostics, type Diagnostic, type Severity } from "./diagnostics";
import { findCycles, reachableFrom } from "./graph";
import { findHtml, htmlHint } from "./html";
import {
  parseJson,
  lineStarts,
  locatePointer,
  offsetToLocation,
  toPointer,
  escapePointerSegment,
  type JsonTree,
} from "./json";
import { FORMAT_LIMITS, utf8Bytes } from "./limits";
import {
  caseFileSchema,
  catalogSchema,
  ITEM_KEY_PATTERN,
  regulatorProfileSchema,
  NODE_KINDS,
  SUPPORTED_LOCALES,
  type CaseFile,
  type Catalog,
  type CatalogItem,
  type Locale,
  type RegulatorProfile,
  type NodeKind,
} from "./schema";
import { analyzeCase, choiceEffects, type CaseAnalysis } from "./score";

export type Source = { file: string; text: string } | { file: string; value: unknown };

/**
 * A valid case (no errors; warnings allowed) comes with its analysis. Otherwise there is no case
 * file, and an analysis only when the structure was sound enough to score despite other errors.
 */
/** `value` is the JSON the text holds (absent when it could not be read), for who shows a broken case. */
export type CaseValidation =
  | { caseFile: CaseFile; analysis: CaseAnalysis; diagnostics: Diagnostic[]; value: unknown }
  | { caseFile?: undefined; analysis?: CaseAnalysis; diagnostics: Diagnostic[]; value?: unknown };

export type CatalogValidation = { catalog?: Catalog; diagnostics: Diagnostic[] };

/** The file name a case must have, relative to the cases directory (the CLI checks it). */
export function expectedFileName(slug: string): string {
  return `${slug}.json`;
}

/** Every item of a catalog, nested ones included, depth first in file order. */
export function catalogItems(catalog: Catalog): CatalogItem[] {
  const all: CatalogItem[] = [];
  const visit = (items: readonly CatalogItem[]) => {
    for (const item of items) {
      all.push(item);
      if (item.items) visit(item.items);
    }
  };
  visit(catalog.items);
  return all;
}

/** Every item code of a catalog, depth first in file order. */
export function catalogCodes(catalog: Catalog): string[] {
  return catalogItems(catalog).map((item) => item.code);
}

class Collector {
  readonly diagnostics: Diagnostic[] = [];
  constructor(readonly file: string) {}
  add(severity: Severity, path: string, message: string) {
    this.diagnostics.push({ severity, file: this.file, path, message });
  }
  error(path: string, message: string) {
    this.add("error", path, message);
  }
  warning(path: string, message: string) {
    this.add("warning", path, message);
  }
}

type Read = { ok: true; value: unknown; tree?: JsonTree; text?: string } | { ok: false };

function readSource(source: Source, out: Collector): Read {
  if (!("text" in source)) return { ok: true, value: source.value };
  const bytes = utf8Bytes(source.text);
  if (bytes > FORMAT_LIMITS.fileBytes) {
    out.error(
      "",
      `the file is ${bytes.toLocaleString("en")} bytes; the limit is ${FORMAT_LIMITS.fileBytes.toLocaleString("en")} (split the case, or shorten its texts)`,
    );
    return { ok: false };
  }
  const parsed = parseJson(source.text);
  if (!parsed.ok) {
    const { line, column, message } = parsed.error;
    out.diagnostics.push({ severity: "error", file: source.file, path: "", message, line, column });
    return { ok: false };
  }
  for (const dup of parsed.duplicateKeys) {
    const firstLine = offsetToLocation(source.text, dup.firstOffset).line;
    out.error(
      dup.pointer,
      `"${dup.key}" is written twice in the same object (first on line ${firstLine}); JSON keeps only the last one, so rename or merge them`,
    );
  }
  return { ok: true, value: parsed.value, tree: parsed.tree, text: source.text };
}

/** Fills in line/column from the source text and sorts by position. */
function finish(out: Collector, read: Read): Diagnostic[] {
  if (read.ok && read.tree && read.text !== undefined) {
    const { tree, text } = read;
    // One index of line starts for all of them: a scan from the top per diagnostic was quadratic
    // (1,800 missing translations in a large imported story took 2.4 s).
    let starts: number[] | undefined;
    for (const d of out.diagnostics) {
      if (d.line === undefined) {
        const at = locatePointer(text, tree, d.path, (starts ??= lineStarts(text)));
        d.line = at.line;
        d.column = at.column;
      }
    }
    return sortDiagnostics(out.diagnostics);
  }
  return out.diagnostics;
}

// ---------------------------------------------------------------------------------------------
// Schema issues → diagnostics

/** A JSON object (not an array, not null): what a loose reader of unvalidated JSON may look into. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function jsonTypeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  if (typeof value === "string") return `the string ${JSON.stringify(value)}`;
  if (typeof value === "number") return `the number ${value}`;
  return `${typeof value} ${String(value)}`;
}

const FIELD_HINTS: Record<string, string> = {
  next: "the id of the node that comes next (point it at an outcome to end the case)",
  kind: `one of ${NODE_KINDS.join(", ")}`,
  choices: "a list of at least 2 choices",
};

type Shape = { record: boolean; known: string[] };

/** Runs the schema, turning zod issues into diagnostics that say what is wrong and what to write. */
function checkSchema<T>(schema: z.ZodType<T>, value: unknown, out: Collector): T | undefined {
  // The error map sees each issue's schema; remember the allowed keys for "did you mean".
  const shapes = new Map<string, Shape>();
  const result = schema.safeParse(value, {
    error: (issue) => {
      const pointer = toPointer(issue.path ?? []);
      const def = (issue.inst as { _zod?: { def?: { type?: string; shape?: object } } } | undefined)?._zod?.def;
      switch (issue.code) {
        case "invalid_type": {
          if (issue.input === undefined) {
            const field = String(issue.path?.[issue.path.length - 1] ?? "");
            const hint = FIELD_HINTS[field];
            return `missing required field "${field}"${hint ? `: ${hint}` : ""}`;
          }
          if (def?.type === "record" && issue.expected === "record") {
            return issue.path?.[issue.path.length - 1] === "nodes"
              ? `expected an object of nodes by id, got ${jsonTypeOf(issue.input)}`
              : `expected texts by locale, e.g. {"en": "…", "fr": "…"}, got ${jsonTypeOf(issue.input)}`;
          }
          const article = /^[aeiou]/.test(issue.expected) ? "an" : "a";
          return `expected ${article} ${issue.expected}, got ${jsonTypeOf(issue.input)}`;
        }
        case "invalid_union": {
          if ("discriminator" in issue && issue.discriminator === "kind") {
            const kind = isRecord(issue.input) ? issue.input.kind : undefined;
            if (kind === undefined) return `missing required field "kind": ${FIELD_HINTS.kind}`;
            return typeof kind === "string"
              ? `unknown node kind "${kind}"${didYouMean(kind, NODE_KINDS)}; expected one of ${NODE_KINDS.join(", ")}`
              : `"kind" must be one of ${NODE_KINDS.join(", ")}, got ${jsonTypeOf(kind)}`;
          }
          return undefined;
        }
        case "invalid_value": {
          const values = issue.values.map((v) => JSON.stringify(v));
          if (issue.values.every((v) => (SUPPORTED_LOCALES as readonly unknown[]).includes(v))) {
            return `${jsonTypeOf(issue.input)} is not a supported locale (supported: ${SUPPORTED_LOCALES.join(", ")})`;
          }
          return `expected ${values.join(" or ")}, got ${jsonTypeOf(issue.input)}`;
        }
        case "unrecognized_keys": {
          shapes.set(pointer, {
            record: def?.type === "record",
            known: def?.shape ? Object.keys(def.shape) : [],
          });
          return undefined;
        }
        case "invalid_key": {
          const inner = issue.issues[0]?.message ?? "invalid key";
          return `invalid id ${JSON.stringify(issue.input)}: ${inner}`;
        }
        case "too_small":
          if (issue.origin === "array") return `needs at least ${String(issue.minimum)} item(s)`;
          if (issue.origin === "string") return "must not be empty";
          return undefined;
        default:
          return undefined;
      }
    },
  });
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    const pointer = toPointer(issue.path);
    if (issue.code === "unrecognized_keys") {
      const shape = shapes.get(pointer);
      for (const key of issue.keys) {
        const keyPointer = `${pointer}/${escapePointerSegment(key)}`;
        if (shape?.record) {
          out.error(keyPointer, `"${key}" is not a supported locale (supported: ${SUPPORTED_LOCALES.join(", ")})`);
        } else {
          out.error(keyPointer, `unknown field "${key}"${didYouMean(key, shape?.known ?? [])}`);
        }
      }
    } else {
      out.error(pointer, issue.message);
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Locales

function listedLocales(value: unknown, fallback?: readonly Locale[]): Locale[] | undefined {
  if (value === undefined) return fallback ? [...fallback] : undefined;
  if (!Array.isArray(value)) return undefined;
  return value.filter((l): l is Locale => (SUPPORTED_LOCALES as readonly unknown[]).includes(l));
}

function checkDuplicateLocales(value: unknown, out: Collector) {
  if (!Array.isArray(value)) return;
  value.forEach((locale, i) => {
    if (value.indexOf(locale) < i) out.error(`/locales/${i}`, `locale ${JSON.stringify(locale)} is listed twice`);
  });
}

/** How a text is shown: as markdown, as written, or (regulator profiles) not checked for HTML. */
type TextKind = "markdown" | "plain" | "unchecked";

function checkText(
  value: unknown,
  path: string,
  locales: readonly Locale[],
  out: Collector,
  kind: TextKind = "markdown",
) {
  if (!isRecord(value)) return; // absent or wrong type: the schema reports it
  if (kind !== "unchecked") checkHtml(value, path, kind === "plain", out);
  const missing = locales.filter((l) => !Object.hasOwn(value, l));
  if (missing.length > 0) {
    const list = missing.map((l) => `"${l}"`).join(" and ");
    out.error(path, `missing the ${list} text (the file's locales are ${locales.join(", ")})`);
  }
  for (const key of Object.keys(value)) {
    if ((SUPPORTED_LOCALES as readonly string[]).includes(key) && !locales.includes(key as Locale)) {
      out.warning(
        `${path}/${key}`,
        `"${key}" text is never shown because "${key}" is not in the file's locales; add it to "locales" or remove the text`,
      );
    }
  }
}

/** Raw HTML is never shown (the player drops it), so it is an error, once per tag and locale. */
function checkHtml(value: Record<string, unknown>, path: string, plain: boolean, out: Collector) {
  for (const [locale, text] of Object.entries(value)) {
    if (typeof text !== "string") continue;
    const seen = new Set<string>();
    for (const { name, excerpt } of findHtml(text)) {
      if (seen.has(name)) continue;
      seen.add(name);
      out.error(
        `${path}/${escapePointerSegment(locale)}`,
        `${JSON.stringify(excerpt)} is raw HTML, which is not allowed in text: ${htmlHint(name, plain)}`,
      );
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Cases

type LooseEdge = { target: string; path: string };

type LooseNode = {
  id: string;
  path: string;
  kind?: NodeKind;
  raw: Record<string, unknown>;
  edges: LooseEdge[];
  /** Some of its links could not be read (the schema reports why), so reachability is unknown. */
  opaque: boolean;
};

function looseNodes(value: Record<string, unknown>): Map<string, LooseNode> {
  const nodes = new Map<string, LooseNode>();
  if (!isRecord(value.nodes)) return nodes;
  for (const [id, raw] of Object.entries(value.nodes)) {
    const path = `/nodes/${escapePointerSegment(id)}`;
    if (!isRecord(raw)) {
      nodes.set(id, { id, path, raw: {}, edges: [], opaque: true });
      continue;
    }
    const kind = (NODE_KINDS as readonly unknown[]).includes(raw.kind) ? (raw.kind as NodeKind) : undefined;
    // Links are read whatever the kind, so a mistyped kind does not make everything after it unreachable.
    const edges: LooseEdge[] = [];
    let opaque = false;
    if (typeof raw.next === "string" && kind !== "decision") edges.push({ target: raw.next, path: `${path}/next` });
    if (Array.isArray(raw.choices) && kind !== "scene" && kind !== "reflection") {
      raw.choices.forEach((choice, i) => {
        if (isRecord(choice) && typeof choice.next === "string") {
          edges.push({ target: choice.next, path: `${path}/choices/${i}/next` });
        } else {
          opaque = true;
        }
      });
    }
    if (kind === undefined) opaque ||= edges.length === 0;
    else if (kind === "decision") opaque ||= !Array.isArray(raw.choices);
    else if (kind !== "outcome") opaque ||= typeof raw.next !== "string";
    nodes.set(id, { id, path, kind, raw, edges, opaque });
  }
  return nodes;
}

/** Links, reachability, loops, dead ends and choices. Returns whether the structure can be scored. */
function checkStructure(value: Record<string, unknown>, nodes: Map<string, LooseNode>, out: Collector): boolean {
  const before = out.diagnostics.filter((d) => d.severity === "error").length;
  if (nodes.size > FORMAT_LIMITS.nodes) {
    // Every other rule is about a graph no one may publish: say the one thing to fix.
    out.error(
      "/nodes",
      `the case has ${nodes.size} nodes; the limit is ${FORMAT_LIMITS.nodes} (split it into two cases)`,
    );
    return false;
  }
  const ids = [...nodes.keys()];
  const start = typeof value.start === "string" ? value.start : undefined;
  if (start !== undefined && !nodes.has(start)) {
    out.error(
      "/start",
      ids.length === 0
        ? `no node "${start}": "nodes" is empty`
        : `no node "${start}"${didYouMean(start, ids)}; start must be the id of a node in "nodes"`,
    );
  }

  for (const node of nodes.values()) {
    const valid = node.edges.filter((e) => nodes.has(e.target));
    for (const edge of node.edges) {
      if (nodes.has(edge.target)) continue;
      const stuck = valid.length === 0 && node.kind !== undefined ? `, so "${node.id}" is a dead end` : "";
      out.error(edge.path, `no node "${edge.target}"${didYouMean(edge.target, ids)}${stuck}`);
    }
    if (node.kind === "decision" && Array.isArray(node.raw.choices)) {
      const choices = node.raw.choices;
      if (choices.length === 0) {
        out.error(
          `${node.path}/choices`,
          `decision "${node.id}" has no choices, so it is a dead end; give it at least 2 choices (or make it a scene)`,
        );
      } else if (choices.length === 1) {
        out.error(
          `${node.path}/choices`,
          `decision "${node.id}" has only 1 choice; give it at least 2 (or make it a scene, which moves on without asking)`,
        );
      }
      const seen = new Map<string, number>();
      choices.forEach((choice, i) => {
        if (!isRecord(choice) || typeof choice.id !== "string") return;
        const first = seen.get(choice.id);
        if (first === undefined) seen.set(choice.id, i);
        else {
          out.error(
            `${node.path}/choices/${i}/id`,
            `duplicate choice id "${choice.id}" (also choice ${first}); choice ids must be unique within a decision`,
          );
        }
      });
    }
  }

  const graph = new Map<string, string[]>();
  const edgePaths = new Map<string, string[]>();
  for (const node of nodes.values()) {
    const valid = node.edges.filter((e) => nodes.has(e.target));
    graph.set(
      node.id,
      valid.map((e) => e.target),
    );
    edgePaths.set(
      node.id,
      valid.map((e) => e.path),
    );
  }

  if (start !== undefined && nodes.has(start)) {
    const reachable = reachableFrom(graph, start);
    // Behind an unreadable node everything would look unreachable; its schema error is enough.
    const readable = [...reachable].every((id) => !nodes.get(id)!.opaque);
    for (const node of readable ? nodes.values() : []) {
      if (!reachable.has(node.id)) {
        out.error(
          node.path,
          `node "${node.id}" is never reached from the start ("${start}"); link to it from another node or remove it`,
        );
      }
    }
  }

  for (const cycle of findCycles(graph, start === undefined ? [] : [start])) {
    out.error(
      edgePaths.get(cycle.from)![cycle.edgeIndex]!,
      `this link makes a loop: ${cycle.nodes.join(" → ")}; a case must not loop (every path has to end so it can be scored), so point it at a later node`,
    );
  }

  return out.diagnostics.filter((d) => d.severity === "error").length === before;
}

function checkCaseTexts(value: Record<string, unknown>, nodes: Map<string, LooseNode>, out: Collector) {
  checkDuplicateLocales(value.locales, out);
  const locales = listedLocales(value.locales);
  if (!locales || locales.length === 0) return; // the schema reports a missing or bad locales list
  checkText(value.title, "/title", locales, out, "plain");
  checkText(value.summary, "/summary", locales, out);
  for (const node of nodes.values()) {
    checkText(node.raw.title, `${node.path}/title`, locales, out, "plain");
    for (const field of ["body", "prompt"]) {
      checkText(node.raw[field], `${node.path}/${field}`, locales, out);
    }
    checkImage(node, locales, out);
    if (Array.isArray(node.raw.choices)) {
      node.raw.choices.forEach((choice, i) => {
        if (!isRecord(choice)) return;
        checkText(choice.label, `${node.path}/choices/${i}/label`, locales, out, "plain");
        checkText(choice.feedback, `${node.path}/choices/${i}/feedback`, locales, out);
      });
    }
  }
}

/** A node's image: alt text in every locale, a caption like a title, variants only for the case's locales. */
function checkImage(node: LooseNode, locales: readonly Locale[], out: Collector) {
  const image = node.raw.image;
  if (!isRecord(image) || node.kind === "reflection") return; // the schema reports the field
  const path = `${node.path}/image`;
  checkText(image.alt, `${path}/alt`, locales, out, "plain");
  checkText(image.caption, `${path}/caption`, locales, out, "plain");
  if (!isRecord(image.variants)) return;
  for (const [locale, src] of Object.entries(image.variants)) {
    const at = `${path}/variants/${escapePointerSegment(locale)}`;
    if (!(SUPPORTED_LOCALES as readonly string[]).includes(locale)) continue; // a schema error
    if (!locales.includes(locale as Locale)) {
      out.error(
        at,
        `a "${locale}" variant is never shown because "${locale}" is not in the file's locales (${locales.join(", ")}); remove it or add the locale`,
      );
    } else if (src === image.src) {
      out.warning(at, `the "${locale}" variant is the main image itself; remove it`);
    }
  }
}

function checkStandards(
  value: Record<string, unknown>,
  nodes: Map<string, LooseNode>,
  catalogs: ReadonlyMap<string, Catalog>,
  out: Collector,
) {
  const catalogIds = [...catalogs.keys()];
  const unknownCatalog = (id: string) => {
    const known = catalogIds.length === 0 ? "no catalogs are loaded" : `known catalogs: ${catalogIds.join(", ")}`;
    return `no standards catalog "${id}"${didYouMean(id, catalogIds)} (${known})`;
  };
  const listed = Array.isArray(value.standards)
    ? value.standards.filter((s): s is string => typeof s === "string")
    : [];
  const used = new Set<string>();
  const regulator = typeof value.regulator === "string" ? value.regulator : undefined;

  if (Array.isArray(value.standards)) {
    const standards: unknown[] = value.standards;
    standards.forEach((id, i) => {
      if (typeof id !== "string") return;
      const catalog = catalogs.get(id);
      if (standards.indexOf(id) < i) {
        out.error(`/standards/${i}`, `catalog "${id}" is listed twice`);
      } else if (!catalog) {
        out.error(`/standards/${i}`, unknownCatalog(id));
      } else if (regulator !== undefined && catalog.regulator !== regulator) {
        out.warning(
          `/standards/${i}`,
          `catalog "${id}" belongs to regulator "${catalog.regulator}", but this case is for "${regulator}"`,
        );
      }
    });
  }

  const codesByCatalog = new Map<string, string[]>();
  const codesOf = (catalog: Catalog) => {
    let codes = codesByCatalog.get(catalog.id);
    if (!codes) codesByCatalog.set(catalog.id, (codes = catalogCodes(catalog)));
    return codes;
  };

  for (const node of nodes.values()) {
    if (!Array.isArray(node.raw.choices)) continue;
    node.raw.choices.forEach((choice, i) => {
      if (!isRecord(choice) || !Array.isArray(choice.effects)) return;
      choice.effects.forEach((effect, j) => {
        if (!isRecord(effect) || typeof effect.standard !== "string") return;
        if (!ITEM_KEY_PATTERN.test(effect.standard)) return; // the schema reports the format
        const path = `${node.path}/choices/${i}/effects/${j}/standard`;
        const colon = effect.standard.indexOf(":");
        const catalogId = effect.standard.slice(0, colon);
        const code = effect.standard.slice(colon + 1);
        used.add(catalogId);
        const catalog = catalogs.get(catalogId);
        if (!catalog) {
          out.error(path, unknownCatalog(catalogId));
          return;
        }
        if (!listed.includes(catalogId)) {
          out.error(path, `catalog "${catalogId}" is not listed in "standards"; add it there`);
        }
        const codes = codesOf(catalog);
        if (!codes.includes(code)) {
          out.error(path, `catalog "${catalogId}" has no item "${code}"${didYouMean(code, codes)}`);
        }
      });
    });
  }

  listed.forEach((id, i) => {
    if (catalogs.has(id) && !used.has(id)) {
      out.warning(`/standards/${i}`, `no choice has an effect on catalog "${id}"; remove it or score against it`);
    }
  });
}

function percent(fraction: number): string {
  return `${Number((fraction * 100).toFixed(1))}%`;
}

/** Rules that need scoring; only run on a case whose structure is sound. */
function checkScoring(caseFile: CaseFile, analysis: CaseAnalysis, out: Collector) {
  if (!analysis.hasCleanPath) {
    out.error(
      "/nodes",
      "every path through the case takes a critical choice, so nobody can pass; leave at least one path free of critical choices",
    );
  } else if (analysis.bestTotal <= 0) {
    out.warning(
      "/nodes",
      "no path earns points, so every learner who avoids critical choices scores 100%; add effects if the case should be scored",
    );
  }

  for (const [id, node] of Object.entries(caseFile.nodes)) {
    if (node.kind !== "decision" || node.choices.length < 2) continue;
    const signature = (i: number) => {
      const choice = node.choices[i]!;
      const effects = [...choiceEffects(choice)]
        .filter(([, p]) => p !== 0)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return JSON.stringify([choice.critical === true, effects]);
    };
    const first = signature(0);
    if (node.choices.every((_, i) => signature(i) === first)) {
      out.warning(
        `/nodes/${escapePointerSegment(id)}/choices`,
        `all choices of "${id}" score the same, so this decision does not change the score by itself; give the choices different effects (fine if it only branches the story)`,
      );
    }
  }

  if (!analysis.hasCleanPath) return; // already an error; per-outcome warnings would only repeat it
  for (const [id, outcome] of Object.entries(analysis.outcomes)) {
    const path = `/nodes/${escapePointerSegment(id)}`;
    if (outcome.bestScore === null) {
      out.warning(
        path,
        `every path to outcome "${id}" takes a critical choice, so nobody who ends here passes (fine for a failure ending)`,
      );
    } else if (!outcome.passable) {
      out.warning(
        path,
        `the best path to outcome "${id}" scores ${percent(outcome.bestScore)}, below the pass mark of ${percent(caseFile.passMark)}, so nobody who ends here passes (fine for a failure ending)`,
      );
    }
  }
}

export function validateCase(source: Source, catalogs: ReadonlyMap<string, Catalog>): CaseValidation {
  const out = new Collector(source.file);
  const read = readSource(source, out);
  if (!read.ok) return { diagnostics: out.diagnostics };
  const value = read.value;
  if (!isRecord(value)) {
    out.error("", `a case file must be a JSON object, got ${jsonTypeOf(value)}`);
    return { diagnostics: finish(out, read), value };
  }

  const parsed = checkSchema(caseFileSchema, value, out);
  const nodes = looseNodes(value);
  const structureOk = checkStructure(value, nodes, out);
  checkCaseTexts(value, nodes, out);
  checkStandards(value, nodes, catalogs, out);

  let analysis: CaseAnalysis | undefined;
  if (parsed && structureOk) {
    analysis = analyzeCase(parsed);
    checkScoring(parsed, analysis, out);
  }

  const diagnostics = finish(out, read);
  if (!hasErrors(diagnostics) && parsed && analysis) return { caseFile: parsed, analysis, diagnostics, value };
  return { analysis, diagnostics, value };
}

// ---------------------------------------------------------------------------------------------
// Catalogs

function checkCatalogContent(value: Record<string, unknown>, out: Collector) {
  checkDuplicateLocales(value.locales, out);
  const locales = listedLocales(value.locales, SUPPORTED_LOCALES);
  if (locales && locales.length > 0) checkText(value.title, "/title", locales, out, "plain");
  const seen = new Map<string, string>();
  let count = 0;
  const visit = (items: unknown, path: string) => {
    if (!Array.isArray(items)) return;
    items.forEach((item, i) => {
      if (!isRecord(item)) return;
      if (++count === FORMAT_LIMITS.catalogItems + 1) {
        out.error(`${path}/${i}`, `a catalog holds at most ${FORMAT_LIMITS.catalogItems} items; this is one more`);
      }
      const itemPath = `${path}/${i}`;
      if (typeof item.code === "string") {
        const first = seen.get(item.code);
        if (first !== undefined) {
          out.error(
            `${itemPath}/code`,
            `code "${item.code}" is used twice (first at ${first}); codes must be unique within a catalog`,
          );
        } else {
          seen.set(item.code, itemPath);
        }
      }
      if (locales && locales.length > 0) {
        checkText(item.title, `${itemPath}/title`, locales, out, "plain");
        checkText(item.text, `${itemPath}/text`, locales, out, "plain");
      }
      visit(item.items, `${itemPath}/items`);
    });
  };
  visit(value.items, "/items");
}

/** The whole-file catalog rules (duplicate codes, locales) on an already parsed catalog. */
export function validateCatalogDiagnostics(catalog: Catalog, file: string): Diagnostic[] {
  const out = new Collector(file);
  checkCatalogContent(catalog as unknown as Record<string, unknown>, out);
  return out.diagnostics;
}

export function validateCatalog(source: Source): CatalogValidation {
  const out = new Collector(source.file);
  const read = readSource(source, out);
  if (!read.ok) return { diagnostics: out.diagnostics };
  const value = read.value;
  if (!isRecord(value)) {
    out.error("", `a standards catalog must be a JSON object, got ${jsonTypeOf(value)}`);
    return { diagnostics: finish(out, read) };
  }
  const parsed = checkSchema(catalogSchema, value, out);
  checkCatalogContent(value, out);
  const diagnostics = finish(out, read);
  return hasErrors(diagnostics) ? { diagnostics } : { catalog: parsed, diagnostics };
}

// ---------------------------------------------------------------------------------------------
// Regulator profiles

export type RegulatorValidation = { profile?: RegulatorProfile; diagnostics: Diagnostic[] };

/** A regulator works in both of the platform's languages: every text of its profile has both. */
export function validateRegulator(source: Source): RegulatorValidation {
  const out = new Collector(source.file);
  const read = readSource(source, out);
  if (!read.ok) return { diagnostics: out.diagnostics };
  const value = read.value;
  if (!isRecord(value)) {
    out.error("", `a regulator profile must be a JSON object, got ${jsonTypeOf(value)}`);
    return { diagnostics: finish(out, read) };
  }
  const parsed = checkSchema(regulatorProfileSchema, value, out);
  const at = (path: string, v: unknown) => checkText(v, path, SUPPORTED_LOCALES, out, "unchecked");
  at("/name", value.name);
  if (value.shortName !== undefined) at("/shortName", value.shortName);
  const registration = isRecord(value.registration) ? value.registration : {};
  if (registration.label !== undefined) at("/registration/label", registration.label);
  const certificate = isRecord(value.certificate) ? value.certificate : {};
  if (certificate.statement !== undefined) at("/certificate/statement", certificate.statement);
  const signatory = isRecord(certificate.signatory) ? certificate.signatory : {};
  if (signatory.title !== undefined) at("/certificate/signatory/title", signatory.title);
  const diagnostics = finish(out, read);
  return hasErrors(diagnostics) ? { diagnostics } : { profile: parsed, diagnostics };
}
