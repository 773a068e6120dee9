/**
 * The debrief: the learner's path beside the expert path, decision by decision, and what each
 * standard item earned against the best possible. Pure, like the rest of the engine.
 */
import type { CaseFile } from "./schema";
import type { CaseAnalysis, PathScore } from "./score";
import { scorePath } from "./score";
import type { ChoiceRef, WalkError } from "./walk";

export type DebriefRow = {
  nodeId: string;
  /** The learner's choice here, if their path met this decision. */
  learnerChoiceId?: string;
  /** The expert's choice here, if the expert path meets this decision. */
  expertChoiceId?: string;
  /** Both met it and chose alike. */
  same: boolean;
};

export type Debrief = PathScore & {
  rows: DebriefRow[];
  standards: Array<{ item: string; earned: number; best: number; worst: number }>;
};

/**
 * Rows follow the learner's path; decisions only the expert met come after the learner decision
 * the expert path reached them from, so each row reads in case order.
 */
export function buildDebrief(
  caseFile: CaseFile,
  analysis: CaseAnalysis,
  choices: readonly ChoiceRef[],
): { ok: true; debrief: Debrief } | { ok: false; error: WalkError } {
  const scored = scorePath(caseFile, analysis, choices);
  if (!scored.ok) return scored;
  const expert = new Map(analysis.expertPath.map((c) => [c.nodeId, c.choiceId]));
  const learner = new Map(choices.map((c) => [c.nodeId, c.choiceId]));

  const rows: DebriefRow[] = [];
  const seen = new Set<string>();
  const push = (nodeId: string) => {
    if (seen.has(nodeId)) return;
    seen.add(nodeId);
    const learnerChoiceId = learner.get(nodeId);
    const expertChoiceId = expert.get(nodeId);
    rows.push({
      nodeId,
      ...(learnerChoiceId !== undefined ? { learnerChoiceId } : {}),
      ...(expertChoiceId !== undefined ? { expertChoiceId } : {}),
      same: learnerChoiceId !== undefined && learnerChoiceId === expertChoiceId,
    });
  };
  let expertIndex = 0;
  for (const { nodeId } of choices) {
    // Expert decisions before this one that the learner never met.
    const at = analysis.expertPath.findIndex((c, i) => i >= expertIndex && c.nodeId === nodeId);
    if (at >= 0) {
      for (const c of analysis.expertPath.slice(expertIndex, at)) push(c.nodeId);
      expertIndex = at + 1;
    }
    push(nodeId);
  }
  for (const c of analysis.expertPath.slice(expertIndex)) push(c.nodeId);

  const standards = analysis.items.map((item) => ({
    item,
    earned: scored.earned[item] ?? 0,
    best: analysis.best[item] ?? 0,
    worst: analysis.worst[item] ?? 0,
  }));
  return { ok: true, debrief: { ...scored, rows, standards } };
}
