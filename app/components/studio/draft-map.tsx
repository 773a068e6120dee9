// The map of a draft in the visual editor: the case graph as the graph page draws it (laid out on
// the server, from the last saved text, so 850 nodes never block the page), with the node being
// edited outlined and nodes with errors marked. Clicking a node edits it; the node list beside the
// form is the same choice for the keyboard.
import { useEffect, useState } from "react";
import { useTranslation } from "~/i18n/react";
import type { Diagram } from "~/models/studio-view.server";
import { GraphDrawing, Shape } from "./case-graph";
import { GraphViewport } from "./graph-view";

export function DraftMap({
  draftId,
  revision,
  selected,
  problems,
  onSelect,
}: {
  draftId: string;
  /** The saved revision the map shows; a new one is fetched after each save. */
  revision: number;
  selected: string | null;
  problems: ReadonlySet<string>;
  onSelect: (id: string) => void;
}) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(true);
  const [diagram, setDiagram] = useState<Diagram | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    if (!open) return;
    const controller = new AbortController();
    fetch(`/studio/drafts/${encodeURIComponent(draftId)}/diagram?revision=${revision}`, { signal: controller.signal })
      .then(async (response) => {
        if (!response.ok) throw new Error(String(response.status));
        const body = (await response.json()) as { diagram: Diagram | null };
        setDiagram(body.diagram);
        setFailed(false);
      })
      .catch((error: unknown) => {
        if (!controller.signal.aborted) {
          setFailed(true);
          console.warn("map not loaded", error);
        }
      });
    return () => controller.abort();
  }, [draftId, revision, open]);
  const marked = diagram ? diagram.nodes.filter((n) => n.id === selected || problems.has(n.id)) : [];
  return (
    <details
      className="panel draft-map"
      open={open}
      onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}
    >
      <summary>{t("editor.map.heading")}</summary>
      <p className="hint">{t("editor.map.hint")}</p>
      {failed ? <p role="status">{t("editor.map.failed")}</p> : null}
      {diagram && diagram.nodes.length === 0 ? <p>{t("editor.map.empty")}</p> : null}
      {diagram && diagram.nodes.length > 0 ? (
        <GraphViewport diagram={diagram}>
          {(zoom) => (
            // A click on a node edits it; the keyboard has the node list for the same thing.
            // eslint-disable-next-line jsx-a11y/click-events-have-key-events, jsx-a11y/no-static-element-interactions
            <div
              className="graph-canvas"
              onClick={(e) => {
                const hit = (e.target as Element).closest("[data-node]");
                const key = hit?.getAttribute("data-node");
                if (key?.startsWith("n:")) onSelect(key.slice(2));
              }}
            >
              <svg
                className="case-graph"
                width={diagram.width * zoom}
                height={diagram.height * zoom}
                viewBox={`0 0 ${diagram.width} ${diagram.height}`}
                role="img"
                aria-label={t("editor.map.imageLabel")}
              >
                <GraphDrawing diagram={diagram} />
                {marked.map((node) => (
                  <g
                    key={node.key}
                    className={node.id === selected ? "map-selected" : "map-problem"}
                    data-node={node.key}
                  >
                    <Shape node={{ ...node, width: node.width + 12, height: node.height + 12 }} className="map-mark" />
                    {problems.has(node.id) ? (
                      <text x={node.x + node.width / 2 - 4} y={node.y - node.height / 2 + 4} className="map-flag">
                        ✕
                      </text>
                    ) : null}
                  </g>
                ))}
              </svg>
            </div>
          )}
        </GraphViewport>
      ) : null}
    </details>
  );
}
