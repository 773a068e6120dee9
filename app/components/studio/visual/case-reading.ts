// Reading the case value as the editor's forms need it: a text member, the locales to write, the
// kind of a node, the node a diagnostic points into, the clauses a choice may score; and writing
// an optional text.
import {
  catalogItems,
  getAt,
  isRecord,
  parsePointer,
  setAt,
  setText,
  NODE_KINDS,
  type CaseValue,
  type Catalog,
  type Locale,
  type NodeKind,
} from "~/engine";
import { localized } from "~/i18n";
import type { ClauseOption } from "../clause-picker";
import type { LocalizedValue } from "./fields";

export function text(value: unknown): LocalizedValue {
  return isRecord(value) ? (value as LocalizedValue) : undefined;
}

export function truncate(s: string, max: number): string {
  const flat = s.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export function caseLocales(value: CaseValue): Locale[] {
  const listed = Array.isArray(value.locales) ? value.locales.filter((l) => l === "en" || l === "fr") : [];
  return listed.length > 0 ? ([...new Set(listed)] as Locale[]) : ["en", "fr"];
}

/** The node of a diagnostic's pointer ("/nodes/q1/choices/0/next" → "q1"), or null for the case's own fields. */
export function nodeOfPointer(pointer: string): string | null {
  const [root, id] = parsePointer(pointer);
  return root === "nodes" && id !== undefined ? id : null;
}

export function kindKey(kind: string): "scene" | "decision" | "reflection" | "outcome" | "unknown" {
  return (NODE_KINDS as readonly string[]).includes(kind) ? (kind as NodeKind) : "unknown";
}

export function clauseOptions(value: CaseValue, catalogs: readonly Catalog[], locale: Locale): ClauseOption[] {
  const standards = Array.isArray(value.standards) ? value.standards : [];
  return catalogs
    .filter((c) => standards.includes(c.id))
    .flatMap((catalog) =>
      catalogItems(catalog).map((item) => ({
        key: `${catalog.id}:${item.code}`,
        code: item.code,
        title: localized(item.title, locale),
        text: localized(item.text, locale),
      })),
    );
}

/** One locale of an optional text (feedback, caption): the last translation emptied takes the empty member with it. */
export function setOptionalText(value: CaseValue, pointer: string, locale: Locale, text: string): CaseValue {
  const next = setText(value, pointer, locale, text);
  const left = getAt(next, pointer);
  return isRecord(left) && Object.keys(left).length === 0 ? setAt(next, pointer, undefined) : next;
}
