// /account-closed — where closing an account lands, signed out. Says the same to anyone: it holds
// nothing about the person.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link } from "@remix-run/react";
import { useTranslation } from "~/i18n/react";
import { requestI18n } from "~/utils/i18n.server";
import { getCurrentSession } from "~/utils/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Vignette" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { t } = await requestI18n(request, await getCurrentSession(request));
  return { title: `${t("auth.closedTitle")} · Vignette` };
}

export default function AccountClosed() {
  const { t } = useTranslation();
  return (
    <section className="narrow">
      <h1>{t("auth.closedTitle")}</h1>
      <p role="status">{t("auth.closedBody")}</p>
      <p>
        {t("auth.closedRejoin")} <Link to="/join">{t("auth.submitJoin")}</Link>
      </p>
    </section>
  );
}
