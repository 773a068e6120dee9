import { memo } from "react";
import { Prerendered } from "~/components/prerendered";
import { useTranslation } from "~/i18n/react";
import type { Diagram, DiagramEdge, DiagramNode } from "~/models/studio-view.server";
import { GraphViewport, type GraphSpot } from "./graph-view";

// The decision tree as server-rendered SVG (works without JavaScript). Kinds differ by shape, and
// problems by pattern and words, never by colour alone; a list below says the same in text.
// On the graph page the drawing, its links and the node list (~15,000 elements at 850 nodes) are
// markup rendered once per version and language on a worker thread (./graph-markup.server.tsx) and
// kept (docs/decisions/027): React rendering them on every request held the event loop ~200 ms.

function pathOf(points: DiagramEdge["points"]): string {
  return points.map((p, i) => `${i === 0 ? "M" : "L"}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(" ");
}

export function Shape({
  node,
  className,
}: {
  node: Pick<DiagramNode, "kind" | "x" | "y" | "width" | "height">;
  className: string;
}) {
  const { x, y, width: w, height: h, kind } = node;
  const left = x - w / 2;
  const top = y - h / 2;
  if (kind === "decision") {
    return <polygon className={className} points={`${x},${top} ${left + w},${y} ${x},${top + h} ${left},${y}`} />;
  }
  if (kind === "reflection") return <rect className={className} x={left} y={top} width={w} height={h} rx={h / 2} />;
  if (kind === "outcome") {
    return (
      <g>
        <rect className={className} x={left} y={top} width={w} height={h} rx={2} />
        <rect className="graph-inner" x={left + 5} y={top + 5} width={w - 10} height={h - 10} rx={2} fill="none" />
      </g>
    );
  }
  return <rect className={className} x={left} y={top} width={w} height={h} rx={kind === "scene" ? 4 : 0} />;
}

function nodeClass(node: DiagramNode): string {
  const classes = ["graph-node", `graph-${node.kind}`];
  if (!node.reachable && node.kind !== "missing") classes.push("graph-unreachable");
  if (node.start) classes.push("graph-start");
  return classes.join(" ");
}

export function GraphLegend() {
  const { t } = useTranslation();
  const sample = (kind: DiagramNode["kind"]) => ({
    kind,
    x: 30,
    y: 16,
    width: kind === "decision" ? 44 : 52,
    height: kind === "decision" ? 28 : 24,
  });
  const items: Array<{ key: string; label: string; el: JSX.Element }> = [
    ...(["scene", "decision", "reflection", "outcome"] as const).map((kind) => ({
      key: kind,
      label: t(`studio.graph.kind.${kind}`),
      el: (
        <g className={`graph-node graph-${kind}`}>
          <Shape node={sample(kind)} className="graph-shape" />
        </g>
      ),
    })),
    {
      key: "unreachable",
      label: t("studio.graph.legend.unreachable"),
      el: (
        <g className="graph-node graph-scene graph-unreachable">
          <Shape node={sample("scene")} className="graph-shape" />
          <Shape node={sample("scene")} className="graph-hatched" />
        </g>
      ),
    },
    {
      key: "missing",
      label: t("studio.graph.legend.missing"),
      el: (
        <g className="graph-node graph-missing">
          <Shape node={sample("missing")} className="graph-shape" />
          <Shape node={sample("missing")} className="graph-hatched" />
        </g>
      ),
    },
    {
      key: "critical",
      label: t("studio.graph.legend.critical"),
      el: (
        <g>
          <path className="graph-edge graph-edge-critical" d="M4,16 L56,16" />
          <text x="30" y="12" className="graph-edge-label" textAnchor="middle">
            ✕
          </text>
        </g>
      ),
    },
    {
      key: "edge",
      label: t("studio.graph.legend.edge"),
      el: <path className="graph-edge" d="M4,16 L56,16" markerEnd="url(#arrow)" />,
    },
  ];
  return (
    <section aria-labelledby="legend-heading" className="graph-legend">
      <h2 id="legend-heading">{t("studio.graph.legend.heading")}</h2>
      <ul>
        {items.map((item) => (
          <li key={item.key}>
            <svg width="60" height="32" viewBox="0 0 60 32" aria-hidden="true" focusable="false">
              {item.el}
            </svg>
            <span>{item.label}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The SVG content: memoized, so zooming (the outer svg's size) does not re-render 2,000 elements. */
export const GraphDrawing = memo(function GraphDrawing({ diagram }: { diagram: Diagram }) {
  const { t } = useTranslation();
  const kindLabel = (kind: DiagramNode["kind"]) => t(`studio.graph.kind.${kind}`);
  return (
    <>
      <defs>
        <marker
          id="arrow"
          viewBox="0 0 10 10"
          refX="9"
          refY="5"
          markerUnits="userSpaceOnUse"
          markerWidth="10"
          markerHeight="10"
          orient="auto-start-reverse"
        >
          <path d="M0,0 L10,5 L0,10 z" className="graph-arrow" />
        </marker>
        <pattern id="hatch" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
          <line x1="0" y1="0" x2="0" y2="8" className="graph-hatch" />
        </pattern>
      </defs>
      <g>
        {diagram.edges.map((edge) => (
          <path
            key={edge.key}
            d={pathOf(edge.points)}
            className={edge.critical ? "graph-edge graph-edge-critical" : "graph-edge"}
            markerEnd="url(#arrow)"
          />
        ))}
      </g>
      <g>
        {diagram.edges.map((edge) =>
          edge.labelAt && edge.label ? (
            <g key={edge.key} className={edge.critical ? "graph-edge-tag graph-edge-tag-critical" : "graph-edge-tag"}>
              <rect
                x={edge.labelAt.x - (edge.label.length * 7.5 + (edge.critical ? 28 : 14)) / 2}
                y={edge.labelAt.y - 10}
                width={edge.label.length * 7.5 + (edge.critical ? 28 : 14)}
                height={20}
                rx={3}
              />
              <text x={edge.labelAt.x} y={edge.labelAt.y + 4} textAnchor="middle" className="graph-edge-label">
                {edge.critical ? `✕ ${edge.label}` : edge.label}
              </text>
            </g>
          ) : null,
        )}
      </g>
      <g>
        {diagram.nodes.map((node) => {
          const top = node.y - node.height / 2;
          const lines = [
            node.id,
            node.kind === "missing"
              ? t("studio.graph.missingNode")
              : kindLabel(node.kind) + (!node.reachable ? ` · ${t("studio.graph.unreachable")}` : ""),
            node.title,
          ].filter(Boolean);
          const first = node.y - ((lines.length - 1) * 16) / 2 + 4;
          return (
            <g
              key={node.key}
              className={nodeClass(node)}
              data-node={node.key}
              id={node.start ? "graph-start" : undefined}
            >
              <Shape node={node} className="graph-shape" />
              {!node.reachable ? <Shape node={node} className="graph-hatched" /> : null}
              {node.start ? (
                <text x={node.x - node.width / 2} y={top - 6} className="graph-start-label">
                  ▶ {t("studio.graph.start")}
                </text>
              ) : null}
              <text x={node.x} y={first} textAnchor="middle" className="graph-node-text">
                {lines.map((line, i) => (
                  <tspan key={i} x={node.x} dy={i === 0 ? 0 : 16} className={i === 0 ? "graph-node-id" : undefined}>
                    {line}
                  </tspan>
                ))}
              </text>
            </g>
          );
        })}
      </g>
    </>
  );
});

/** The preview links over the drawing: one per reachable node (markup of the graph page). */
export function GraphLinks({ diagram, previewBase }: { diagram: Diagram; previewBase: string }) {
  const { t } = useTranslation();
  return (
    <>
      {diagram.nodes
        .filter((n) => n.kind !== "missing" && n.reachable)
        .map((node) => (
          <a
            key={node.key}
            href={`${previewBase}?from=${encodeURIComponent(node.id)}&at=${encodeURIComponent(node.id)}`}
          >
            <title>{t("studio.graph.openPreview", { id: node.id })}</title>
            <Shape node={node} className="graph-hit" />
          </a>
        ))}
    </>
  );
}

/** The same graph in words: each node with where its choices lead (markup of the graph page). */
export function GraphList({ diagram }: { diagram: Diagram }) {
  const { t } = useTranslation();
  const kindLabel = (kind: DiagramNode["kind"]) => t(`studio.graph.kind.${kind}`);
  const real = diagram.nodes.filter((n) => n.kind !== "missing");
  // Indexed once: at ~850 nodes a filter per node (and a scan per link) is millions of steps per render.
  const edgesFrom = new Map<string, DiagramEdge[]>();
  for (const e of diagram.edges) {
    const list = edgesFrom.get(e.from);
    if (list) list.push(e);
    else edgesFrom.set(e.from, [e]);
  }
  const outgoing = (id: string) => edgesFrom.get(id) ?? [];
  const realIds = new Set(real.map((n) => n.id));
  return (
    <>
      {real.map((node) => (
        <li key={node.key} id={`node-${node.id}`}>
          <strong>{node.id}</strong> — {kindLabel(node.kind)}
          {node.start ? ` · ${t("studio.graph.start")}` : ""}
          {!node.reachable ? <strong className="flag"> · ⚠ {t("studio.graph.unreachable")}</strong> : null}
          {node.title ? <span className="muted"> · {node.title}</span> : null}
          {outgoing(node.id).length > 0 ? (
            <ul>
              {outgoing(node.id).map((edge) => (
                <li key={edge.key}>
                  {edge.choiceId
                    ? `${t("studio.graph.choice", { id: edge.choiceId })} → `
                    : `${t("studio.graph.next")} → `}
                  {realIds.has(edge.to) ? (
                    <a href={`#node-${edge.to}`}>{edge.to}</a>
                  ) : (
                    <strong className="flag">
                      {edge.to} ({t("studio.graph.missingNode")})
                    </strong>
                  )}
                  {edge.critical ? <strong className="flag"> · ✕ {t("studio.graph.critical")}</strong> : null}
                </li>
              ))}
            </ul>
          ) : null}
        </li>
      ))}
    </>
  );
}

