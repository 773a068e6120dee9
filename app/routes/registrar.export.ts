// The QA report as a download: ?kind=registrants|completions&format=csv|xlsx|json with the page's
// filters. Same scoping as the page; every download goes to the audit log.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { openReport, qaReport, recordExport } from "~/models/qa-report.server";
import { requestI18n } from "~/utils/i18n.server";
import { exportResponse, renderQaExport } from "~/utils/qa-export.server";
import { qaFailure, readQaQuery } from "~/utils/qa-request.server";
import { requireRole } from "~/utils/session.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const session = await requireRole(request, "registrar", "admin");
  const { t, locale } = await requestI18n(request, session);
  const query = readQaQuery(new URL(request.url), t);
  const opened = await openReport(session.user, query);
  if (!opened.ok) throw qaFailure(opened.code, t);
  const { profile, cycle } = opened.value;
  const report = await qaReport(profile, cycle, query.filters, locale);
  const file = await renderQaExport(report, query.kind, query.format, { t, filters: query.filters });
  await recordExport({
    actorId: session.user.id,
    regulatorId: profile.id,
    cycle,
    kind: query.kind,
    format: query.format,
    rows: file.rows,
    filters: query.filters,
    via: "web",
  });
  return exportResponse(file);
}
