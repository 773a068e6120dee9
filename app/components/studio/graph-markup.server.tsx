// The graph page's heavy markup (drawing, preview links, node list) rendered to strings by React,
// from the same components as everywhere else: content reaches it only through React's escaping.
// Pure (no I/O), so the layout worker runs it (scripts/graph-layout-worker.mjs); the page keeps the
// result per version and language (models/studio-pages.server.ts, docs/decisions/027).
import { renderToStaticMarkup } from "react-dom/server";
import type { Locale } from "~/i18n";
import { TranslationProvider } from "~/i18n/react";
import type { Diagram } from "~/models/studio-view.server";
import { GraphDrawing, GraphLinks, GraphList, type GraphMarkup } from "./case-graph";

function render(locale: Locale, element: JSX.Element): string {
  return renderToStaticMarkup(<TranslationProvider locale={locale}>{element}</TranslationProvider>);
}

/** The graph page's markup for `diagram`; links to the preview at `previewBase` when the case is playable. */
export function renderGraphMarkup(diagram: Diagram, previewBase: string | null, locale: Locale): GraphMarkup {
  const linked = previewBase !== null && diagram.nodes.some((n) => n.kind !== "missing" && n.reachable);
  return {
    drawing: render(locale, <GraphDrawing diagram={diagram} />),
    links: linked ? render(locale, <GraphLinks diagram={diagram} previewBase={previewBase} />) : null,
    list: render(locale, <GraphList diagram={diagram} />),
  };
}
