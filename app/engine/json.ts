/**
 * JSON text helpers that keep positions: parse with line/column on syntax errors, and map a JSON
 * pointer back to where it is written, so every content diagnostic can name a line.
 *
 * JSON.parse stays the authority on the value; the small scanner below only exists to know where
 * things are (V8's error messages differ between Node versions, so we don't rely on them).
 */
import { FORMAT_LIMITS } from "./limits";

export type SourceLocation = {
  /** 0-based UTF-16 offset into the text. */
  offset: number;
  /** 1-based line. */
  line: number;
  /** 1-based column in UTF-16 code units (what editors such as Monaco use). */
  column: number;
};

export type JsonSyntaxError = SourceLocation & { message: string };

export type JsonParseResult =
  { ok: true; value: unknown; tree: JsonTree; duplicateKeys: DuplicateKey[] } | { ok: false; error: JsonSyntaxError };

/** A key written twice in one object: JSON.parse silently keeps only the last one. */
export type DuplicateKey = { pointer: string; key: string; offset: number; firstOffset: number };

export type JsonTree =
  | { type: "object"; offset: number; members: Map<string, { keyOffset: number; value: JsonTree }> }
  | { type: "array"; offset: number; elements: JsonTree[] }
  | { type: "scalar"; offset: number };

const BOM = "\uFEFF";

/** Converts an offset into a 1-based line/column; \n, \r\n and a lone \r each end a line. */
export function offsetToLocation(text: string, offset: number): SourceLocation {
  const end = Math.max(0, Math.min(offset, text.length));
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < end; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 10 /* \n */) {
      line++;
      lineStart = i + 1;
    } else if (ch === 13 /* \r */) {
      if (text.charCodeAt(i + 1) === 10) i++;
      line++;
      lineStart = i + 1;
    }
  }
  // A \r\n straddling `end` would leave lineStart past end; clamp so the column stays >= 1.
  return { offset: end, line, column: Math.max(1, end - lineStart + 1) };
}

/** Where each line of `text` starts (0, then after each \n, \r\n or \r): for many look-ups in one text. */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 10 /* \n */) starts.push(i + 1);
    else if (ch === 13 /* \r */) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    }
  }
  return starts;
}

/** offsetToLocation through a lineStarts index: a binary search instead of a scan from the start. */
export function locationAt(starts: readonly number[], offset: number, length: number): SourceLocation {
  const end = Math.max(0, Math.min(offset, length));
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (starts[mid]! <= end) low = mid;
    else high = mid - 1;
  }
  return { offset: end, line: low + 1, column: end - starts[low]! + 1 };
}

