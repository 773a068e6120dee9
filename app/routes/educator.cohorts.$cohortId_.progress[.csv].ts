// The cohort's progress as CSV: every assignment, or one with ?assignment=ID. Same scoping as the
// pages: another educator's cohort (or assignment) is 404.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { PROGRESS_CSV_HEADER, cohortProgress, progressCsvRows } from "~/models/progress.server";
import { csvResponse, toCsv } from "~/utils/csv.server";
import { notFound } from "~/utils/http.server";
import { requestI18n } from "~/utils/i18n.server";
import { requireRole } from "~/utils/session.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const session = await requireRole(request, "educator", "admin");
  const { t, locale } = await requestI18n(request, session);
  const progress = await cohortProgress(session.user, params.cohortId ?? "");
  if (!progress) throw notFound();
  const only = new URL(request.url).searchParams.get("assignment");
  const reports = only ? progress.reports.filter((r) => r.assignment.id === only) : progress.reports;
  if (only && reports.length === 0) throw notFound();
  const date = new Date().toISOString().slice(0, 10);
  const name = `${t("educator.csv.filename")}-${progress.cohort.name}-${date}.csv`.replace(/[\\/:*?"<>|]+/g, "_");
  return csvResponse(name, toCsv(PROGRESS_CSV_HEADER, progressCsvRows(progress.cohort.name, reports), { locale }));
}
