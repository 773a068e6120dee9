/** Fixtures shared by the engine's tests (not part of the public API). */
import type { CaseFile, Catalog } from "./schema";

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
