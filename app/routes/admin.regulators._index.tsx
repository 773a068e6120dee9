// /admin/regulators: the profiles of the regulators an admin runs (every one for an operator), with
// their current version and whether a new one waits for a second admin. Operators add a regulator here.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { TableScroll } from "~/components/analytics/table-scroll";
import { studioLinks } from "~/components/studio/links";
import { localized } from "~/i18n";
import { useTranslation } from "~/i18n/react";
import { adminScope } from "~/models/admin.server";
import { listPendingChanges } from "~/models/change-request.server";
import { listProfilesInScope } from "~/models/regulator-profile.server";
import { formatZonedDateTime } from "~/utils/format";
import { requestI18n } from "~/utils/i18n.server";
import { requireRole } from "~/utils/session.server";

export const links = studioLinks;
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Vignette" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const session = await requireRole(request, "admin");
  const { t, locale } = await requestI18n(request, session);
  const scope = adminScope(session.user);
  const waiting = new Set(
    (await listPendingChanges(scope, session.user.id, "regulator_profile")).map((change) => change.subject),
  );
  return {
    title: `${t("regulators.title")} · Vignette`,
    mayAdd: scope.all,
    regulators: (await listProfilesInScope(scope)).map((r) => ({
      id: r.id,
      name: localized(r.profile.name, locale),
      timeZone: r.profile.timeZone,
      version: r.sequence,
      publishedAt: formatZonedDateTime(r.importedAt, locale, r.profile.timeZone),
      waiting: waiting.has(r.id),
    })),
  };
}

export default function Regulators() {
  const { t } = useTranslation();
  const d = useLoaderData<typeof loader>();
  return (
    <section>
      <h1>{t("regulators.title")}</h1>
      <p>{t("regulators.intro")}</p>
      {d.regulators.length === 0 ? (
        <p role="status">{t("regulators.none")}</p>
      ) : (
        <TableScroll label={t("regulators.title")}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t("regulators.columns.regulator")}</th>
                <th scope="col">{t("regulators.columns.timeZone")}</th>
                <th scope="col">{t("regulators.columns.version")}</th>
                <th scope="col">{t("regulators.columns.pending")}</th>
              </tr>
            </thead>
            <tbody>
              {d.regulators.map((r) => (
                <tr key={r.id}>
                  <th scope="row">
                    <Link to={`/admin/regulators/${encodeURIComponent(r.id)}`}>{r.name}</Link>{" "}
                    <code className="muted">{r.id}</code>
                  </th>
                  <td>{r.timeZone}</td>
                  <td>
                    {t("regulators.versionShort", { version: r.version })} · {r.publishedAt}
                  </td>
                  <td>{r.waiting ? t("regulators.pendingYes") : t("regulators.fields.none")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      {d.mayAdd ? (
        <section aria-labelledby="add-heading" className="panel">
          <h2 id="add-heading">{t("regulators.upload.addHeading")}</h2>
          <p>{t("regulators.upload.addHint")}</p>
          <p>
            <Link to="/admin/regulators/upload">{t("regulators.upload.addHeading")}</Link>
          </p>
        </section>
      ) : null}
    </section>
  );
}
