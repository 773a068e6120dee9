/** Fixtures shared by the engine's tests (not part of the public API). */
import type { CaseFile, CaseNode, Catalog, Choice } from "./schema";
import type { ChoiceRef } from "./walk";

export const t = (en: string, fr = `${en} (fr)`) => ({ en, fr });

export function baseCatalog(): Catalog {
  return {
    format: 1,
    id: "coto-boundaries",
    regulator: "coto",
    version: "2021",
    effective: "2021-01-01",
    locales: ["en", "fr"],
    title: t("Boundaries"),
    items: [
      {
        code: "1",
        title: t("Records"),
        items: [
          { code: "1.1", title: t("Document") },
          { code: "1.2", title: t("Retain") },
        ],
      },
      {
        code: "2",
        title: t("Relationships"),
        text: t("Keep professional boundaries."),
        items: [
          { code: "2.1", title: t("Social media") },
          { code: "2.2", title: t("Gifts") },
        ],
      },
    ],
  };
}

export function catalogMap(...catalogs: Catalog[]): Map<string, Catalog> {
  const list = catalogs.length > 0 ? catalogs : [baseCatalog()];
  return new Map(list.map((c) => [c.id, c]));
}

/**
 * A valid case with no diagnostics at all: context → q1 → q2 → reflect → end.
 * Best path: decline (+2 on 2.1) then document (+2 on 1.1) = 4.
 */
export function baseCase(): CaseFile {
  return {
    format: 1,
    slug: "social-media-boundaries",
    regulator: "coto",
    locales: ["en", "fr"],
    title: t("Social media boundaries"),
    summary: t("A client sends a friend request."),
    profession: "occupational-therapy",
    release: "2021-05",
    credit: { hours: 0.5, category: "ethics" },
    passMark: 0.7,
    maxAttempts: 2,
    standards: ["coto-boundaries"],
    start: "context",
    nodes: {
      context: { kind: "scene", title: t("Context"), body: t("You are an OT."), next: "q1" },
      q1: {
        kind: "decision",
        prompt: t("A client sends a friend request."),
        choices: [
          {
            id: "decline",
            label: t("Decline"),
            feedback: t("Good."),
            next: "q2",
            effects: [{ standard: "coto-boundaries:2.1", points: 2 }],
          },
          {
            id: "ask",
            label: t("Ask a colleague"),
            next: "q2",
            effects: [{ standard: "coto-boundaries:2.1", points: 1 }],
          },
          {
            id: "accept",
            label: t("Accept"),
            next: "q2",
            effects: [{ standard: "coto-boundaries:2.1", points: -2 }],
            critical: true,
          },
        ],
      },
      q2: {
        kind: "decision",
        prompt: t("Do you record it?"),
        choices: [
          {
            id: "document",
            label: t("Document"),
            next: "reflect",
            effects: [{ standard: "coto-boundaries:1.1", points: 2 }],
          },
          {
            id: "ignore",
            label: t("Ignore"),
            next: "reflect",
            effects: [{ standard: "coto-boundaries:1.2", points: -1 }],
          },
        ],
      },
      reflect: { kind: "reflection", prompt: t("What would you do next time?"), next: "end" },
      end: { kind: "outcome", title: t("The end"), body: t("Thanks.") },
    },
  };
}

/** A deep copy of the base case, changed by `change` (which may treat it as loose JSON). */
export function mutateCase(change: (c: any) => void): any {
  const copy = structuredClone(baseCase()) as any;
  change(copy);
  return copy;
}

export function mutateCatalog(change: (c: any) => void): any {
  const copy = structuredClone(baseCatalog()) as any;
  change(copy);
  return copy;
}

/** mulberry32: a tiny seeded PRNG so random tests are reproducible. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

// Random small cases and every path through them, to check the engine against brute force.

/** A case from just its nodes (start is the first node). */
export function caseOf(nodes: Record<string, CaseNode>, passMark = 0.7): CaseFile {
  return { ...baseCase(), passMark, start: Object.keys(nodes)[0]!, nodes };
}

export const outcome = (): CaseNode => ({ kind: "outcome", title: t("End"), body: t("…") });
export const choice = (id: string, next: string, effects: Record<string, number> = {}, critical = false): Choice => ({
  id,
  label: t(id),
  next,
  effects: Object.entries(effects).map(([standard, points]) => ({ standard, points })),
  ...(critical ? { critical } : {}),
});
export const decision = (...choices: Choice[]): CaseNode => ({ kind: "decision", prompt: t("?"), choices });

const ITEMS = ["s:1", "s:2", "s:3"];

export function randomCase(random: () => number): CaseFile {
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const layerCount = int(2, 6);
  const layers: string[][] = [];
  for (let l = 0; l < layerCount; l++) {
    layers.push(Array.from({ length: l === 0 ? 1 : int(1, 3) }, (_, i) => `n${l}_${i}`));
  }
  const outcomes = Array.from({ length: int(1, 2) }, (_, i) => `end${i}`);
  const laterThan = (l: number) => [...layers.slice(l + 1).flat(), ...outcomes];
  const nodes: Record<string, CaseNode> = {};
  layers.forEach((layer, l) => {
    for (const id of layer) {
      const targets = laterThan(l);
      const pick = () => targets[int(0, targets.length - 1)]!;
      if (l > 0 && random() < 0.15) {
        nodes[id] = { kind: "scene", body: t("…"), next: pick() };
        continue;
      }
      const choices = Array.from({ length: int(2, 3) }, (_, c) => {
        const effects: Record<string, number> = {};
        for (let e = int(0, 2); e > 0; e--) {
          const item = ITEMS[int(0, ITEMS.length - 1)]!;
          effects[item] = (effects[item] ?? 0) + int(-3, 3);
        }
        return choice(`c${c}`, pick(), effects, random() < 0.15);
      });
      nodes[id] = decision(...choices);
    }
  });
  for (const id of outcomes) nodes[id] = outcome();
  return caseOf(nodes, [0, 0.5, 0.7, 1][int(0, 3)]!);
}

export type BrutePath = {
  choices: ChoiceRef[];
  earned: Record<string, number>;
  total: number;
  critical: boolean;
  end: string;
};

/** Every complete path, in file order (depth first, choices in order). */
export function enumeratePaths(c: CaseFile): BrutePath[] {
  const paths: BrutePath[] = [];
  const visit = (id: string, acc: BrutePath) => {
    const node = c.nodes[id]!;
    if (node.kind === "outcome") paths.push({ ...acc, end: id });
    else if (node.kind !== "decision") visit(node.next, acc);
    else {
      for (const ch of node.choices) {
        const earned = { ...acc.earned };
        let total = acc.total;
        for (const e of ch.effects ?? []) {
          earned[e.standard] = (earned[e.standard] ?? 0) + e.points;
          total += e.points;
        }
        visit(ch.next, {
          choices: [...acc.choices, { nodeId: id, choiceId: ch.id }],
          earned,
          total,
          critical: acc.critical || ch.critical === true,
          end: "",
        });
      }
    }
  };
  visit(c.start, { choices: [], earned: {}, total: 0, critical: false, end: "" });
  return paths;
}

/** A case with every other scene made a reflection (randomCase makes scenes only). */
export function withReflections(c: CaseFile): CaseFile {
  let n = 0;
  const nodes = Object.fromEntries(
    Object.entries(c.nodes).map(([id, node]) =>
      node.kind === "scene" && n++ % 2 === 0
        ? [id, { kind: "reflection" as const, prompt: t("Why?"), next: node.next }]
        : [id, node],
    ),
  );
  return { ...c, nodes };
}
