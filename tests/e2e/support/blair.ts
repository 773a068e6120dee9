// The Blair case (cases/social-media-boundaries.json) as the scenarios need it: the expert walk
// and the few texts they look for on screen, read from the case file itself.
import fs from "node:fs";
import path from "node:path";
import type { Locale } from "~/i18n";
import type { Step } from "./browser";

export const BLAIR_SLUG = "social-media-boundaries";

type Text = Record<Locale, string>;
type CaseNode = { kind: string; title?: Text; prompt?: Text; choices?: { id: string; label: Text }[] };
type CaseFile = { title: Text; nodes: Record<string, CaseNode> };

const caseFile = JSON.parse(fs.readFileSync(path.resolve("cases", `${BLAIR_SLUG}.json`), "utf8")) as CaseFile;

/** The expert path (`npm run cases:play -- cases/social-media-boundaries.json --expert`), node by node. */
export const EXPERT_PATH: Step[] = [
  { node: "context" },
  { node: "q-request", choice: "consult" },
  { node: "consult-call" },
  { node: "audit" },
  { node: "q-privacy", choice: "tighten" },
  { node: "q-policy", choice: "write-policy" },
  { node: "visit" },
  { node: "q-visit", choice: "explain" },
  { node: "reflect-maintained", reflection: "Je nomme la limite tôt, par écrit, et je l'explique au client." },
];
export const EXPERT_OUTCOME = "end-maintained";
export const EXPERT_DECISIONS = EXPERT_PATH.filter((s) => s.choice !== undefined).length;

function node(id: string): CaseNode {
  const found = caseFile.nodes[id];
  if (!found) throw new Error(`${BLAIR_SLUG}.json has no node "${id}"`);
  return found;
}

export function caseTitle(locale: Locale): string {
  return caseFile.title[locale];
}

export function nodeTitle(id: string, locale: Locale): string {
  const title = node(id).title;
  if (!title) throw new Error(`node "${id}" has no title`);
  return title[locale];
}

export function nodePrompt(id: string, locale: Locale): string {
  const prompt = node(id).prompt;
  if (!prompt) throw new Error(`node "${id}" has no prompt`);
  return prompt[locale];
}

export function choiceLabel(nodeId: string, choiceId: string, locale: Locale): string {
  const choice = node(nodeId).choices?.find((c) => c.id === choiceId);
  if (!choice) throw new Error(`node "${nodeId}" has no choice "${choiceId}"`);
  return choice.label[locale];
}

export function isDecision(id: string): boolean {
  return node(id).kind === "decision";
}
