// The educator area's frame: its stylesheet, its sub-navigation, and the first role check (every
// child route checks again: loaders run in parallel, so a layout check alone protects nothing).
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { NavLink, Outlet, useLoaderData } from "@remix-run/react";
import { useTranslation } from "~/i18n/react";
import { runsCohorts } from "~/models/cohort.server";
import { requireRole } from "~/utils/session.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: "/educator.css" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const session = await requireRole(request, "educator", "author", "admin");
  return { runsCohorts: runsCohorts(session.user) };
}

/** Posts to /educator without ?index land here: refuse them, role first. */
export async function action({ request }: ActionFunctionArgs) {
  await requireRole(request, "educator", "author", "admin");
  throw new Response("Method not allowed", { status: 405 });
}

export default function EducatorLayout() {
  const { t } = useTranslation();
  const { runsCohorts } = useLoaderData<typeof loader>();
  return (
    <div className="educator">
      <nav aria-label={t("educator.nav.label")} className="educator-nav">
        <ul>
          {runsCohorts ? (
            <li>
              <NavLink to="/educator" end>
                {t("educator.nav.cohorts")}
              </NavLink>
            </li>
          ) : null}
          <li>
            <NavLink to="/educator/modules">{t("educator.nav.modules")}</NavLink>
          </li>
        </ul>
      </nav>
      <Outlet />
    </div>
  );
}
