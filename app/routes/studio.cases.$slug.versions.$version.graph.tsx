// A version's graph page (/studio/cases/:slug/versions/:version/graph), mounted a second time for a
// draft at /studio/drafts/:draftId/graph (remix.config.js): loadTargetPage takes either from the params.
import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { studioLinks } from "~/components/studio/links";
import { GraphPage } from "~/components/studio/pages";
import { graphData, loadTargetPage } from "~/models/studio-pages.server";
import { busyHeaders, busyInit } from "~/utils/workers.server";

export const links = studioLinks;
// A full layout queue answers 503; its Retry-After reaches the browser.
export const headers = busyHeaders;
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Vignette" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { t, locale, target, header } = await loadTargetPage(request, params);
  const graph = await graphData(target, locale);
  return data(
    {
      title: `${t("studio.graph.title")} · ${header.slug} · Vignette`,
      header,
      diagram: graph.ok ? graph.value : null,
      busy: !graph.ok,
      playable: target.caseFile !== null,
    },
    graph.ok ? undefined : busyInit,
  );
}

export default function Graph() {
  const { header, diagram, busy, playable } = useLoaderData<typeof loader>();
  return <GraphPage header={header} diagram={diagram} busy={busy} playable={playable} />;
}
