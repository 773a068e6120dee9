/**
 * Aggregates for the analytics pages: how a group of learners chose at each decision, what each
 * standard item earned on average against its best, and the median time on task. Pure: the
 * figures come in as counts and paths (app/models/analytics.server.ts queries them).
 */
import { caseGraph, topologicalOrder } from "./graph";
import type { CaseFile, Choice } from "./schema";
import { choiceTotal, preferredChoice, scorePath, type CaseAnalysis } from "./score";
import type { ChoiceRef } from "./walk";

/** The middle value (mean of the two middle ones for an even count); null when there is none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export type RecommendedChoice = {
  choiceId: string;
  /** True when the decision lies on the expert path (the choice is the expert's); otherwise it is the best way on from there. */
  onExpertPath: boolean;
};

/**
 * For every reachable decision, the choice an expert takes there. On the expert path it is the
 * expert path's choice; off it (a learner went elsewhere earlier) it is the best way on from that
 * decision, by the same rule as the expert path: best total over clean paths (any path when none
 * is clean from there), ties to a non-critical choice, then to the first in file order.
 */
export function recommendedChoices(caseFile: CaseFile, analysis: CaseAnalysis): Map<string, RecommendedChoice> {
  const order = topologicalOrder(caseGraph(caseFile), caseFile.start) ?? [];
  const bestFrom = new Map<string, number>();
  const bestCleanFrom = new Map<string, number>();
  const picks = new Map<string, RecommendedChoice>();
  for (const { nodeId, choiceId } of analysis.expertPath) picks.set(nodeId, { choiceId, onExpertPath: true });

  for (let i = order.length - 1; i >= 0; i--) {
    const id = order[i]!;
    const node = caseFile.nodes[id];
    if (!node) continue;
    if (node.kind === "outcome") {
      bestFrom.set(id, 0);
      bestCleanFrom.set(id, 0);
      continue;
    }
    if (node.kind !== "decision") {
      bestFrom.set(id, bestFrom.get(node.next) ?? -Infinity);
      bestCleanFrom.set(id, bestCleanFrom.get(node.next) ?? -Infinity);
      continue;
    }
    const any = (c: Choice) => choiceTotal(c) + (bestFrom.get(c.next) ?? -Infinity);
    const clean = (c: Choice) => (c.critical ? -Infinity : choiceTotal(c) + (bestCleanFrom.get(c.next) ?? -Infinity));
    const best = Math.max(...node.choices.map(any));
    const bestClean = Math.max(...node.choices.map(clean));
    bestFrom.set(id, best);
    bestCleanFrom.set(id, bestClean);
    if (picks.has(id)) continue;
    const fits = bestClean > -Infinity ? (c: Choice) => clean(c) === bestClean : (c: Choice) => any(c) === best;
    const choice = preferredChoice(node.choices, fits);
    if (choice) picks.set(id, { choiceId: choice.id, onExpertPath: false });
  }
  return picks;
}

export type ChoiceCount = { nodeId: string; choiceId: string; count: number };

export type ChoiceDistribution = {
  nodeId: string;
  /** Learners' answers recorded at this decision. */
  responses: number;
  choices: Array<{
    choiceId: string;
    count: number;
    /** count / responses, 0 when nobody answered. */
    share: number;
    recommended: boolean;
    critical: boolean;
  }>;
  recommended: RecommendedChoice | null;
};

/**
 * Every decision reachable from the start, in case order (topological, file order among equals),
 * with the count and share of each choice. Counts for choices the version does not have (which a
 * valid attempt cannot record) are ignored.
 */
