/**
 * Automatic layout of a directed graph (a case's decision tree) with dagre: positions for boxes
 * and the polyline of each edge, ready to draw as SVG. Pure: no DOM, no I/O.
 */
import dagre from "@dagrejs/dagre";

export type LayoutNodeInput = { id: string; width: number; height: number };
export type LayoutEdgeInput = { id: string; from: string; to: string; labelWidth?: number; labelHeight?: number };

export type Point = { x: number; y: number };
/** x and y are the centre of the box. */
export type PositionedNode = LayoutNodeInput & Point;
export type PositionedEdge = { id: string; from: string; to: string; points: Point[]; label: Point | null };
export type GraphLayout = { width: number; height: number; nodes: PositionedNode[]; edges: PositionedEdge[] };

export type LayoutOptions = { direction?: "TB" | "LR"; nodeSep?: number; rankSep?: number; margin?: number };

export function layoutGraph(
  nodes: readonly LayoutNodeInput[],
  edges: readonly LayoutEdgeInput[],
  options: LayoutOptions = {},
): GraphLayout {
  const margin = options.margin ?? 24;
  // A multigraph: two choices of one decision may lead to the same node and each needs its own line.
  const g = new dagre.graphlib.Graph({ multigraph: true, directed: true });
  g.setGraph({
    rankdir: options.direction ?? "TB",
    nodesep: options.nodeSep ?? 36,
    ranksep: options.rankSep ?? 64,
    edgesep: 16,
    marginx: margin,
    marginy: margin,
  });
  g.setDefaultEdgeLabel(() => ({}));
  const known = new Set<string>();
  for (const node of nodes) {
    g.setNode(node.id, { width: node.width, height: node.height });
    known.add(node.id);
  }
  const drawn = edges.filter((e) => known.has(e.from) && known.has(e.to));
  for (const edge of drawn) {
    g.setEdge(
      edge.from,
      edge.to,
      { width: edge.labelWidth ?? 0, height: edge.labelHeight ?? 0, labelpos: "c" },
      edge.id,
    );
  }
  dagre.layout(g);
  const graph = g.graph() as { width?: number; height?: number };
  return {
    width: Math.ceil(graph.width ?? 0),
    height: Math.ceil(graph.height ?? 0),
    nodes: nodes.map((node) => {
      const placed = g.node(node.id) as { x: number; y: number };
      return { ...node, x: placed.x, y: placed.y };
    }),
    edges: drawn.map((edge) => {
      const placed = g.edge({ v: edge.from, w: edge.to, name: edge.id }) as {
        points?: Point[];
        x?: number;
        y?: number;
        width?: number;
      };
      const label =
        edge.labelWidth && placed.x !== undefined && placed.y !== undefined ? { x: placed.x, y: placed.y } : null;
      return { id: edge.id, from: edge.from, to: edge.to, points: placed.points ?? [], label };
    }),
  };
}