/** The counts the graph page states above the drawing. */
export type GraphCounts = { nodes: number; outcomes: number; critical: number; unreachable: number; missing: number };

export function graphCounts(diagram: Diagram): GraphCounts {
  const real = diagram.nodes.filter((n) => n.kind !== "missing");
  return {
    nodes: real.length,
    outcomes: real.filter((n) => n.kind === "outcome").length,
    critical: diagram.edges.filter((e) => e.critical).length,
    unreachable: real.filter((n) => !n.reachable).length,
    missing: diagram.nodes.length - real.length,
  };
}

/** Markup rendered by React from the components above (./graph-markup.server.tsx), never from content. */
export type GraphMarkup = { drawing: string; links: string | null; list: string };

/**
 * What the graph page draws: the node positions the zoom, fit and find controls use, and the ids
 * of the elements whose markup the server keeps for the document (../prerendered.tsx).
 */
export type GraphPicture = {
  width: number;
  height: number;
  nodes: GraphSpot[];
  counts: GraphCounts;
  ids: { drawing: string; links: string | null; list: string };
};

export function CaseGraph({ picture }: { picture: GraphPicture }) {
  const { t } = useTranslation();
  const { width, height, ids } = picture;
  const summary = t("studio.graph.summary", picture.counts);
  return (
    <>
      <p>{summary}</p>
      <GraphViewport diagram={picture}>
        {(zoom) => (
          <div className="graph-canvas">
            <svg
              className="case-graph"
              width={width * zoom}
              height={height * zoom}
              viewBox={`0 0 ${width} ${height}`}
              role="img"
              aria-labelledby="graph-title graph-desc"
            >
              <title id="graph-title">{t("studio.graph.imageTitle")}</title>
              <desc id="graph-desc">{`${summary} ${t("studio.graph.seeList")}`}</desc>
              {/* Zooming resizes the svg only: the drawing is never written again. */}
              <Prerendered as="g" id={ids.drawing} />
            </svg>
            {ids.links !== null ? (
              // The links to the preview lie over the drawing in an SVG of their own: inside the
              // role="img" picture they would be controls nested in an image (axe: nested-interactive).
              <svg
                className="case-graph-links"
                width={width * zoom}
                height={height * zoom}
                viewBox={`0 0 ${width} ${height}`}
                aria-label={t("studio.graph.linksLabel")}
              >
                <Prerendered as="g" id={ids.links} />
              </svg>
            ) : null}
          </div>
        )}
      </GraphViewport>
      <GraphLegend />
      <section aria-labelledby="graph-list-heading">
        <h2 id="graph-list-heading">{t("studio.graph.listHeading")}</h2>
        <Prerendered as="ol" id={ids.list} className="graph-list" />
      </section>
    </>
  );
}
