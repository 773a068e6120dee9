// Progress of learners on their assignments, derived from attempts (never from reflections, which
// only their author reads). A pinned assignment counts attempts on its version only; "latest" and
// module assignments count attempts on any version of each case.
//
// What a cohort may see of a learner is decided by the queries here, not by the pages: only attempts
// at the cohort's assignments' cases, and only those started since the learner accepted to join
// (CohortMember.addedAt). Nothing from before, nothing of other cases (ADR 018).
import { getDb } from "~/utils/db.server";
import { describeAssignments, type AssignmentItem, type AssignmentView } from "./assignment.server";
import { learnerCaseStatus, type LearnerCaseStatus } from "./case.server";
import { getCohort, type Actor, type CohortMemberRow } from "./cohort.server";

export type ProgressStatus = LearnerCaseStatus;

/** The attempt fields progress needs, and nothing more. */
export type AttemptFact = {
  userId: string;
  caseId: number;
  caseVersionId: number;
  status: string;
  passed: boolean | null;
  score: number | null;
  completedAt: Date | null;
};

export type CaseProgress = {
  caseId: number;
  status: ProgressStatus;
  /** Best score of a completed attempt (0..1), or null. */
  bestScore: number | null;
  /** When the first passing attempt completed. */
  passedAt: Date | null;
  attempts: number;
};

export function caseProgress(
  attempts: readonly AttemptFact[],
  item: Pick<AssignmentItem, "caseId" | "caseVersionId">,
): CaseProgress {
  const relevant = attempts.filter(
    (a) => a.caseId === item.caseId && (item.caseVersionId === null || a.caseVersionId === item.caseVersionId),
  );
  const completed = relevant.filter((a) => a.status === "completed");
  const passes = completed.filter((a) => a.passed && a.completedAt);
  const passedAt = passes.length > 0 ? new Date(Math.min(...passes.map((a) => a.completedAt!.getTime()))) : null;
  const scores = completed.flatMap((a) => (a.score === null ? [] : [a.score]));
  return {
    caseId: item.caseId,
    status: learnerCaseStatus(relevant),
    bestScore: scores.length > 0 ? Math.max(...scores) : null,
    passedAt,
    attempts: relevant.length,
  };
}

export type AssignmentProgress = {
  status: ProgressStatus;
  /** Single case: the best score; module: the mean of the cases' best scores once each has one. */
  score: number | null;
  /** When the assignment became passed (a module: when its last case was passed). */
  completedAt: Date | null;
  /** Due date gone by and not passed. */
  overdue: boolean;
  /** Passed, but after the due date. */
  late: boolean;
  casesPassed: number;
  casesTotal: number;
  cases: CaseProgress[];
};

/**
 * One learner's progress on an assignment. A module is passed when every case is; it is "failed"
 * when a case was failed and nothing is under way, "in progress" once anything has been started.
 */
export function assignmentProgress(
  items: ReadonlyArray<Pick<AssignmentItem, "caseId" | "caseVersionId">>,
  attempts: readonly AttemptFact[],
  dueAt: Date | null,
  now: Date,
): AssignmentProgress {
  const cases = items.map((item) => caseProgress(attempts, item));
  const passed = cases.filter((c) => c.status === "passed").length;
  let status: ProgressStatus;
  if (cases.length === 0 || cases.every((c) => c.status === "not_started")) status = "not_started";
  else if (passed === cases.length) status = "passed";
  else if (cases.some((c) => c.status === "in_progress")) status = "in_progress";
  else if (cases.some((c) => c.status === "failed")) status = "failed";
  else status = "in_progress";
  const completedAt = status === "passed" ? new Date(Math.max(...cases.map((c) => c.passedAt!.getTime()))) : null;
  const score =
    cases.length === 1
      ? cases[0]!.bestScore
      : cases.length > 0 && cases.every((c) => c.bestScore !== null)
        ? cases.reduce((sum, c) => sum + c.bestScore!, 0) / cases.length
        : null;
  return {
    status,
    score,
    completedAt,
    overdue: dueAt !== null && status !== "passed" && now.getTime() > dueAt.getTime(),
    late: dueAt !== null && completedAt !== null && completedAt.getTime() > dueAt.getTime(),
    casesPassed: passed,
    casesTotal: cases.length,
    cases,
  };
}

/** Since when a learner's attempts count for a cohort: when they joined it. */
export type Membership = { userId: string; since: Date };

/**
 * The attempts a cohort may see: each member's attempts at these cases started since they joined,
 * and nothing else (the condition is in the query, per member).
 */
async function attemptFacts(members: readonly Membership[], caseIds: number[]): Promise<AttemptFact[]> {
  if (members.length === 0 || caseIds.length === 0) return [];
  return getDb().attempt.findMany({
    where: {
      caseId: { in: [...new Set(caseIds)] },
      OR: members.map((m) => ({ userId: m.userId, startedAt: { gte: m.since } })),
    },
    select: {
      userId: true,
      caseId: true,
      caseVersionId: true,
      status: true,
      passed: true,
      score: true,
      completedAt: true,
    },
  });
}

/**
 * Each member's progress on one assignment, counted as their educator counts it (attempts since they
 * joined): what the due-date reminders ask "completed yet?" of (reminder.server.ts).
 */
