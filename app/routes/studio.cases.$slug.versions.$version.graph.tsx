// A version's graph page (/studio/cases/:slug/versions/:version/graph), mounted a second time for a
// draft at /studio/drafts/:draftId/graph (remix.config.js): loadTargetPage takes either from the params.
import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { studioLinks } from "~/components/studio/links";
import { GraphPage } from "~/components/studio/pages";
import { graphPicture, loadTargetPage } from "~/models/studio-pages.server";
import { keepForDocument } from "~/utils/prerendered.server";
import { busyHeaders, busyInit } from "~/utils/workers.server";

export const links = studioLinks;
// A full layout queue answers 503; its Retry-After reaches the browser.
export const headers = busyHeaders;
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Vignette" }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { t, locale, target, header } = await loadTargetPage(request, params);
  const graph = await graphPicture(target, locale, target.caseFile !== null ? `${header.base}/preview` : null);
  // The drawing, links and list go into the document as kept markup, not through loader data.
  if (graph.ok) for (const [id, html] of graph.value?.markup ?? []) keepForDocument(context, id, html);
  return data(
    {
      title: `${t("studio.graph.title")} · ${header.slug} · Vignette`,
      header,
      picture: graph.ok ? (graph.value?.picture ?? null) : null,
      busy: !graph.ok,
    },
    graph.ok ? undefined : busyInit,
  );
}

export default function Graph() {
  const { header, picture, busy } = useLoaderData<typeof loader>();
  return <GraphPage header={header} picture={picture} busy={busy} />;
}
