import { describe, expect, it } from "vitest";
import { caseGraph, findCycles, longestDecisionPath, longestPath, reachableFrom, topologicalOrder } from "./graph";
import { baseCase, mutateCase } from "./test-fixtures";

const graphOf = (edges: Record<string, string[]>) => new Map(Object.entries(edges));

describe("graph helpers", () => {
  it("builds the case graph, dropping links to missing nodes", () => {
    const graph = caseGraph(mutateCase((c) => (c.nodes.q2.choices[1].next = "gone")));
    expect(graph.get("q1")).toEqual(["q2", "q2", "q2"]);
    expect(graph.get("q2")).toEqual(["reflect"]);
    expect(graph.get("end")).toEqual([]);
  });

  it("finds what is reachable", () => {
    const graph = graphOf({ a: ["b"], b: [], c: ["a"] });
    expect([...reachableFrom(graph, "a")].sort()).toEqual(["a", "b"]);
    expect(reachableFrom(graph, "zz").size).toBe(0);
  });

  it("names each loop from the root", () => {
    const graph = graphOf({ a: ["b"], b: ["c", "d"], c: ["a"], d: ["d"], e: ["f"], f: ["e"] });
    expect(findCycles(graph, ["a"])).toEqual([
      { nodes: ["a", "b", "c", "a"], from: "c", edgeIndex: 0 },
      { nodes: ["d", "d"], from: "d", edgeIndex: 0 },
      { nodes: ["e", "f", "e"], from: "f", edgeIndex: 0 },
    ]);
    expect(findCycles(graphOf({ a: ["b", "c"], b: ["c"], c: [] }), ["a"])).toEqual([]);
  });

  it("orders reachable nodes topologically, or says it cannot", () => {
    const graph = graphOf({ a: ["c", "b"], b: ["c"], c: [], z: ["a"] });
    expect(topologicalOrder(graph, "a")).toEqual(["a", "b", "c"]);
    expect(topologicalOrder(graphOf({ a: ["b"], b: ["a"] }), "a")).toBeUndefined();
  });

  it("measures the longest path by weight", () => {
    const graph = graphOf({ a: ["b", "e"], b: ["c"], c: ["e"], e: [] });
    expect(longestPath(graph, "a", () => 1)).toBe(4);
    expect(longestPath(graph, "a", (id) => (id === "e" ? 5 : 0))).toBe(5);
    expect(longestDecisionPath(baseCase())).toBe(2);
  });

  it("handles a deep chain without recursion", () => {
    const edges: Record<string, string[]> = {};
    for (let i = 0; i < 50_000; i++) edges[`n${i}`] = i === 49_999 ? [] : [`n${i + 1}`];
    const graph = graphOf(edges);
    expect(findCycles(graph, ["n0"])).toEqual([]);
    expect(longestPath(graph, "n0", () => 1)).toBe(50_000);
  });
});
