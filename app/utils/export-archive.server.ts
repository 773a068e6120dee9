// The learner's export as one zip download: vignette-export.json (everything, one document) and a
// CSV per table a spreadsheet reads well (attempts, choices, reflections, completions, certificates),
// written with toCsv so that a reflection starting with "=" cannot run as a formula. One person's
// data is small, so the archive is built in memory in one go.
import { strToU8, zipSync, type Zippable } from "fflate";
import type { UserExport } from "~/models/export.server";
import { contentDisposition, toCsv } from "./csv.server";

/** The files of the archive, by name. */
export function exportFiles(data: UserExport): Record<string, string> {
  const attempt = (a: UserExport["attempts"][number]) => [a.id, a.case, a.version] as const;
  return {
    "vignette-export.json": JSON.stringify(data, null, 2) + "\n",
    "attempts.csv": toCsv(
      [
        "attempt_id",
        "case",
        "version",
        "case_title",
        "attempt_number",
        "status",
        "started_at",
        "completed_at",
        "total",
        "score",
        "passed",
      ],
      data.attempts.map((a) => [
        ...attempt(a),
        a.caseTitle,
        a.number,
        a.status,
        a.startedAt,
        a.completedAt,
        a.total,
        a.score,
        a.passed,
      ]),
    ),
    "choices.csv": toCsv(
      ["attempt_id", "case", "version", "step", "node_id", "choice_id", "choice_label", "points", "recorded_at"],
      data.attempts.flatMap((a) =>
        a.choices.map((c) => [...attempt(a), c.seq, c.nodeId, c.choiceId, c.label, c.points, c.recordedAt]),
      ),
    ),
    "reflections.csv": toCsv(
      ["attempt_id", "case", "version", "node_id", "text", "written_at"],
      data.attempts.flatMap((a) => a.reflections.map((r) => [...attempt(a), r.nodeId, r.text, r.writtenAt])),
    ),
    "completions.csv": toCsv(
      [
        "completion_id",
        "attempt_id",
        "case",
        "version",
        "case_title",
        "learner_name",
        "registration_number",
        "regulator",
        "started_at",
        "completed_at",
        "time_on_task_seconds",
        "score",
        "passed",
        "credit_hours",
        "attempt_number",
      ],
      data.completions.map((c) => [
        c.id,
        c.attemptId,
        c.case,
        c.version,
        c.caseTitle,
        c.learnerName,
        c.registrationNumber,
        c.regulator,
        c.startedAt,
        c.completedAt,
        c.timeOnTaskSeconds,
        c.score,
        c.passed,
        c.creditHours,
        c.attemptNumber,
      ]),
    ),
    "certificates.csv": toCsv(
      [
        "code",
        "completion_id",
        "case",
        "version",
        "status",
        "issued_at",
        "revoked_at",
        "revoked_reason",
        "duplicates",
        "last_duplicate_at",
      ],
      data.certificates.map((c) => [
        c.code,
        c.completionId,
        c.case,
        c.version,
        c.status,
        c.issuedAt,
        c.revokedAt,
        c.revokedReason,
        c.duplicates.length,
        c.duplicates.at(-1)?.reissuedAt ?? null,
      ]),
    ),
  };
}

/** The zip of exportFiles, each file dated by the export's timestamp. */
export function exportArchive(data: UserExport): Uint8Array {
  const mtime = new Date(data.exportedAt);
  const files: Zippable = {};
  for (const [name, text] of Object.entries(exportFiles(data))) files[name] = [strToU8(text), { mtime }];
  return zipSync(files, { level: 6 });
}

/** The archive as a download: personal data, so never cached, never sniffed. */
export function exportResponse(data: UserExport): Response {
  const day = data.exportedAt.slice(0, 10);
  return new Response(Buffer.from(exportArchive(data)), {
    status: 200,
    headers: {
      "Content-Type": "application/zip",
      "Content-Disposition": contentDisposition(`vignette-export-${day}.zip`),
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
