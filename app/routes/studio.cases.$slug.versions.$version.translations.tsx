// A version's translations page (/studio/cases/:slug/versions/:version/translations), mounted a second time for a
// draft at /studio/drafts/:draftId/translations (remix.config.js): loadTargetPage takes either from the params.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { studioLinks } from "~/components/studio/links";
import { TranslationsPage } from "~/components/studio/pages";
import { loadTargetPage, translationsData } from "~/models/studio-pages.server";

export const links = studioLinks;
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Vignette" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { t, target, header } = await loadTargetPage(request, params);
  const { rows, locales } = translationsData(target);
  return { title: `${t("studio.translations.title")} · ${header.slug} · Vignette`, header, rows, locales };
}

export default function Translations() {
  const { header, rows, locales } = useLoaderData<typeof loader>();
  return <TranslationsPage header={header} rows={rows} locales={locales} />;
}
