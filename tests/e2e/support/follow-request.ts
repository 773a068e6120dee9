// The small case the staff scenario writes in the studio: tests/fixtures/valid/mini-case.json under
// a new slug, scored against the demo catalog the test server publishes (cases/standards/coto-boundaries).
import fs from "node:fs";
import path from "node:path";
import type { Step } from "./browser";

export const CASE_SLUG = "e2e-follow-request";
export const CASE_TITLE = "A follow request from a client";

type Choice = { id: string; label: { en: string }; next: string; effects?: { standard: string; points: number }[] };
type CaseFile = { nodes: Record<string, { choices?: Choice[] }> } & Record<string, unknown>;

const fixture = fs.readFileSync(path.resolve("tests/fixtures/valid/mini-case.json"), "utf8");
const CLAUSES: Record<string, string> = {
  "mini-standards:1.1": "coto-boundaries:2.1",
  "mini-standards:1.2": "coto-boundaries:2.2",
};

/** The case as an author would type it (2-space JSON); `brokenNext` sends the first choice nowhere. */
export function caseSource(options: { brokenNext?: string } = {}): string {
  const value = JSON.parse(fixture) as CaseFile;
  Object.assign(value, {
    slug: CASE_SLUG,
    regulator: "coto",
    title: { en: CASE_TITLE, fr: "Une demande d'abonnement d'un client" },
    standards: ["coto-boundaries"],
  });
  for (const node of Object.values(value.nodes)) {
    for (const choice of node.choices ?? []) {
      for (const effect of choice.effects ?? []) effect.standard = CLAUSES[effect.standard] ?? effect.standard;
    }
  }
  if (options.brokenNext) value.nodes.q1!.choices![0]!.next = options.brokenNext;
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** The 1-based line of the first occurrence of `needle` in `source`. */
export function errorLine(source: string, needle: string): number {
  const index = source.split("\n").findIndex((line) => line.includes(needle));
  if (index < 0) throw new Error(`${needle} is not in the source`);
  return index + 1;
}

/** The expert path: both decisions right, a reflection, the "Boundaries kept" outcome (3 of 3 points). */
export const EXPERT_PATH: (Step & { choiceLabel?: string })[] = [
  { node: "context" },
  { node: "q1", choice: "decline", choiceLabel: "Decline" },
  { node: "q2", choice: "explain", choiceLabel: "Explain the office channels" },
  { node: "reflect", reflection: "I would explain the office channels at the first visit." },
];
