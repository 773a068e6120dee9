import { describe, expect, it } from "vitest";
import { layoutGraph } from "./graph-layout";

describe("layoutGraph", () => {
  it("places every node without overlap and routes each edge, parallel edges included", () => {
    const nodes = ["a", "b", "c", "d"].map((id) => ({ id, width: 120, height: 40 }));
    const edges = [
      { id: "a>b:1", from: "a", to: "b", labelWidth: 30, labelHeight: 14 },
      { id: "a>b:2", from: "a", to: "b", labelWidth: 30, labelHeight: 14 },
      { id: "a>c", from: "a", to: "c" },
      { id: "b>d", from: "b", to: "d" },
      { id: "c>d", from: "c", to: "d" },
      { id: "c>ghost", from: "c", to: "ghost" },
    ];
    const layout = layoutGraph(nodes, edges);
    expect(layout.nodes).toHaveLength(4);
    expect(layout.edges.map((e) => e.id)).toEqual(["a>b:1", "a>b:2", "a>c", "b>d", "c>d"]);
    for (const edge of layout.edges) expect(edge.points.length).toBeGreaterThanOrEqual(2);
    expect(layout.edges[0]!.label).not.toBeNull();
    const byId = new Map(layout.nodes.map((n) => [n.id, n]));
    // Top to bottom: a child is below its parent.
    expect(byId.get("b")!.y).toBeGreaterThan(byId.get("a")!.y);
    expect(byId.get("d")!.y).toBeGreaterThan(byId.get("b")!.y);
    for (const n of layout.nodes) {
      for (const m of layout.nodes) {
        if (n === m) continue;
        const apart =
          Math.abs(n.x - m.x) >= (n.width + m.width) / 2 || Math.abs(n.y - m.y) >= (n.height + m.height) / 2;
        expect(apart).toBe(true);
      }
      expect(n.x - n.width / 2).toBeGreaterThanOrEqual(0);
      expect(n.x + n.width / 2).toBeLessThanOrEqual(layout.width);
    }
  });

  it("lays out a 50-node chain with branches in well under a second", () => {
    const nodes = Array.from({ length: 50 }, (_, i) => ({ id: `n${i}`, width: 160, height: 48 }));
    const edges = nodes.slice(1).flatMap((n, i) => [{ id: `e${i}a`, from: `n${Math.floor(i / 2)}`, to: n.id }]);
    const started = Date.now();
    const layout = layoutGraph(nodes, edges);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(layout.nodes).toHaveLength(50);
    expect(layout.width).toBeGreaterThan(0);
  });
});
