/**
 * Graph helpers over a successor map (node id → ids it links to, in file order).
 * Generic so validation can run them on a half-broken file and scoring on a valid one.
 */
import type { CaseFile, CaseNode } from "./schema";

export type Graph = ReadonlyMap<string, readonly string[]>;

/** Ids a node links to, in file order (duplicates kept: two choices may lead to the same node). */
export function nodeTargets(node: CaseNode): string[] {
  switch (node.kind) {
    case "scene":
    case "reflection":
      return [node.next];
    case "decision":
      return node.choices.map((c) => c.next);
    case "outcome":
      return [];
  }
}

/** The case as a graph; links to ids that are not nodes are dropped (validation reports them). */
export function caseGraph(caseFile: CaseFile): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const [id, node] of Object.entries(caseFile.nodes)) {
    graph.set(
      id,
      nodeTargets(node).filter((t) => Object.hasOwn(caseFile.nodes, t)),
    );
  }
  return graph;
}

export function reachableFrom(graph: Graph, start: string): Set<string> {
  const seen = new Set<string>();
  if (!graph.has(start)) return seen;
  const stack = [start];
  seen.add(start);
  while (stack.length > 0) {
    const id = stack.pop()!;
    for (const next of graph.get(id) ?? []) {
      if (graph.has(next) && !seen.has(next)) {
        seen.add(next);
        stack.push(next);
      }
    }
  }
  return seen;
}

export type Cycle = {
  /** The loop, closed: ["q1", "q2", "q1"]. */
  nodes: string[];
  /** The link that closes the loop: `from`'s `edgeIndex`-th target (into graph.get(from)). */
  from: string;
  edgeIndex: number;
};

/**
 * Every link that closes a loop (a DFS back edge), with the loop it closes. Searches from `roots`
 * first (so loops are named from the start of the case) and then from every other node.
 */
export function findCycles(graph: Graph, roots: readonly string[] = []): Cycle[] {
  const state = new Map<string, "open" | "done">();
  const cycles: Cycle[] = [];
  const order = [...roots.filter((r) => graph.has(r)), ...graph.keys()];

  for (const root of order) {
    if (state.has(root)) continue;
    // Iterative DFS: path holds the open nodes, each with the index of its next edge to try.
    const path: Array<{ id: string; edge: number }> = [{ id: root, edge: 0 }];
    state.set(root, "open");
    while (path.length > 0) {
      const frame = path[path.length - 1]!;
      const targets = graph.get(frame.id) ?? [];
      if (frame.edge >= targets.length) {
        state.set(frame.id, "done");
        path.pop();
        continue;
      }
      const edgeIndex = frame.edge++;
      const next = targets[edgeIndex]!;
      if (!graph.has(next)) continue;
      const nextState = state.get(next);
      if (nextState === "open") {
        const from = path.findIndex((f) => f.id === next);
        cycles.push({
          nodes: [...path.slice(from).map((f) => f.id), next],
          from: frame.id,
          edgeIndex,
        });
      } else if (nextState === undefined) {
        state.set(next, "open");
        path.push({ id: next, edge: 0 });
      }
    }
  }
  return cycles;
}

/**
 * Nodes reachable from `start`, each before every node it links to (reverse DFS post-order, so
 * deterministic for a given file). Undefined when a loop is reachable.
 */
export function topologicalOrder(graph: Graph, start: string): string[] | undefined {
  if (!graph.has(start)) return [];
  const state = new Map<string, "open" | "done">();
  const postOrder: string[] = [];
  const path: Array<{ id: string; edge: number }> = [{ id: start, edge: 0 }];
  state.set(start, "open");
  while (path.length > 0) {
    const frame = path[path.length - 1]!;
    const targets = graph.get(frame.id) ?? [];
    if (frame.edge >= targets.length) {
      state.set(frame.id, "done");
      postOrder.push(frame.id);
      path.pop();
      continue;
    }
    const next = targets[frame.edge++]!;
    if (!graph.has(next)) continue;
    const nextState = state.get(next);
    if (nextState === "open") return undefined;
    if (nextState === undefined) {
      state.set(next, "open");
      path.push({ id: next, edge: 0 });
    }
  }
  return postOrder.reverse();
}

/**
 * For every node reachable from `start`, the largest sum of `weight` over the nodes of any path
 * from it (the node itself included; a path ends where the graph does). Undefined when a loop is
 * reachable.
 */
export function longestPathsFrom(
  graph: Graph,
  start: string,
  weight: (id: string) => number,
): Map<string, number> | undefined {
  const order = topologicalOrder(graph, start);
  if (order === undefined) return undefined;
  const longestFrom = new Map<string, number>();
  for (let i = order.length - 1; i >= 0; i--) {
    const id = order[i]!;
    let best = 0;
    for (const next of graph.get(id) ?? []) {
      const fromNext = longestFrom.get(next);
      if (fromNext !== undefined && fromNext > best) best = fromNext;
    }
    longestFrom.set(id, weight(id) + best);
  }
  return longestFrom;
}

/**
 * The largest sum of `weight` over the nodes of any path from `start`. With weight 1 for
 * decisions this is the most decisions a learner can face. Undefined when a loop is reachable.
 */
export function longestPath(graph: Graph, start: string, weight: (id: string) => number): number | undefined {
  const longest = longestPathsFrom(graph, start, weight);
  return longest && (longest.get(start) ?? 0);
}

const isDecision = (caseFile: CaseFile) => (id: string) => (caseFile.nodes[id]?.kind === "decision" ? 1 : 0);

/**
 * For every node reachable from the start, the decisions on the longest path from it, its own
 * included: how many choices can still be ahead of a learner standing there.
 */
export function decisionsAhead(caseFile: CaseFile): Record<string, number> | undefined {
  const longest = longestPathsFrom(caseGraph(caseFile), caseFile.start, isDecision(caseFile));
  return longest && Object.fromEntries(longest);
}

/** Decisions on the longest path from the start (how many choices the longest play-through asks). */
export function longestDecisionPath(caseFile: CaseFile): number | undefined {
  return longestPath(caseGraph(caseFile), caseFile.start, isDecision(caseFile));
}
