// Zoom, pan, fit and find for the studio graph, once JavaScript runs (without it the page shows the
// same SVG at actual size in its scrolling box, a "go to the start node" link and the node list).
// The zoom sets the SVGs' width and height (their viewBox stays), so the box's own scrollbars pan;
// nothing is drawn again. On load the start node is centred in the box.
import {
  useCallback,
  useEffect,
  useRef,
  useState,
  type FormEvent,
  type KeyboardEvent,
  type MouseEvent,
  type PointerEvent,
  type ReactNode,
} from "react";
import { useHydrated } from "~/components/use-hydrated";
import { useTranslation } from "~/i18n/react";
import type { DiagramNode } from "~/models/studio-view.server";

const MIN_ZOOM = 0.01;
const MAX_ZOOM = 4;
const STEP = 1.25;

const clamp = (zoom: number) => Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, zoom));

/** What the controls know of a node: where it is and what to find it by. */
export type GraphSpot = Pick<DiagramNode, "key" | "id" | "title" | "x" | "y" | "start">;

/** What the controls know of a diagram (a whole Diagram will do). */
type Extent = { width: number; height: number; nodes: readonly GraphSpot[] };

/** Nodes matching `query`: an exact id first, then ids containing it, then titles containing it. */
export function findNodes<N extends GraphSpot>(nodes: readonly N[], query: string): N[] {
  const q = query.trim().toLowerCase();
  if (!q) return [];
  const rank = (n: GraphSpot) =>
    n.id.toLowerCase() === q ? 0 : n.id.toLowerCase().includes(q) ? 1 : n.title.toLowerCase().includes(q) ? 2 : 3;
  return nodes
    .map((node) => ({ node, rank: rank(node) }))
    .filter((m) => m.rank < 3)
    .sort((a, b) => a.rank - b.rank)
    .map((m) => m.node);
}