export function choiceDistribution(
  caseFile: CaseFile,
  analysis: CaseAnalysis,
  counts: readonly ChoiceCount[],
): ChoiceDistribution[] {
  const byChoice = new Map<string, number>();
  for (const c of counts)
    byChoice.set(`${c.nodeId}\u0000${c.choiceId}`, (byChoice.get(`${c.nodeId}\u0000${c.choiceId}`) ?? 0) + c.count);
  const picks = recommendedChoices(caseFile, analysis);
  const order = topologicalOrder(caseGraph(caseFile), caseFile.start) ?? [];
  const rows: ChoiceDistribution[] = [];
  for (const nodeId of order) {
    const node = caseFile.nodes[nodeId];
    if (node?.kind !== "decision") continue;
    const recommended = picks.get(nodeId) ?? null;
    const choiceCounts = node.choices.map((c) => byChoice.get(`${nodeId}\u0000${c.id}`) ?? 0);
    const responses = choiceCounts.reduce((sum, n) => sum + n, 0);
    rows.push({
      nodeId,
      responses,
      recommended,
      choices: node.choices.map((c, i) => ({
        choiceId: c.id,
        count: choiceCounts[i]!,
        share: responses > 0 ? choiceCounts[i]! / responses : 0,
        recommended: recommended?.choiceId === c.id,
        critical: c.critical === true,
      })),
    });
  }
  return rows;
}

export type StandardSummary = {
  item: string;
  /** Mean points earned per scored attempt; null when no attempt was scored. */
  mean: number | null;
  best: number;
  worst: number;
  /** mean / best; null when there is no mean or nothing positive to earn (best <= 0). */
  ratio: number | null;
};

export type StandardsAggregate = {
  /** Attempts whose path scored (a path that no longer walks is counted in `unscored`). */
  scored: number;
  unscored: number;
  /** Weakest first: lowest ratio, then items with no ratio, then by item key. */
  standards: StandardSummary[];
};

/** A path some learners took, and how many attempts took it. */
export type PathCount = { choices: readonly ChoiceRef[]; count: number };

/**
 * Scores each distinct path once with the engine's scorePath and averages what every standard
 * item earned over all the attempts (learners' paths repeat a lot: a case has few paths that
 * people actually take, so the caller groups attempts by path).
 */
export function aggregateStandards(
  caseFile: CaseFile,
  analysis: CaseAnalysis,
  paths: Iterable<PathCount>,
): StandardsAggregate {
  const sums: Record<string, number> = Object.fromEntries(analysis.items.map((item) => [item, 0]));
  let scored = 0;
  let unscored = 0;
  for (const { choices, count } of paths) {
    const result = scorePath(caseFile, analysis, choices);
    if (!result.ok) {
      unscored += count;
      continue;
    }
    scored += count;
    for (const item of analysis.items) sums[item] = (sums[item] ?? 0) + (result.earned[item] ?? 0) * count;
  }
  const standards: StandardSummary[] = analysis.items.map((item) => {
    const best = analysis.best[item] ?? 0;
    const mean = scored > 0 ? sums[item]! / scored : null;
    return {
      item,
      mean,
      best,
      worst: analysis.worst[item] ?? 0,
      ratio: mean !== null && best > 0 ? mean / best : null,
    };
  });
  standards.sort((a, b) => {
    if (a.ratio !== null && b.ratio !== null && a.ratio !== b.ratio) return a.ratio - b.ratio;
    if ((a.ratio === null) !== (b.ratio === null)) return a.ratio === null ? 1 : -1;
    return a.item.localeCompare(b.item);
  });
  return { scored, unscored, standards };
}

// ---------------------------------------------------------------------------------------------
// Small-group suppression: no figure may describe fewer than `min` distinct learners. A group under
// the threshold shows nothing at all; inside a group large enough, a cell of 1..min-1 learners is
// hidden, and so is a second one beside it, else the shown total minus the other cells gives it back.

/** In place of a figure that would describe fewer than the threshold's learners. */
export const SUPPRESSED = "suppressed";
export type Figure = number | typeof SUPPRESSED;

/**
 * Which cells of one table (cells that add up to a shown total) to hide, from the distinct learners
 * in each. Cells of 1..min-1 learners are hidden; when there is any, the smallest cell of at least
 * `min` learners is hidden too, so what is hidden together (the total minus what is shown) always
 * describes at least `min` learners. Empty cells stay shown: "nobody" singles no one out.
 */
export function hiddenCells(learners: readonly number[], min: number): boolean[] {
  const hidden = learners.map((n) => n > 0 && n < min);
  if (!hidden.includes(true)) return hidden;
  let partner = -1;
  learners.forEach((n, i) => {
    if (n >= min && (partner < 0 || n < learners[partner]!)) partner = i;
  });
  if (partner >= 0) hidden[partner] = true;
  return hidden;
}

