// A version's preview page (/studio/cases/:slug/versions/:version/preview), mounted a second time for a
// draft at /studio/drafts/:draftId/preview (remix.config.js): loadTargetPage takes either from the params.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { studioLinks } from "~/components/studio/links";
import { PreviewPage } from "~/components/studio/pages";
import { loadTargetPage, previewData } from "~/models/studio-pages.server";

export const links = studioLinks;
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Vignette" }];

// Reads only: the preview's state is in the URL, and no attempt or completion is ever written.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { t, locale, target, header } = await loadTargetPage(request, params);
  return {
    title: `${t("studio.preview.title")} · ${header.slug} · Vignette`,
    header,
    data: previewData(target, new URL(request.url), locale),
  };
}

export default function Preview() {
  const { header, data } = useLoaderData<typeof loader>();
  return <PreviewPage header={header} data={data} />;
}