/** The scrolling box of the diagram with its controls; `children(zoom)` draws the diagram at that zoom. */
export function GraphViewport({ diagram, children }: { diagram: Extent; children: (zoom: number) => ReactNode }) {
  // False while rendering on the server and hydrating, true after: the controls need JavaScript.
  const ready = useHydrated();
  const [zoom, setZoomState] = useState(1);
  const [status, setStatus] = useState("");
  const scrollRef = useRef<HTMLDivElement>(null);
  const zoomRef = useRef(1);
  const setZoom = (z: number) => {
    zoomRef.current = z;
    setZoomState(z);
  };
  const found = useRef<{ query: string; index: number }>({ query: "", index: -1 });
  const drag = useRef<{ x: number; y: number; left: number; top: number; moved: boolean } | null>(null);
  const { t } = useTranslation();

  /** Scrolls the box so the diagram point (x, y) is in its middle, at zoom `z`. */
  const centreOn = useCallback((x: number, y: number, z = zoomRef.current) => {
    const box = scrollRef.current;
    if (!box) return;
    box.scrollLeft = x * z - box.clientWidth / 2;
    box.scrollTop = y * z - box.clientHeight / 2;
  }, []);

  const start = diagram.nodes.find((n) => n.start);
  useEffect(() => {
    if (start) centreOn(start.x, start.y, 1);
    // Only on first display of this diagram.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [diagram]);

  /** Zooms to `next`, keeping the point at the box's middle where it is. */
  const zoomTo = useCallback(
    (next: number) => {
      const box = scrollRef.current;
      const z = zoomRef.current;
      const target = clamp(next);
      if (!box) return setZoom(target);
      const cx = (box.scrollLeft + box.clientWidth / 2) / z;
      const cy = (box.scrollTop + box.clientHeight / 2) / z;
      setZoom(target);
      // After React has resized the SVGs.
      requestAnimationFrame(() => centreOn(cx, cy, target));
    },
    [centreOn],
  );

  const fit = useCallback(() => {
    const box = scrollRef.current;
    if (!box || diagram.width === 0 || diagram.height === 0) return;
    zoomTo(Math.min(box.clientWidth / diagram.width, box.clientHeight / diagram.height));
  }, [diagram, zoomTo]);

  const toStart = useCallback(() => {
    if (start) centreOn(start.x, start.y);
  }, [start, centreOn]);

  const toStartClick = (event: MouseEvent) => {
    if (!scrollRef.current || !start) return;
    event.preventDefault();
    toStart();
    scrollRef.current.scrollIntoView({ block: "nearest" });
  };

  const find = (query: string) => {
    const matches = findNodes(diagram.nodes, query);
    const box = scrollRef.current;
    box?.querySelector(".graph-found")?.classList.remove("graph-found");
    if (matches.length === 0) {
      found.current = { query, index: -1 };
      setStatus(t("studio.graph.notFound", { query }));
      return;
    }
    // Finding again with the same words goes on to the next match.
    const index = found.current.query === query ? (found.current.index + 1) % matches.length : 0;
    found.current = { query, index };
    const node = matches[index]!;
    if (zoomRef.current < 0.5) setZoom(1);
    requestAnimationFrame(() => centreOn(node.x, node.y));
    box?.querySelector(`[data-node="${CSS.escape(node.key)}"]`)?.classList.add("graph-found");
    setStatus(t("studio.graph.found", { id: node.id, n: index + 1, count: matches.length }));
  };

  const scrollHandlers = {
    onKeyDown: (event: KeyboardEvent) => {
      if (event.key === "+" || event.key === "=") zoomTo(zoomRef.current * STEP);
      else if (event.key === "-" || event.key === "_") zoomTo(zoomRef.current / STEP);
      else return;
      event.preventDefault();
    },
    // Drag to pan; a drag that started on a link does not follow it.
    onPointerDown: (event: PointerEvent) => {
      const box = scrollRef.current;
      if (!box || event.button !== 0) return;
      drag.current = { x: event.clientX, y: event.clientY, left: box.scrollLeft, top: box.scrollTop, moved: false };
    },
    onPointerMove: (event: PointerEvent) => {
      const box = scrollRef.current;
      const d = drag.current;
      if (!box || !d) return;
      const dx = event.clientX - d.x;
      const dy = event.clientY - d.y;
      if (!d.moved && Math.abs(dx) + Math.abs(dy) < 5) return;
      if (!d.moved) box.setPointerCapture(event.pointerId);
      d.moved = true;
      box.scrollLeft = d.left - dx;
      box.scrollTop = d.top - dy;
    },
    onPointerUp: () => {
      const moved = drag.current?.moved;
      drag.current = null;
      if (moved) {
        const stop = (e: Event) => e.preventDefault();
        scrollRef.current?.addEventListener("click", stop, { capture: true, once: true });
        setTimeout(() => scrollRef.current?.removeEventListener("click", stop, { capture: true }), 0);
      }
    },
    onPointerCancel: () => {
      drag.current = null;
    },
  };

  const view = { zoom, status, zoomTo, fit, toStart, find };
  return (
    <>
      {start ? (
        <p>
          <a href="#graph-start" onClick={toStartClick}>
            ▶ {t("studio.graph.toStart")}
          </a>
        </p>
      ) : null}
      {ready ? <GraphTools view={view} /> : null}
      <div
        className="graph-scroll"
        tabIndex={0}
        aria-label={t("studio.graph.scrollLabel")}
        role="region"
        ref={scrollRef}
        {...scrollHandlers}
      >
        {children(zoom)}
      </div>
    </>
  );
}

type GraphView = {
  zoom: number;
  status: string;
  zoomTo: (zoom: number) => void;
  fit: () => void;
  toStart: () => void;
  find: (query: string) => void;
};

function GraphTools({ view }: { view: GraphView }) {
  const { t } = useTranslation();
  const [query, setQuery] = useState("");
  const percent = new Intl.NumberFormat(undefined, { style: "percent", maximumFractionDigits: 1 }).format(view.zoom);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    view.find(query);
  };
  return (
    <div className="graph-tools" role="group" aria-label={t("studio.graph.toolsLabel")}>
      <button type="button" onClick={() => view.zoomTo(view.zoom / STEP)} aria-label={t("studio.graph.zoomOut")}>
        −
      </button>
      <output aria-live="polite">{t("studio.graph.zoomLevel", { percent })}</output>
      <button type="button" onClick={() => view.zoomTo(view.zoom * STEP)} aria-label={t("studio.graph.zoomIn")}>
        +
      </button>
      <button type="button" onClick={view.fit}>
        {t("studio.graph.fit")}
      </button>
      <button type="button" onClick={() => view.zoomTo(1)}>
        {t("studio.graph.actualSize")}
      </button>
      <button type="button" onClick={view.toStart}>
        {t("studio.graph.toStart")}
      </button>
      <form role="search" onSubmit={submit} className="graph-find">
        <label htmlFor="graph-find">{t("studio.graph.findLabel")}</label>
        <input id="graph-find" type="search" value={query} onChange={(e) => setQuery(e.target.value)} />
        <button type="submit">{t("studio.graph.findButton")}</button>
        <span role="status" className="graph-find-status">
          {view.status}
        </span>
      </form>
      <p className="muted graph-hint">{t("studio.graph.panHint")}</p>
    </div>
  );
}
