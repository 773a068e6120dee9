/**
 * Walking a case: from the start, through scenes and reflections on their own, taking the given
 * choice at each decision, to an outcome. Returns results rather than throwing, because the inputs
 * (a stored attempt, a form post) come from outside and may be stale or wrong.
 */
import type { CaseFile, Choice, NodeKind } from "./schema";

export type ChoiceRef = { nodeId: string; choiceId: string };

/**
 * The learner's choices. A record (decision id → choice id) is looked up by node, and entries for
 * decisions the path never reaches are ignored (an attempt may hold answers from an earlier
 * branch). An array must list exactly the decisions met, in order.
 */
export type PathChoices = Readonly<Record<string, string>> | ReadonlyArray<ChoiceRef>;

export type Step = { nodeId: string; kind: NodeKind; choiceId?: string };

export type WalkErrorCode =
  "unknown-node" | "missing-choice" | "unknown-choice" | "unexpected-choice" | "extra-choices" | "at-outcome" | "loop";

export type WalkError = { code: WalkErrorCode; nodeId: string; message: string };

export type WalkResult =
  { ok: true; steps: Step[]; outcomeId: string } | { ok: false; error: WalkError; steps: Step[] };

export type NextNodeResult = { ok: true; nextNodeId: string } | { ok: false; error: WalkError };

/** The choice `choiceId` of decision `nodeId`, if both exist. */
export function findChoice(
  caseFile: CaseFile,
  nodeId: string,
  choiceId: string | null | undefined,
): Choice | undefined {
  const node = caseFile.nodes[nodeId];
  return node?.kind === "decision" && choiceId != null ? node.choices.find((c) => c.id === choiceId) : undefined;
}

function choiceIds(caseFile: CaseFile, nodeId: string): string {
  const node = caseFile.nodes[nodeId];
  if (node?.kind !== "decision") return "";
  return node.choices.map((c) => `"${c.id}"`).join(", ");
}

/** One step for a player: where `choiceId` (at a decision) or "continue" (elsewhere) leads. */
export function nextNode(caseFile: CaseFile, nodeId: string, choiceId?: string): NextNodeResult {
  const node = Object.hasOwn(caseFile.nodes, nodeId) ? caseFile.nodes[nodeId] : undefined;
  if (node === undefined) {
    return { ok: false, error: { code: "unknown-node", nodeId, message: `no node "${nodeId}" in this case` } };
  }
  let target: string;
  if (node.kind === "outcome") {
    return {
      ok: false,
      error: { code: "at-outcome", nodeId, message: `"${nodeId}" is an outcome: the case ends here` },
    };
  } else if (node.kind === "decision") {
    if (choiceId === undefined) {
      return {
        ok: false,
        error: {
          code: "missing-choice",
          nodeId,
          message: `decision "${nodeId}" needs a choice (one of ${choiceIds(caseFile, nodeId)})`,
        },
      };
    }
    const choice = findChoice(caseFile, nodeId, choiceId);
    if (choice === undefined) {
      return {
        ok: false,
        error: {
          code: "unknown-choice",
          nodeId,
          message: `decision "${nodeId}" has no choice "${choiceId}" (choices: ${choiceIds(caseFile, nodeId)})`,
        },
      };
    }
    target = choice.next;
  } else {
    if (choiceId !== undefined) {
      return {
        ok: false,
        error: {
          code: "unexpected-choice",
          nodeId,
          message: `"${nodeId}" is a ${node.kind}, not a decision, so it takes no choice (got "${choiceId}")`,
        },
      };
    }
    target = node.next;
  }
  if (!Object.hasOwn(caseFile.nodes, target)) {
    return {
      ok: false,
      error: { code: "unknown-node", nodeId, message: `"${nodeId}" leads to "${target}", which is not a node` },
    };
  }
  return { ok: true, nextNodeId: target };
}

/** Follows `choices` from the start to an outcome. */
export function walkPath(caseFile: CaseFile, choices: PathChoices): WalkResult {
  const steps: Step[] = [];
  const ordered = Array.isArray(choices) ? (choices as ReadonlyArray<ChoiceRef>) : undefined;
  const byNode = ordered ? undefined : (choices as Readonly<Record<string, string>>);
  let used = 0;
  let nodeId = caseFile.start;
  const fail = (code: WalkErrorCode, message: string): WalkResult => ({
    ok: false,
    error: { code, nodeId, message },
    steps,
  });

  // A valid case has no loops; the bound keeps an unvalidated one from spinning forever.
  const maxSteps = Object.keys(caseFile.nodes).length;
  for (;;) {
    if (steps.length >= maxSteps) {
      return fail("loop", `the path passes "${nodeId}" again: the case loops (validate it first)`);
    }
    const node = Object.hasOwn(caseFile.nodes, nodeId) ? caseFile.nodes[nodeId] : undefined;
    if (node === undefined) return fail("unknown-node", `no node "${nodeId}" in this case`);
    if (node.kind === "outcome") {
      steps.push({ nodeId, kind: node.kind });
      if (ordered && used < ordered.length) {
        const extra = ordered.slice(used).map((c) => `${c.nodeId}:${c.choiceId}`);
        return fail("extra-choices", `the path ended at "${nodeId}" with choices left over: ${extra.join(", ")}`);
      }
      return { ok: true, steps, outcomeId: nodeId };
    }
    let choiceId: string | undefined;
    if (node.kind === "decision") {
      if (ordered) {
        const given = ordered[used];
        if (given === undefined) {
          return fail(
            "missing-choice",
            `no choice given for decision "${nodeId}" (one of ${choiceIds(caseFile, nodeId)})`,
          );
        }
        if (given.nodeId !== nodeId) {
          return fail(
            "unexpected-choice",
            `choice ${used + 1} is for "${given.nodeId}", but the path is at decision "${nodeId}"`,
          );
        }
        choiceId = given.choiceId;
        used++;
      } else {
        choiceId = Object.hasOwn(byNode!, nodeId) ? byNode![nodeId] : undefined;
      }
    }
    const next = nextNode(caseFile, nodeId, choiceId);
    if (!next.ok) return { ok: false, error: next.error, steps };
    steps.push(choiceId === undefined ? { nodeId, kind: node.kind } : { nodeId, kind: node.kind, choiceId });
    nodeId = next.nextNodeId;
  }
}

/** The decisions taken on a path (walked steps, or recorded ones whose choiceId is null at other nodes), in order. */
export function choicesOf(steps: ReadonlyArray<{ nodeId: string; choiceId?: string | null }>): ChoiceRef[] {
  return steps.flatMap((s) => (s.choiceId == null ? [] : [{ nodeId: s.nodeId, choiceId: s.choiceId }]));
}