export function escapePointerSegment(segment: string | number): string {
  return String(segment).replace(/~/g, "~0").replace(/\//g, "~1");
}

/** ["nodes", "q1", "choices", 2] → "/nodes/q1/choices/2" (RFC 6901). */
export function toPointer(path: ReadonlyArray<string | number | symbol>): string {
  return path.map((s) => "/" + escapePointerSegment(typeof s === "symbol" ? String(s) : s)).join("");
}

export function parsePointer(pointer: string): string[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

export function parseJson(text: string): JsonParseResult {
  const scanned = scanJson(text);
  if (!scanned.ok && scanned.overLimit) return { ok: false, error: scanned.error };
  let value: unknown;
  try {
    value = JSON.parse(text.startsWith(BOM) ? text.slice(1) : text);
  } catch (e) {
    if (!scanned.ok) return { ok: false, error: scanned.error };
    // The scanner accepted what JSON.parse rejected (should not happen); fall back to the engine's message.
    const message = e instanceof Error ? e.message : String(e);
    const position = /position (\d+)/.exec(message);
    const offset = position ? Number(position[1]) : 0;
    return { ok: false, error: { ...offsetToLocation(text, offset), message: `invalid JSON: ${message}` } };
  }
  if (!scanned.ok) {
    // JSON.parse is the authority on validity; without a tree we just can't place things.
    return { ok: true, value, tree: { type: "scalar", offset: 0 }, duplicateKeys: [] };
  }
  return { ok: true, value, tree: scanned.tree, duplicateKeys: scanned.duplicateKeys };
}

/**
 * Where `pointer` is written. Object members point at their key (where an author reads the field
 * name), array elements at the element. If the pointer goes past what exists (a missing field),
 * the deepest existing ancestor is returned, which is where the field should be added.
 */
export function locatePointer(
  text: string,
  tree: JsonTree,
  pointer: string,
  starts?: readonly number[],
): SourceLocation {
  let node = tree;
  let offset = tree.offset;
  for (const segment of parsePointer(pointer)) {
    if (node.type === "object") {
      const member = node.members.get(segment);
      if (!member) break;
      node = member.value;
      offset = member.keyOffset;
    } else if (node.type === "array") {
      const element = /^(0|[1-9]\d*)$/.test(segment) ? node.elements[Number(segment)] : undefined;
      if (!element) break;
      node = element;
      offset = element.offset;
    } else {
      break;
    }
  }
  return starts ? locationAt(starts, offset, text.length) : offsetToLocation(text, offset);
}

/** Parses once and answers many pointer look-ups; undefined when the text is not valid JSON. */
export function pointerLocator(text: string): ((pointer: string) => SourceLocation) | undefined {
  const scanned = scanJson(text);
  if (!scanned.ok) return undefined;
  let starts: number[] | undefined;
  return (pointer) => locatePointer(text, scanned.tree, pointer, (starts ??= lineStarts(text)));
}

/** A JSON number at lastIndex (sticky: no copy of the text is made to match it). */
const NUMBER = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;

type ScanResult =
  | { ok: true; tree: JsonTree; duplicateKeys: DuplicateKey[] }
  | { ok: false; error: JsonSyntaxError; overLimit: boolean };

class ScanError extends Error {
  constructor(
    message: string,
    readonly offset: number,
    /** Valid JSON that goes past a format limit (JSON.parse would accept it). */
    readonly overLimit = false,
  ) {
    super(message);
  }
}

/**
 * A recursive-descent JSON scanner that records where values and keys start. Nesting deeper than
 * `maxDepth` is a syntax error at the bracket that goes too deep (it would otherwise overflow the
 * stack: 10,000 nested arrays did).
 */
export function scanJson(text: string, maxDepth: number = FORMAT_LIMITS.jsonDepth): ScanResult {
  let pos = text.startsWith(BOM) ? 1 : 0;
  const duplicateKeys: DuplicateKey[] = [];

  const fail = (message: string, at = pos): never => {
    throw new ScanError(message, at);
  };
  const describe = (at: number) => (at >= text.length ? "end of file" : `"${text[at]}"`);

  const skipWhitespace = () => {
    while (pos < text.length) {
      const ch = text.charCodeAt(pos);
      if (ch === 32 || ch === 9 || ch === 10 || ch === 13) pos++;
      else break;
    }
  };

  /** Scans a string; returns its value only when asked (keys): values' texts are never needed. */
  const scanString = (decode: boolean): string => {
    const start = pos;
    let escaped = false;
    pos++; // opening quote
    while (pos < text.length) {
      const ch = text.charCodeAt(pos);
      if (ch === 34 /* " */) {
        pos++;
        if (!decode) return "";
        return escaped ? (JSON.parse(text.slice(start, pos)) as string) : text.slice(start + 1, pos - 1);
      }
      if (ch === 92 /* \ */) {
        escaped = true;
        const esc = text[pos + 1];
        if (esc === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(pos + 2, pos + 6))) {
            fail("invalid \\u escape in string: expected 4 hex digits", pos);
          }
          pos += 6;
        } else if (esc !== undefined && '"\\/bfnrt'.includes(esc)) {
          pos += 2;
        } else {
          fail(`invalid escape "\\${esc ?? ""}" in string (write \\\\ for a backslash)`, pos);
        }
      } else if (ch < 0x20) {
        fail(
          ch === 10 || ch === 13
            ? "unterminated string: a line break inside a string must be written \\n"
            : "control character in string: escape it (e.g. \\t)",
          pos,
        );
      } else {
        pos++;
      }
    }
    return fail("unterminated string: missing closing quote", start);
  };

  const scanNumber = () => {
    NUMBER.lastIndex = pos;
    const match = NUMBER.exec(text);
    if (!match || match[0] === "" || match[0] === "-") fail(`unexpected ${describe(pos)}: expected a value`);
    pos += match![0].length;
  };

  // The path to the value being scanned, as segments: a pointer string is built only for a
  // duplicate key (building one per value was a fifth of validating a large case).
  const path: Array<string | number> = [];

  const scanValue = (depth: number): JsonTree => {
    skipWhitespace();
    const start = pos;
    const ch = text[pos];
    if ((ch === "{" || ch === "[") && depth >= maxDepth) {
      throw new ScanError(`nested more than ${maxDepth} levels deep; a Vignette file needs far fewer`, pos, true);
    }
    if (ch === "{") return scanObject(depth + 1);
    if (ch === "[") return scanArray(depth + 1);
    if (ch === '"') {
      scanString(false);
      return { type: "scalar", offset: start };
    }
    for (const literal of ["true", "false", "null"]) {
      if (text.startsWith(literal, pos)) {
        pos += literal.length;
        return { type: "scalar", offset: start };
      }
    }
    if (ch === "-" || (ch !== undefined && ch >= "0" && ch <= "9")) {
      scanNumber();
      return { type: "scalar", offset: start };
    }
    if (ch === "'") fail("strings must use double quotes");
    return fail(`unexpected ${describe(pos)}: expected a value`);
  };

  const scanObject = (depth: number): JsonTree => {
    const node: JsonTree = { type: "object", offset: pos, members: new Map() };
    pos++; // {
    skipWhitespace();
    if (text[pos] === "}") {
      pos++;
      return node;
    }
    for (;;) {
      skipWhitespace();
      const keyOffset = pos;
      if (text[pos] === "}") fail('trailing comma: remove the "," before "}"', lastComma);
      if (text[pos] !== '"') fail(`unexpected ${describe(pos)}: expected a property name in double quotes`);
      const key = scanString(true);
      skipWhitespace();
      if (text[pos] !== ":") fail(`unexpected ${describe(pos)}: expected ":" after property name "${key}"`);
      pos++;
      path.push(key);
      const value = scanValue(depth);
      const previous = node.members.get(key);
      if (previous) {
        duplicateKeys.push({ pointer: toPointer(path), key, offset: keyOffset, firstOffset: previous.keyOffset });
      }
      path.pop();
      node.members.set(key, { keyOffset, value });
      skipWhitespace();
      if (text[pos] === ",") {
        lastComma = pos;
        pos++;
        continue;
      }
      if (text[pos] === "}") {
        pos++;
        return node;
      }
      fail(`unexpected ${describe(pos)}: expected "," or "}" after the value of "${key}"`);
    }
  };

  const scanArray = (depth: number): JsonTree => {
    const node: JsonTree = { type: "array", offset: pos, elements: [] };
    pos++; // [
    skipWhitespace();
    if (text[pos] === "]") {
      pos++;
      return node;
    }
    for (;;) {
      skipWhitespace();
      if (text[pos] === "]") fail('trailing comma: remove the "," before "]"', lastComma);
      path.push(node.elements.length);
      node.elements.push(scanValue(depth));
      path.pop();
      skipWhitespace();
      if (text[pos] === ",") {
        lastComma = pos;
        pos++;
        continue;
      }
      if (text[pos] === "]") {
        pos++;
        return node;
      }
      fail(`unexpected ${describe(pos)}: expected "," or "]" in array`);
    }
  };

  let lastComma = 0;
  try {
    const tree = scanValue(0);
    skipWhitespace();
    if (pos < text.length) fail(`unexpected ${describe(pos)} after the end of the JSON value`);
    return { ok: true, tree, duplicateKeys };
  } catch (e) {
    if (!(e instanceof ScanError)) throw e;
    const message = e.overLimit ? e.message : `invalid JSON: ${e.message}`;
    return { ok: false, error: { ...offsetToLocation(text, e.offset), message }, overLimit: e.overLimit };
  }
}
