/**
 * Scoring. A path earns, per standards item (`catalogId:code`), the sum of the points of the
 * effects of the choices it takes. All "over every path" figures come from dynamic programming on
 * the acyclic case graph — never from listing paths (a 40-decision case has ~3^40 of them).
 *
 * Definitions (the tests pin each one):
 * - A *clean* path takes no critical choice.
 * - `bestTotal` is the total of the expert path: the best total over clean paths, or over all paths
 *   when every path is critical (then nobody can pass anyway). So the expert path scores exactly 1.
 * - `score = min(1, max(0, total) / bestTotal)`: a negative total counts as 0, and a critical path
 *   that out-earns the expert is capped at 1.
 * - When `bestTotal <= 0` there is nothing to earn: every path scores 1, and passing depends only
 *   on avoiding critical choices.
 * - `passed = score >= passMark` and no critical choice on the path. Score and pass mark are plain
 *   doubles; a ratio of integers equal to the pass mark (7/10 vs 0.7) compares equal because both
 *   round to the same double.
 * - Per item, `best`/`worst` are the max/min that item can earn over all complete paths, critical
 *   or not (an item whose best is 0 can never be earned positively; it is reported, not an error).
 */
import { caseGraph, decisionsAhead, longestDecisionPath, nodeTargets, topologicalOrder } from "./graph";
import type { CaseFile, Choice } from "./schema";
import { findChoice, walkPath, type ChoiceRef, type PathChoices, type Step, type WalkError } from "./walk";

export type OutcomeAnalysis = {
  /** Best total over clean paths ending at this outcome; null when every such path is critical. */
  bestCleanTotal: number | null;
  /** The score of that best clean path; null as above. */
  bestScore: number | null;
  /** Some clean path ending here reaches the pass mark. */
  passable: boolean;
};

export type CaseAnalysis = {
  /** Every item key any reachable choice has an effect on, sorted. */
  items: string[];
  best: Record<string, number>;
  worst: Record<string, number>;
  /** The expert path's total: the denominator of every score. */
  bestTotal: number;
  /** Best total over all paths, critical ones included (≥ bestTotal when a critical choice pays). */
  bestTotalAnyPath: number;
  worstTotal: number;
  /** One best-scoring path; clean when any clean path exists. */
  expertPath: ChoiceRef[];
  expertPathIsClean: boolean;
  /** Some path avoids every critical choice (otherwise nobody can pass). */
  hasCleanPath: boolean;
  /** Decision nodes reachable from the start. */
  decisionCount: number;
  /** Decisions on the longest path from the start. */
  longestPath: number;
  /** Per reachable node, decisions on the longest path from it (itself included). */
  decisionsAhead: Record<string, number>;
  outcomes: Record<string, OutcomeAnalysis>;
};

/** Points per item key for one choice (an item listed twice adds up). */
export function choiceEffects(choice: Choice): Map<string, number> {
  const byItem = new Map<string, number>();
  for (const effect of choice.effects ?? []) {
    byItem.set(effect.standard, (byItem.get(effect.standard) ?? 0) + effect.points);
  }
  return byItem;
}

/**
 * Among a decision's choices that `fits` (the best-scoring ones), the one an expert takes: a
 * non-critical one first, then the first in file order. The expert path and analytics'
 * recommended choices both decide ties this way.
 */
export function preferredChoice(choices: readonly Choice[], fits: (choice: Choice) => boolean): Choice | undefined {
  return choices.find((c) => fits(c) && !c.critical) ?? choices.find(fits);
}

export function choiceTotal(choice: Choice): number {
  return (choice.effects ?? []).reduce((sum, e) => sum + e.points, 0);
}

export function scoreFromTotal(total: number, bestTotal: number): number {
  if (bestTotal <= 0) return 1;
  return Math.min(1, Math.max(0, total) / bestTotal);
}