/** Raw funnel counts (attempts) with the distinct learners behind each part of it. */
export type FunnelCounts = {
  started: number;
  completed: number;
  passed: number;
  learners: number;
  /** Distinct learners with an attempt not completed / completed and not passed / passed. */
  inProgressLearners: number;
  failedLearners: number;
  passedLearners: number;
};

export type ProtectedFunnel = {
  /** True when the group itself has fewer than `min` learners: every figure is withheld. */
  suppressed: boolean;
  learners: Figure;
  started: Figure;
  completed: Figure;
  passed: Figure;
};

/**
 * The funnel as it may be shown. Attempts fall in three parts (not completed, completed but not
 * passed, passed); "completed" is started minus the first part, so it is shown only when that part is.
 */
export function protectFunnel(c: FunnelCounts, min: number): ProtectedFunnel {
  if (c.learners < min) {
    return { suppressed: true, learners: SUPPRESSED, started: SUPPRESSED, completed: SUPPRESSED, passed: SUPPRESSED };
  }
  const [inProgress, , passed] = hiddenCells([c.inProgressLearners, c.failedLearners, c.passedLearners], min);
  return {
    suppressed: false,
    learners: c.learners,
    started: c.started,
    completed: inProgress ? SUPPRESSED : c.completed,
    passed: passed ? SUPPRESSED : c.passed,
  };
}

export type ProtectedDecision = Omit<ChoiceDistribution, "responses" | "choices"> & {
  responses: Figure;
  choices: Array<Omit<ChoiceDistribution["choices"][number], "count" | "share"> & { count: Figure; share: Figure }>;
};

/** The key of a choice in the learner counts protectDistribution and meansTouchedBySmallChoices read. */
export const choiceLearnersKey = (nodeId: string, choiceId: string) => `${nodeId}\u0000${choiceId}`;

/**
 * Each decision as it may be shown: all withheld when fewer than `min` learners answered it, else
 * each choice's cell by hiddenCells. `learnersByNode` and `learnersByChoice` (keyed by
 * choiceLearnersKey) count distinct learners, whatever the number of their attempts.
 */
export function protectDistribution(
  rows: readonly ChoiceDistribution[],
  learnersByNode: ReadonlyMap<string, number>,
  learnersByChoice: ReadonlyMap<string, number>,
  min: number,
): ProtectedDecision[] {
  return rows.map((row) => {
    const answered = learnersByNode.get(row.nodeId) ?? 0;
    const hidden =
      answered < min
        ? row.choices.map(() => true)
        : hiddenCells(
            row.choices.map((c) => learnersByChoice.get(choiceLearnersKey(row.nodeId, c.choiceId)) ?? 0),
            min,
          );
    return {
      ...row,
      responses: answered < min ? SUPPRESSED : row.responses,
      choices: row.choices.map((c, i) => ({
        ...c,
        count: hidden[i] ? SUPPRESSED : c.count,
        share: hidden[i] ? SUPPRESSED : c.share,
      })),
    };
  });
}

/**
 * Standard items (and "score", for the mean score) whose mean over some attempts would carry the
 * points of a choice that 1..min-1 of those attempts' learners took: with the attempt count shown,
 * the mean could be solved back for how many took it (mean = Σ points × count / attempts). Such
 * means are withheld; `learnersByChoice` counts learners over the same attempts as the mean.
 */
export function meansTouchedBySmallChoices(
  caseFile: CaseFile,
  learnersByChoice: ReadonlyMap<string, number>,
  min: number,
): Set<string> {
  const touched = new Set<string>();
  for (const [nodeId, node] of Object.entries(caseFile.nodes)) {
    if (node.kind !== "decision") continue;
    for (const choice of node.choices) {
      const n = learnersByChoice.get(choiceLearnersKey(nodeId, choice.id)) ?? 0;
      if (n === 0 || n >= min) continue;
      for (const effect of choice.effects ?? []) {
        if (effect.points === 0) continue;
        touched.add(effect.standard);
        touched.add("score");
      }
    }
  }
  return touched;
}
