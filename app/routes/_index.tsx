import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requestI18n } from "~/utils/i18n.server";
import { getCurrentSession } from "~/utils/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Vignette" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const session = await getCurrentSession(request);
  const { t } = await requestI18n(request, session);
  return { title: `Vignette — ${t("app.tagline")}`, signedIn: Boolean(session) };
}

export default function Index() {
  const { t } = useTranslation();
  const { signedIn } = useLoaderData<typeof loader>();
  return (
    <section className="hero">
      <h1>{t("home.title")}</h1>
      <p>{t("home.intro")}</p>
      <p className="actions">
        <Link className="button" to="/cases">
          {t("home.browse")}
        </Link>
        {signedIn ? null : <Link to="/join">{t("home.getStarted")}</Link>}
      </p>
    </section>
  );
}
