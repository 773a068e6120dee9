/**
 * What a new version of a standards catalog does to the cases scored against it: the clauses it
 * removes, retitles, rewrites or moves, and every choice whose effects name one of them. The studio
 * shows this to the person who approves the catalog, before it is published: a removed clause that
 * a published case still scores is what a reviewer must see.
 *
 * Cases are read as raw JSON, defensively, the way validate.ts reads them: an open draft may be
 * half-written and must still be listed.
 */
import { SUPPORTED_LOCALES, type Catalog, type CatalogItem, type Locale, type LocalizedText } from "./schema";
import { isRecord } from "./validate";

/**
 * "removed": the code is gone (the format has no rename field, so a renamed code is a removal; see
 * `renamedTo`). Otherwise any of: "title" and "text" changed in some locale, "moved" under another
 * parent clause.
 */
export type ClauseChangeKind = "removed" | "title" | "text" | "moved";

export type ClauseChange = {
  /** `catalogId:code`, as effects write it. */
  key: string;
  code: string;
  kinds: ClauseChangeKind[];
  oldTitle: LocalizedText;
  /** null when removed. */
  newTitle: LocalizedText | null;
  /** The locales whose title changed; set with "title" (a French-only change must not read as "same → same"). */
  titleIn?: Locale[];
  /** The locales whose text changed; set with "text". */
  textIn?: Locale[];
  /** The parent clause's code before and after ("" at the top level); set when moved. */
  moved?: { from: string; to: string };
  /** A removed clause whose title, in every locale, one added clause has word for word: probably renamed. */
  renamedTo?: string;
};

/** Where a case file comes from: its latest version, or an open draft. */
export type ImpactRef = { version: number } | { draftId: string };

export type ImpactSource = { slug: string; regulator: string; ref: ImpactRef; value: unknown };

export type AffectedChoice = {
  nodeId: string;
  choiceId: string;
  label: LocalizedText;
  /** The points the choice gives the clause (its effects on it summed). */
  points: number;
  change: ClauseChange;
};

export type CaseImpact = { slug: string; regulator: string; ref: ImpactRef; choices: AffectedChoice[] };

export type CatalogImpact = { changes: ClauseChange[]; cases: CaseImpact[] };

type Placed = { item: CatalogItem; parent: string };

function placedItems(catalog: Catalog): Map<string, Placed> {
  const map = new Map<string, Placed>();
  const visit = (items: readonly CatalogItem[], parent: string) => {
    for (const item of items) {
      map.set(item.code, { item, parent });
      if (item.items) visit(item.items, item.code);
    }
  };
  visit(catalog.items, "");
  return map;
}

/** The supported locales in which two texts differ (a missing text reads as ""). */
function differingLocales(a: LocalizedText | undefined, b: LocalizedText | undefined): Locale[] {
  return SUPPORTED_LOCALES.filter((locale) => (a?.[locale] ?? "") !== (b?.[locale] ?? ""));
}

function sameText(a: LocalizedText | undefined, b: LocalizedText | undefined): boolean {
  return differingLocales(a, b).length === 0;
}

/**
 * The clauses of `current` that `proposed` removes or changes, in `current`'s file order. Nothing
 * for a first version (no `current`) or another catalog's id. Added clauses affect no case.
 */
export function clauseChanges(current: Catalog | null, proposed: Catalog): ClauseChange[] {
  if (!current || current.id !== proposed.id) return [];
  const before = placedItems(current);
  const after = placedItems(proposed);
  const added = [...after.values()].filter(({ item }) => !before.has(item.code)).map(({ item }) => item);
  const changes: ClauseChange[] = [];
  for (const [code, old] of before) {
    const key = `${current.id}:${code}`;
    const now = after.get(code);
    if (!now) {
      const sameTitle = added.filter((item) => sameText(item.title, old.item.title));
      changes.push({
        key,
        code,
        kinds: ["removed"],
        oldTitle: old.item.title,
        newTitle: null,
        ...(sameTitle.length === 1 ? { renamedTo: sameTitle[0]!.code } : {}),
      });
      continue;
    }
    const kinds: ClauseChangeKind[] = [];
    const titleIn = differingLocales(old.item.title, now.item.title);
    const textIn = differingLocales(old.item.text, now.item.text);
    if (titleIn.length > 0) kinds.push("title");
    if (textIn.length > 0) kinds.push("text");
    if (old.parent !== now.parent) kinds.push("moved");
    if (kinds.length === 0) continue;
    changes.push({
      key,
      code,
      kinds,
      oldTitle: old.item.title,
      newTitle: now.item.title,
      ...(titleIn.length > 0 ? { titleIn } : {}),
      ...(textIn.length > 0 ? { textIn } : {}),
      ...(old.parent !== now.parent ? { moved: { from: old.parent, to: now.parent } } : {}),
    });
  }
  return changes;
}

function localizedOf(value: unknown): LocalizedText {
  if (!isRecord(value)) return {};
  const text: LocalizedText = {};
  for (const locale of SUPPORTED_LOCALES) {
    const written = value[locale];
    if (typeof written === "string") text[locale] = written;
  }
  return text;
}

/** The choices of one case file that score a changed clause, in file order. */
function affectedChoices(value: unknown, changed: ReadonlyMap<string, ClauseChange>): AffectedChoice[] {
  if (!isRecord(value) || !isRecord(value.nodes)) return [];
  const found: AffectedChoice[] = [];
  for (const [nodeId, node] of Object.entries(value.nodes)) {
    if (!isRecord(node) || !Array.isArray(node.choices)) continue;
    for (const choice of node.choices as unknown[]) {
      if (!isRecord(choice) || !Array.isArray(choice.effects)) continue;
      const points = new Map<string, number>();
      for (const effect of choice.effects as unknown[]) {
        if (!isRecord(effect) || typeof effect.standard !== "string" || !changed.has(effect.standard)) continue;
        const add = typeof effect.points === "number" ? effect.points : 0;
        points.set(effect.standard, (points.get(effect.standard) ?? 0) + add);
      }
      for (const [key, total] of points) {
        found.push({
          nodeId,
          choiceId: typeof choice.id === "string" ? choice.id : "",
          label: localizedOf(choice.label),
          points: total,
          change: changed.get(key)!,
        });
      }
    }
  }
  return found;
}

/**
 * The clauses `proposed` removes or changes, and each case among `sources` with a choice scoring one
 * of them (cases without one are left out), in the order given.
 */
export function catalogImpact(
  current: Catalog | null,
  proposed: Catalog,
  sources: readonly ImpactSource[],
): CatalogImpact {
  const changes = clauseChanges(current, proposed);
  if (changes.length === 0) return { changes, cases: [] };
  const byKey = new Map(changes.map((change) => [change.key, change]));
  const cases: CaseImpact[] = [];
  for (const source of sources) {
    const choices = affectedChoices(source.value, byKey);
    if (choices.length > 0) cases.push({ slug: source.slug, regulator: source.regulator, ref: source.ref, choices });
  }
  return { changes, cases };
}
