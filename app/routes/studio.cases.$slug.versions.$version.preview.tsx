// A version's preview page (/studio/cases/:slug/versions/:version/preview), mounted a second time for a
// draft at /studio/drafts/:draftId/preview (remix.config.js): loadTargetPage takes either from the params.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { studioLinks } from "~/components/studio/links";
import { PreviewPage } from "~/components/studio/pages";
import { caseImageSizes } from "~/models/case-image.server";
import { loadTargetPage, previewData } from "~/models/studio-pages.server";
import { caseImageView } from "~/utils/case-image-view";

export const links = studioLinks;
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Vignette" }];

// Reads only: the preview's state is in the URL, and no attempt or completion is ever written.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { t, locale, target, header } = await loadTargetPage(request, params);
  const data = previewData(target, new URL(request.url), locale);
  // The node's image as the learner will see it, in the language previewed.
  const node = data ? target.caseFile?.nodes[data.preview.at] : undefined;
  const image =
    data && node && node.kind !== "reflection"
      ? caseImageView(node.image, data.preview.lang, await caseImageSizes(target.caseFile))
      : null;
  return { title: `${t("studio.preview.title")} · ${header.slug} · Vignette`, header, data, image };
}

export default function Preview() {
  const { header, data, image } = useLoaderData<typeof loader>();
  return <PreviewPage header={header} data={data} image={image} />;
}