/** Throws when the case is not structurally valid (run validateCase first). */
export function analyzeCase(caseFile: CaseFile): CaseAnalysis {
  const graph = caseGraph(caseFile);
  const order = topologicalOrder(graph, caseFile.start);
  if (!Object.hasOwn(caseFile.nodes, caseFile.start)) {
    throw new Error(`analyzeCase: start "${caseFile.start}" is not a node (validate the case first)`);
  }
  if (order === undefined) throw new Error("analyzeCase: the case loops (validate the case first)");
  for (const id of order) {
    const node = caseFile.nodes[id]!;
    const targets = nodeTargets(node);
    if (node.kind === "decision" && node.choices.length === 0) {
      throw new Error(`analyzeCase: decision "${id}" has no choices (validate the case first)`);
    }
    for (const t of targets) {
      if (!Object.hasOwn(caseFile.nodes, t)) {
        throw new Error(`analyzeCase: "${id}" leads to "${t}", which is not a node (validate the case first)`);
      }
    }
  }

  const itemSet = new Set<string>();
  for (const id of order) {
    const node = caseFile.nodes[id]!;
    if (node.kind === "decision")
      for (const c of node.choices) for (const e of c.effects ?? []) itemSet.add(e.standard);
  }
  const items = [...itemSet].sort();

  // Backward pass (from the outcomes towards the start): best/worst totals from each node onward.
  const bestFrom = new Map<string, number>();
  const worstFrom = new Map<string, number>();
  const bestCleanFrom = new Map<string, number>(); // -Infinity: no clean way on
  const itemBestFrom = new Map<string, Map<string, number>>(items.map((s) => [s, new Map()]));
  const itemWorstFrom = new Map<string, Map<string, number>>(items.map((s) => [s, new Map()]));

  for (let i = order.length - 1; i >= 0; i--) {
    const id = order[i]!;
    const node = caseFile.nodes[id]!;
    if (node.kind === "outcome") {
      bestFrom.set(id, 0);
      worstFrom.set(id, 0);
      bestCleanFrom.set(id, 0);
      for (const s of items) {
        itemBestFrom.get(s)!.set(id, 0);
        itemWorstFrom.get(s)!.set(id, 0);
      }
    } else if (node.kind === "decision") {
      let best = -Infinity;
      let worst = Infinity;
      let bestClean = -Infinity;
      for (const choice of node.choices) {
        const total = choiceTotal(choice);
        best = Math.max(best, total + bestFrom.get(choice.next)!);
        worst = Math.min(worst, total + worstFrom.get(choice.next)!);
        if (!choice.critical) bestClean = Math.max(bestClean, total + bestCleanFrom.get(choice.next)!);
      }
      bestFrom.set(id, best);
      worstFrom.set(id, worst);
      bestCleanFrom.set(id, bestClean);
      const effects = node.choices.map(choiceEffects);
      for (const s of items) {
        const bestMap = itemBestFrom.get(s)!;
        const worstMap = itemWorstFrom.get(s)!;
        let itemBest = -Infinity;
        let itemWorst = Infinity;
        node.choices.forEach((choice, c) => {
          const points = effects[c]!.get(s) ?? 0;
          itemBest = Math.max(itemBest, points + bestMap.get(choice.next)!);
          itemWorst = Math.min(itemWorst, points + worstMap.get(choice.next)!);
        });
        bestMap.set(id, itemBest);
        worstMap.set(id, itemWorst);
      }
    } else {
      bestFrom.set(id, bestFrom.get(node.next)!);
      worstFrom.set(id, worstFrom.get(node.next)!);
      bestCleanFrom.set(id, bestCleanFrom.get(node.next)!);
      for (const s of items) {
        itemBestFrom.get(s)!.set(id, itemBestFrom.get(s)!.get(node.next)!);
        itemWorstFrom.get(s)!.set(id, itemWorstFrom.get(s)!.get(node.next)!);
      }
    }
  }

  const start = caseFile.start;
  const hasCleanPath = bestCleanFrom.get(start)! > -Infinity;

  // Expert path: follow the DP forward; ties go to a clean choice, then to the first in file order.
  const expertPath: ChoiceRef[] = [];
  let expertTotal = 0;
  let expertPathIsClean = true;
  for (let id = start; ;) {
    const node = caseFile.nodes[id]!;
    if (node.kind === "outcome") break;
    if (node.kind !== "decision") {
      id = node.next;
      continue;
    }
    const target = hasCleanPath ? bestCleanFrom.get(id)! : bestFrom.get(id)!;
    const fits = (c: Choice) =>
      hasCleanPath
        ? !c.critical && choiceTotal(c) + bestCleanFrom.get(c.next)! === target
        : choiceTotal(c) + bestFrom.get(c.next)! === target;
    const choice = preferredChoice(node.choices, fits)!;
    expertPath.push({ nodeId: id, choiceId: choice.id });
    expertTotal += choiceTotal(choice);
    if (choice.critical) expertPathIsClean = false;
    id = choice.next;
  }
  const bestTotal = expertTotal;

  // Forward pass: best clean total from the start to each node, for the per-outcome figures.
  const bestCleanTo = new Map<string, number>([[start, 0]]);
  for (const id of order) {
    const here = bestCleanTo.get(id) ?? -Infinity;
    const node = caseFile.nodes[id]!;
    const relax = (next: string, value: number) => {
      if (value > (bestCleanTo.get(next) ?? -Infinity)) bestCleanTo.set(next, value);
    };
    if (node.kind === "decision") {
      for (const c of node.choices) if (!c.critical) relax(c.next, here + choiceTotal(c));
    } else if (node.kind !== "outcome") {
      relax(node.next, here);
    }
  }
  const outcomes: Record<string, OutcomeAnalysis> = {};
  for (const id of order) {
    if (caseFile.nodes[id]!.kind !== "outcome") continue;
    const total = bestCleanTo.get(id) ?? -Infinity;
    if (total === -Infinity) {
      outcomes[id] = { bestCleanTotal: null, bestScore: null, passable: false };
    } else {
      const score = scoreFromTotal(total, bestTotal);
      outcomes[id] = { bestCleanTotal: total, bestScore: score, passable: score >= caseFile.passMark };
    }
  }

  const best: Record<string, number> = {};
  const worst: Record<string, number> = {};
  for (const s of items) {
    best[s] = itemBestFrom.get(s)!.get(start)!;
    worst[s] = itemWorstFrom.get(s)!.get(start)!;
  }

  return {
    items,
    best,
    worst,
    bestTotal,
    bestTotalAnyPath: bestFrom.get(start)!,
    worstTotal: worstFrom.get(start)!,
    expertPath,
    expertPathIsClean,
    hasCleanPath,
    decisionCount: order.filter((id) => caseFile.nodes[id]!.kind === "decision").length,
    longestPath: longestDecisionPath(caseFile) ?? 0,
    decisionsAhead: decisionsAhead(caseFile) ?? {},
    outcomes,
  };
}

