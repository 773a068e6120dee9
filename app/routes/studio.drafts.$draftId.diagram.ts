// The laid-out graph of a draft's saved text, as JSON, for the visual editor's map. The layout runs
// on the worker pool with its cache, like the graph page's.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { graphData, loadTargetPage } from "~/models/studio-pages.server";
import { busyInit } from "~/utils/workers.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { locale, target } = await loadTargetPage(request, { draftId: params.draftId });
  const graph = await graphData(target, locale);
  if (!graph.ok) return Response.json({ diagram: null }, busyInit);
  return Response.json({ diagram: graph.value }, { headers: { "Cache-Control": "private, no-store" } });
}
