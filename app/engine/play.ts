/**
 * Playing a case one step at a time: what happens after a choice (or "continue"), for the learner's
 * player and the studio preview alike, so the two cannot disagree. `planStep` decides one step
 * from where the walk is; `replayPath` rebuilds where a walk is from its recorded steps (an
 * attempt's rows, a preview URL) by planning each of them, and scores it when it is complete.
 *
 * Free text is not judged here: a reflection's answer (required, its length, the characters it may
 * hold) is the player's input rule, checked where the text is taken in; the preview records none.
 */
import type { CaseFile, NodeKind } from "./schema";
import { scoreWalk, type CaseAnalysis, type PathScore } from "./score";
import { choicesOf, findChoice, type ChoiceRef, type Step } from "./walk";

/** What a learner sends from a node: the node they were shown and, at a decision, their choice. */
export type StepInput = { from: string; choiceId?: string | null };

/** A step as it is recorded: its node, and its choice at a decision (null elsewhere). */
export type PlannedStep = { nodeId: string; kind: NodeKind; choiceId: string | null };

export type StepPlan =
  /** The walk moves on to `at`, a scene, decision or reflection. */
  | { kind: "advanced"; step: PlannedStep; at: string }
  /** The step reaches an outcome: the case is over. */
  | { kind: "completed"; step: PlannedStep; outcomeId: string }
  /** The input cannot move the walk on: a decision needs one of its choices. */
  | { kind: "invalid"; field: "choice"; reason: "missing-choice" | "unknown-choice"; nodeId: string }
  /**
   * The input is not for where the walk is (a replayed or edited form, a node that is gone, an
   * outcome that ends the case): nothing moves.
   */
  | { kind: "stale"; reason: "moved" | "unknown-node" | "at-outcome" | "broken-link"; nodeId: string };

const nodeOf = (caseFile: CaseFile, id: string) => (Object.hasOwn(caseFile.nodes, id) ? caseFile.nodes[id] : undefined);

/**
 * One step from `at`. A choice sent from a scene or reflection is ignored (a form may carry a
 * stray field); an empty choice at a decision counts as none.
 */
export function planStep(caseFile: CaseFile, at: string, input: StepInput): StepPlan {
  if (input.from !== at) return { kind: "stale", reason: "moved", nodeId: input.from };
  const node = nodeOf(caseFile, at);
  if (node === undefined) return { kind: "stale", reason: "unknown-node", nodeId: at };
  if (node.kind === "outcome") return { kind: "stale", reason: "at-outcome", nodeId: at };
  let target: string;
  let choiceId: string | null = null;
  if (node.kind === "decision") {
    if (!input.choiceId) return { kind: "invalid", field: "choice", reason: "missing-choice", nodeId: at };
    const choice = findChoice(caseFile, at, input.choiceId);
    if (!choice) return { kind: "invalid", field: "choice", reason: "unknown-choice", nodeId: at };
    target = choice.next;
    choiceId = choice.id;
  } else {
    target = node.next;
  }
  const next = nodeOf(caseFile, target);
  if (next === undefined) return { kind: "stale", reason: "broken-link", nodeId: at };
  const step: PlannedStep = { nodeId: at, kind: node.kind, choiceId };
  return next.kind === "outcome"
    ? { kind: "completed", step, outcomeId: target }
    : { kind: "advanced", step, at: target };
}

/**
 * The nodes a walk at `at` passes through on its own: `at`, then each next node while the walk is
 * at a scene or reflection, ending at the first decision, outcome or missing node.
 */
export function passThrough(caseFile: CaseFile, at: string): string[] {
  const chain = [at];
  const bound = Object.keys(caseFile.nodes).length; // an unvalidated loop must not spin forever
  for (let node = nodeOf(caseFile, at); node && (node.kind === "scene" || node.kind === "reflection");) {
    if (chain.length > bound) break;
    chain.push(node.next);
    node = nodeOf(caseFile, node.next);
  }
  return chain;
}

/** A recorded step: an attempt's row, or a preview URL's decision (scenes and reflections may be left out). */
export type RecordedStep = { nodeId: string; choiceId?: string | null };

type ReplayCommon = {
  /** Where the replay began (the case's start unless told otherwise). */
  from: string;
  /** Every step taken, scenes and reflections passed on their own included. */
  steps: PlannedStep[];
  /** The decisions taken, in order. */
  path: ChoiceRef[];
};

export type Replay =
  | (ReplayCommon & { ok: true; status: "playing"; at: string })
  /** `score` is null when the replay did not begin at the start (a path from the middle earns nothing). */
  | (ReplayCommon & { ok: true; status: "completed"; outcomeId: string; score: PathScore | null })
  /**
   * Recorded step number `index` does not follow: `plan` says why (a choice it lacks, a node the
   * walk is not at). `at` is where the steps before it led.
   */
  | (ReplayCommon & { ok: false; at: string; index: number; plan: Extract<StepPlan, { kind: "invalid" | "stale" }> });

/**
 * Rebuilds a walk from recorded steps, each planned with planStep from where the ones before led.
 * A scene or reflection the record leaves out passes on its own (as in walkPath), so a list of
 * decisions replays as well as an attempt's every row. A record at a scene or reflection that
 * carries a choice is not a step of this case.
 */
export function replayPath(
  caseFile: CaseFile,
  analysis: CaseAnalysis,
  recorded: ReadonlyArray<RecordedStep>,
  options: { from?: string } = {},
): Replay {
  const from = options.from ?? caseFile.start;
  const steps: PlannedStep[] = [];
  let at = from;
  const common = () => ({ from, steps, path: choicesOf(steps) });
  const take = (plan: StepPlan): string | null => {
    if (plan.kind !== "advanced" && plan.kind !== "completed") return null;
    steps.push(plan.step);
    return plan.kind === "advanced" ? plan.at : plan.outcomeId;
  };
  for (let index = 0; index < recorded.length; index++) {
    const record = recorded[index]!;
    // Pass scenes and reflections the record does not name.
    while (record.nodeId !== at) {
      const node = nodeOf(caseFile, at);
      if (!node || (node.kind !== "scene" && node.kind !== "reflection")) break;
      const next = take(planStep(caseFile, at, { from: at }));
      if (next === null) break;
      at = next;
    }
    const node = nodeOf(caseFile, at);
    const plan: StepPlan =
      record.choiceId != null && node !== undefined && node.kind !== "decision" && record.nodeId === at
        ? { kind: "stale", reason: "moved", nodeId: record.nodeId }
        : planStep(caseFile, at, { from: record.nodeId, choiceId: record.choiceId });
    const next = take(plan);
    if (next === null) {
      return { ...common(), ok: false, at, index, plan: plan as Extract<StepPlan, { kind: "invalid" | "stale" }> };
    }
    at = next;
  }
  const end = nodeOf(caseFile, at);
  if (end?.kind !== "outcome") return { ...common(), ok: true, status: "playing", at };
  const walked: Step[] = [
    ...steps.map((s) => (s.choiceId === null ? { nodeId: s.nodeId, kind: s.kind } : { ...s, choiceId: s.choiceId })),
    { nodeId: at, kind: "outcome" },
  ];
  const score = from === caseFile.start ? scoreWalk(caseFile, analysis, walked, at) : null;
  return { ...common(), ok: true, status: "completed", outcomeId: at, score };
}
