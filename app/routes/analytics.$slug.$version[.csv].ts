import type { LoaderFunctionArgs } from "@remix-run/node";
import { analyticsCsv, analyticsView, loadVersionRequest } from "~/models/analytics.server";
import { csvResponse } from "~/utils/csv.server";
import { notFound } from "~/utils/http.server";
import { requestI18n } from "~/utils/i18n.server";
import { regulatorScope } from "~/utils/roles";
import { requireRole } from "~/utils/session.server";

/** /analytics/:slug/:version.csv — the page's aggregates, same filters; no learner data. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const session = await requireRole(request, "author", "admin");
  const found = await loadVersionRequest(
    params.slug,
    params.version,
    new URL(request.url).searchParams,
    regulatorScope(session.user, "author"),
  );
  if (!found.found) throw notFound();
  if (!found.report) throw new Response("Invalid filters", { status: 400 });
  const { locale } = await requestI18n(request, session);
  const view = await analyticsView(found.report, found.version, locale);
  const inputs = found.filter.inputs;
  const cohortName = found.cohorts.find((c) => c.id === inputs.cohort)?.name ?? null;
  return csvResponse(`analytics-${view.slug}-v${view.version}.csv`, analyticsCsv(view, inputs, cohortName, locale));
}
