import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { StatusText } from "~/components/status-text";
import { localized } from "~/i18n";
import { useTranslation } from "~/i18n/react";
import { learnerAssignments } from "~/models/progress.server";
import { cohortClocks } from "~/models/regulator-brand.server";
import { formatDate } from "~/utils/format";
import { requestI18n } from "~/utils/i18n.server";
import { getCurrentSession } from "~/utils/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Vignette" }];

export const links: LinksFunction = () => [{ rel: "stylesheet", href: "/educator.css" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const session = await getCurrentSession(request);
  const { t, locale } = await requestI18n(request, session);
  // Only the signed-in learner's own assignments: there is no user id in this URL to change.
  const assignments = session ? await learnerAssignments(session.user.id) : [];
  // Each due date on its cohort's clock.
  const clockOf = await cohortClocks(assignments.map((a) => a.assignment.cohortId));
  return {
    title: `Vignette — ${t("app.tagline")}`,
    signedIn: Boolean(session),
    assignments: assignments.map(({ assignment: a, cohortName, progress: p }) => ({
      id: a.id,
      kind: a.kind,
      title: localized(a.title, locale),
      slug: a.kind === "case" ? (a.items[0]?.slug ?? null) : null,
      pinnedVersion: a.pinnedVersion,
      cohortName,
      due: a.dueAt ? formatDate(a.dueAt, locale, clockOf(a.cohortId)) : null,
      status: p.status,
      overdue: p.overdue,
      late: p.late,
      casesPassed: p.casesPassed,
      casesTotal: p.casesTotal,
      cases: a.items.map((item, i) => ({
        slug: item.slug,
        title: localized(item.title, locale),
        status: p.cases[i]!.status,
      })),
    })),
  };
}

export default function Index() {
  const { t } = useTranslation();
  const { signedIn, assignments } = useLoaderData<typeof loader>();
  return (
    <>
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
      {signedIn && assignments.length > 0 ? (
        <section aria-labelledby="my-assignments" className="my-assignments">
          <h2 id="my-assignments">{t("educator.home.title")}</h2>
          <p>{t("educator.home.intro")}</p>
          <div className="table-scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t("educator.home.assignment")}</th>
                  <th scope="col">{t("educator.home.cohort")}</th>
                  <th scope="col">{t("educator.home.due")}</th>
                  <th scope="col">{t("educator.home.status")}</th>
                </tr>
              </thead>
              <tbody>
                {assignments.map((a) => (
                  <tr key={a.id}>
                    <th scope="row">
                      {a.slug ? <Link to={`/cases/${a.slug}`}>{a.title}</Link> : a.title}
                      {a.pinnedVersion ? (
                        <span className="sub">{t("educator.home.version", { version: a.pinnedVersion })}</span>
                      ) : null}
                      {a.kind === "module" ? (
                        <>
                          <span className="sub">
                            {t("educator.home.module", { passed: a.casesPassed, total: a.casesTotal })}
                          </span>
                          <ol className="module-cases">
                            {a.cases.map((c) => (
                              <li key={c.slug}>
                                <Link to={`/cases/${c.slug}`}>{c.title}</Link> — <StatusText status={c.status} />
                              </li>
                            ))}
                          </ol>
                        </>
                      ) : null}
                    </th>
                    <td>{a.cohortName}</td>
                    <td>{a.due ?? t("educator.noDueDate")}</td>
                    <td>
                      <StatusText status={a.status} />
                      {a.overdue ? (
                        <>
                          {" · "}
                          <StatusText status="overdue" />
                        </>
                      ) : a.late ? (
                        <>
                          {" · "}
                          <StatusText status="late" />
                        </>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}
    </>
  );
}
