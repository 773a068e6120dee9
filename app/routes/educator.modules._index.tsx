import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { localized } from "~/i18n";
import { useTranslation } from "~/i18n/react";
import { canEditModule, listModules } from "~/models/module.server";
import { formatHours } from "~/utils/format";
import { requestI18n } from "~/utils/i18n.server";
import { requireRole } from "~/utils/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Vignette" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const session = await requireRole(request, "educator", "author", "admin");
  const { t, locale } = await requestI18n(request, session);
  const modules = await listModules();
  return {
    title: `${t("educator.modules.title")} · Vignette`,
    modules: modules.map((m) => ({
      id: m.id,
      title: localized(m.title, locale),
      caseCount: m.cases.length,
      hours: formatHours(m.totalHours, locale),
      assignmentCount: m.assignmentCount,
      mine: m.createdById === session.user.id,
      editable: canEditModule(session.user, m),
    })),
  };
}

export default function Modules() {
  const { t } = useTranslation();
  const d = useLoaderData<typeof loader>();
  return (
    <section>
      <h1>{t("educator.modules.title")}</h1>
      <p>{t("educator.modules.intro")}</p>
      <p>
        <Link className="button" to="/educator/modules/new">
          {t("educator.modules.new")}
        </Link>
      </p>
      {d.modules.length === 0 ? (
        <p>{t("educator.modules.empty")}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t("educator.modules.name")}</th>
              <th scope="col" className="num">
                {t("educator.modules.cases")}
              </th>
              <th scope="col" className="num">
                {t("educator.modules.hours")}
              </th>
              <th scope="col" className="num">
                {t("educator.modules.assigned")}
              </th>
            </tr>
          </thead>
          <tbody>
            {d.modules.map((m) => (
              <tr key={m.id}>
                <th scope="row">
                  <Link to={`/educator/modules/${m.id}`}>{m.title}</Link>
                  {m.mine ? <span className="sub">{t("educator.modules.mine")}</span> : null}
                </th>
                <td className="num">{m.caseCount}</td>
                <td className="num">{m.hours}</td>
                <td className="num">{m.assignmentCount}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