export type ScoreReason = "passed" | "critical-choice" | "below-pass-mark";

export type PathScore = {
  steps: Step[];
  outcomeId: string;
  /** Points per item key; every item of the analysis is present (0 when not touched). */
  earned: Record<string, number>;
  total: number;
  /** 0..1, see the definitions at the top of this file. */
  score: number;
  passed: boolean;
  criticalChoices: ChoiceRef[];
  /** Why the path passed or failed; a critical choice wins over a low score. */
  reason: ScoreReason;
};

export type PathScoreResult = ({ ok: true } & PathScore) | { ok: false; error: WalkError };

/** Scores a complete path; an incomplete or impossible path is an error, not a low score. */
export function scorePath(caseFile: CaseFile, analysis: CaseAnalysis, choices: PathChoices): PathScoreResult {
  const walk = walkPath(caseFile, choices);
  if (!walk.ok) return { ok: false, error: walk.error };
  return { ok: true, ...scoreWalk(caseFile, analysis, walk.steps, walk.outcomeId) };
}

/** Scores the steps of a complete walk from the start to `outcomeId` (walked by walkPath or replayPath). */
export function scoreWalk(caseFile: CaseFile, analysis: CaseAnalysis, steps: Step[], outcomeId: string): PathScore {
  const earned: Record<string, number> = {};
  for (const s of analysis.items) earned[s] = 0;
  const criticalChoices: ChoiceRef[] = [];
  let total = 0;
  for (const step of steps) {
    if (step.choiceId === undefined) continue;
    const choice = findChoice(caseFile, step.nodeId, step.choiceId);
    if (!choice) continue; // the walk already checked it exists
    if (choice.critical) criticalChoices.push({ nodeId: step.nodeId, choiceId: choice.id });
    for (const effect of choice.effects ?? []) {
      earned[effect.standard] = (earned[effect.standard] ?? 0) + effect.points;
      total += effect.points;
    }
  }
  const score = scoreFromTotal(total, analysis.bestTotal);
  const reason: ScoreReason =
    criticalChoices.length > 0 ? "critical-choice" : score >= caseFile.passMark ? "passed" : "below-pass-mark";
  return {
    steps,
    outcomeId,
    earned,
    total,
    score,
    passed: reason === "passed",
    criticalChoices,
    reason,
  };
}
