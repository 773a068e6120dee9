// The QA report's query string (/registrar and its downloads): read with zod, and the report
// model's failure codes turned into a status with a translated reason.
import { z } from "zod";
import type { Translate } from "~/i18n";
import type { ExportFormat, ExportKind, OpenFailure, ReportFilters } from "~/models/qa-report.server";
import { badRequest } from "./form.server";
import { failure, type FailureMap } from "./http.server";

const querySchema = z.object({
  regulator: z
    .string()
    .max(100)
    .regex(/^[a-z0-9-]*$/)
    .optional(),
  cycle: z.string().max(10).optional(),
  status: z.enum(["all", "meets", "short"]).default("all"),
  q: z.string().max(200).default(""),
  kind: z.enum(["registrants", "completions"]).default("registrants"),
  format: z.enum(["csv", "xlsx", "json"]).default("csv"),
});

export type QaQuery = {
  regulator: string | null;
  cycle: string | null;
  filters: ReportFilters;
  kind: ExportKind;
  format: ExportFormat;
};

/** The query, or a 400 with the reason. Empty fields (a form sent as is) mean "not given". */
export function readQaQuery(url: URL, t: Translate): QaQuery {
  const given = Object.fromEntries([...url.searchParams].filter(([, value]) => value !== ""));
  const parsed = querySchema.safeParse(given);
  if (!parsed.success) throw badRequest(400, t("registrar.errors.badRequest"));
  const { regulator, cycle, status, q, kind, format } = parsed.data;
  return { regulator: regulator ?? null, cycle: cycle ?? null, filters: { status, q: q.trim() }, kind, format };
}

const QA_FAILURES: FailureMap<OpenFailure> = {
  forbidden: { status: 403, message: "app.forbidden" },
  "not-found": { status: 404, message: "registrar.errors.unknownRegulator" },
  "bad-cycle": { status: 400, message: "registrar.errors.badCycle" },
};

/** A refused report as a response: 403, 404, or 400 for a day no cycle starts on. */
export function qaFailure(code: OpenFailure, t: Translate): Response {
  return failure(code, QA_FAILURES, t).response;
}