export async function membersProgress(
  assignment: Pick<AssignmentView, "items" | "dueAt">,
  members: readonly Membership[],
  now = new Date(),
): Promise<Map<string, AssignmentProgress>> {
  const byUser = new Map<string, AttemptFact[]>();
  const caseIds = assignment.items.map((i) => i.caseId);
  const facts = await attemptFacts(members, caseIds);
  for (const fact of facts) byUser.set(fact.userId, [...(byUser.get(fact.userId) ?? []), fact]);
  return new Map(
    members.map((m) => [
      m.userId,
      assignmentProgress(assignment.items, byUser.get(m.userId) ?? [], assignment.dueAt, now),
    ]),
  );
}

export type StatusCounts = Record<ProgressStatus, number> & { overdue: number; total: number };

export function countStatuses(rows: ReadonlyArray<{ progress: AssignmentProgress }>): StatusCounts {
  const counts: StatusCounts = { not_started: 0, in_progress: 0, passed: 0, failed: 0, overdue: 0, total: rows.length };
  for (const { progress } of rows) {
    counts[progress.status] += 1;
    if (progress.overdue) counts.overdue += 1;
  }
  return counts;
}

export type LearnerRow = { member: CohortMemberRow; progress: AssignmentProgress };
export type AssignmentReport = { assignment: AssignmentView; rows: LearnerRow[]; counts: StatusCounts };

/** Every assignment of the cohort with every member's progress, or null when the actor may not see it. */
export async function cohortProgress(actor: Actor, cohortId: string, now = new Date()) {
  const cohort = await getCohort(actor, cohortId);
  if (!cohort) return null;
  const rows = await getDb().assignment.findMany({
    where: { cohortId },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  const assignments = await describeAssignments(rows);
  const facts = await attemptFacts(
    cohort.members.map((m) => ({ userId: m.id, since: m.addedAt })),
    assignments.flatMap((a) => a.items.map((i) => i.caseId)),
  );
  const byUser = new Map<string, AttemptFact[]>();
  for (const fact of facts) byUser.set(fact.userId, [...(byUser.get(fact.userId) ?? []), fact]);
  const reports: AssignmentReport[] = assignments.map((assignment) => {
    const learnerRows = cohort.members.map((member) => ({
      member,
      progress: assignmentProgress(assignment.items, byUser.get(member.id) ?? [], assignment.dueAt, now),
    }));
    return { assignment, rows: learnerRows, counts: countStatuses(learnerRows) };
  });
  return { cohort, reports };
}

/**
 * The learner's assignments across their cohorts, soonest due first (undated last), with the
 * progress their educator sees: attempts since they joined that cohort.
 */
export async function learnerAssignments(userId: string, now = new Date()) {
  const db = getDb();
  const memberships = await db.cohortMember.findMany({ where: { userId }, select: { cohortId: true, addedAt: true } });
  if (memberships.length === 0) return [];
  const rows = await db.assignment.findMany({
    where: { cohortId: { in: memberships.map((m) => m.cohortId) } },
    include: { cohort: { select: { name: true } } },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  const cohortNames = new Map(rows.map((r) => [r.id, r.cohort.name]));
  const assignments = await describeAssignments(rows);
  const caseIds = assignments.flatMap((a) => a.items.map((i) => i.caseId));
  // One query per cohort the learner is in (a handful), each with that cohort's boundary.
  const factsByCohort = new Map(
    await Promise.all(
      memberships.map(async (m) => [m.cohortId, await attemptFacts([{ userId, since: m.addedAt }], caseIds)] as const),
    ),
  );
  return assignments
    .map((assignment) => ({
      assignment,
      cohortName: cohortNames.get(assignment.id) ?? "",
      progress: assignmentProgress(
        assignment.items,
        factsByCohort.get(assignment.cohortId) ?? [],
        assignment.dueAt,
        now,
      ),
    }))
    .sort(
      (a, b) =>
        (a.assignment.dueAt?.getTime() ?? Number.POSITIVE_INFINITY) -
          (b.assignment.dueAt?.getTime() ?? Number.POSITIVE_INFINITY) ||
        a.assignment.createdAt.getTime() - b.assignment.createdAt.getTime(),
    );
}

export const PROGRESS_CSV_HEADER = [
  "cohort",
  "assignment_id",
  "assignment_type",
  "assignment_title_en",
  "assignment_title_fr",
  "case_slugs",
  "pinned_version",
  "due_at",
  "learner_name",
  "learner_email",
  "registration_number",
  "status",
  "overdue",
  "passed_late",
  "best_score",
  "completed_at",
  "cases_passed",
  "cases_total",
];

/**
 * Rows for the progress CSV: one per learner and assignment. Machine-readable like the transcript
 * export (ISO dates, dot decimals, status codes); scores and completion only, never reflections.
 */
export function progressCsvRows(cohortName: string, reports: readonly AssignmentReport[]) {
  return reports.flatMap(({ assignment, rows }) =>
    rows.map(({ member, progress }) => [
      cohortName,
      assignment.id,
      assignment.kind,
      assignment.title.en ?? "",
      assignment.title.fr ?? "",
      assignment.items.map((i) => i.slug).join(" "),
      assignment.pinnedVersion,
      assignment.dueAt,
      member.name,
      member.email,
      member.registrationNumber,
      progress.status,
      progress.overdue,
      progress.late,
      progress.score,
      progress.completedAt,
      progress.casesPassed,
      progress.casesTotal,
    ]),
  );
}
