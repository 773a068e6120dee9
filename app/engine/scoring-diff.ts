/**
 * What changed in a case's scoring between two versions: pass mark, critical flags and effects.
 * The audit log records these so a regulator can see when and how a case's marking moved.
 */
import type { CaseFile } from "./schema";
import { choiceEffects } from "./score";

export type ScoringChange =
  | { kind: "passMark"; from: number; to: number }
  | { kind: "critical"; nodeId: string; choiceId: string; from: boolean; to: boolean }
  | { kind: "effects"; nodeId: string; choiceId: string; from: Record<string, number>; to: Record<string, number> }
  | { kind: "choiceAdded"; nodeId: string; choiceId: string }
  | { kind: "choiceRemoved"; nodeId: string; choiceId: string };

type ChoiceScoring = { critical: boolean; effects: Record<string, number> };

function scoringOf(caseFile: CaseFile | null): Map<string, ChoiceScoring> {
  const map = new Map<string, ChoiceScoring>();
  if (!caseFile) return map;
  for (const [nodeId, node] of Object.entries(caseFile.nodes)) {
    if (node.kind !== "decision") continue;
    for (const choice of node.choices) {
      map.set(`${nodeId}\u0000${choice.id}`, {
        critical: choice.critical === true,
        effects: Object.fromEntries(choiceEffects(choice)),
      });
    }
  }
  return map;
}

function sameEffects(a: Record<string, number>, b: Record<string, number>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => (a[k] ?? 0) === (b[k] ?? 0));
}

/** Scoring changes from `before` (null for a new case: nothing to compare) to `after`. */
export function scoringChanges(before: CaseFile | null, after: CaseFile): ScoringChange[] {
  if (!before) return [];
  const changes: ScoringChange[] = [];
  if (before.passMark !== after.passMark) changes.push({ kind: "passMark", from: before.passMark, to: after.passMark });
  const old = scoringOf(before);
  const now = scoringOf(after);
  for (const [key, next] of now) {
    const [nodeId = "", choiceId = ""] = key.split("\u0000");
    const prev = old.get(key);
    if (!prev) {
      changes.push({ kind: "choiceAdded", nodeId, choiceId });
      continue;
    }
    if (prev.critical !== next.critical)
      changes.push({ kind: "critical", nodeId, choiceId, from: prev.critical, to: next.critical });
    if (!sameEffects(prev.effects, next.effects))
      changes.push({ kind: "effects", nodeId, choiceId, from: prev.effects, to: next.effects });
  }
  for (const key of old.keys()) {
    if (now.has(key)) continue;
    const [nodeId = "", choiceId = ""] = key.split("\u0000");
    changes.push({ kind: "choiceRemoved", nodeId, choiceId });
  }
  return changes;
}
