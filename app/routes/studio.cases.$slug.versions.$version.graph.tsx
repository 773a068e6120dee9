import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { studioLinks } from "~/components/studio/links";
import { GraphPage } from "~/components/studio/pages";
import { graphData, loadTargetPage } from "~/models/studio-pages.server";

export const links = studioLinks;
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Vignette" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { t, locale, target, header } = await loadTargetPage(request, { slug: params.slug, version: params.version });
  return {
    title: `${t("studio.graph.title")} · ${header.slug} · Vignette`,
    header,
    diagram: graphData(target, locale),
    playable: target.caseFile !== null,
  };
}

export default function Graph() {
  const { header, diagram, playable } = useLoaderData<typeof loader>();
  return <GraphPage header={header} diagram={diagram} playable={playable} />;
}
