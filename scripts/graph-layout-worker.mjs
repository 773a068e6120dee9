// The worker entry of the layout pool (app/utils/workers.server.ts): runs the engine's pure dagre
// layout (app/engine/graph-layout.ts) and renders the graph page's markup
// (app/components/studio/graph-markup.server.tsx) on a worker thread, so a large graph never holds
// the event loop every request waits on. A plain .mjs file outside the Remix build, so the same file serves
// the production server (build/index.js), `npm run bench` (tsx) and vitest alike; it loads the
// engine's TypeScript source through tsx's API (tsx is a runtime dependency: `npm start` runs it,
// and the sources are deployed since `npm start` builds from them). Loaded once per worker thread.
import { tsImport } from "tsx/esm/api";

/** @type {Promise<typeof import("../app/engine/graph-layout.ts")> | undefined} */
let engine;
/** @type {Promise<typeof import("../app/components/studio/graph-markup.server.tsx")> | undefined} */
let components;

/** @param {{ nodes: unknown[]; edges: unknown[]; options?: object }} task */
export async function layout(task) {
  engine ??= tsImport("../app/engine/graph-layout.ts", import.meta.url);
  const { layoutGraph } = await engine;
  return layoutGraph(task.nodes, task.edges, task.options);
}

/** @param {{ diagram: any; previewBase: string | null; locale: any }} task */
export async function markup(task) {
  components ??= tsImport("../app/components/studio/graph-markup.server.tsx", import.meta.url);
  const { renderGraphMarkup } = await components;
  return renderGraphMarkup(task.diagram, task.previewBase, task.locale);
}
