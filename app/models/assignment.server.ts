// Assignments: a module, or one published case (its latest version, or pinned to one version),
// given to a cohort with an optional due date. Scoped through the cohort: an educator reaches only
// assignments of their own cohorts.
import type { LocalizedText } from "~/engine";
import { getDb } from "~/utils/db.server";
import { calendarDayBounds, calendarDayOf } from "~/utils/format";
import { fail, ok, type Result } from "~/utils/result";
import { findCohort, type Actor } from "./cohort.server";
import { listPublishedCaseChoices } from "./module.server";

export type AssignmentTarget =
  | { kind: "module"; moduleId: string }
  | { kind: "case"; caseId: number; /** null: whatever version is current. */ caseVersionId: number | null };

/** One case an assignment asks for; caseVersionId is set when only that version counts. */
export type AssignmentItem = {
  caseId: number;
  caseVersionId: number | null;
  slug: string;
  title: LocalizedText;
  pinnedVersion: number | null;
};

export type AssignmentView = {
  id: string;
  cohortId: string;
  kind: "module" | "case";
  moduleId: string | null;
  caseId: number | null;
  caseVersionId: number | null;
  /** The pinned version's number. */
  pinnedVersion: number | null;
  title: LocalizedText;
  dueAt: Date | null;
  createdAt: Date;
  items: AssignmentItem[];
};

type AssignmentRow = {
  id: string;
  cohortId: string;
  moduleId: string | null;
  caseId: number | null;
  caseVersionId: number | null;
  dueAt: Date | null;
  createdAt: Date;
};

/** Titles and cases of assignment rows, in a few queries whatever their number. */
export async function describeAssignments(rows: readonly AssignmentRow[]): Promise<AssignmentView[]> {
  const db = getDb();
  const moduleIds = [...new Set(rows.flatMap((r) => (r.moduleId ? [r.moduleId] : [])))];
  const modules = new Map(
    (
      await db.module.findMany({
        where: { id: { in: moduleIds } },
        include: { cases: { orderBy: { position: "asc" } } },
      })
    ).map((m) => [m.id, m]),
  );
  const versionIds = [...new Set(rows.flatMap((r) => (r.caseVersionId ? [r.caseVersionId] : [])))];
  const pinned = new Map(
    (
      await db.caseVersion.findMany({
        where: { id: { in: versionIds } },
        select: { id: true, version: true, title: true, case: { select: { slug: true } } },
      })
    ).map((v) => [v.id, v]),
  );
  const current = new Map((await listPublishedCaseChoices()).map((c) => [c.caseId, c]));
  const caseIds = [
    ...rows.flatMap((r) => (r.caseId !== null ? [r.caseId] : [])),
    ...[...modules.values()].flatMap((m) => m.cases.map((c) => c.caseId)),
  ];
  const slugs = new Map(
    (await db.case.findMany({ where: { id: { in: [...new Set(caseIds)] } }, select: { id: true, slug: true } })).map(
      (c) => [c.id, c.slug],
    ),
  );
  const latestItem = (caseId: number): AssignmentItem => {
    const slug = slugs.get(caseId) ?? String(caseId);
    return {
      caseId,
      caseVersionId: null,
      slug,
      title: current.get(caseId)?.title ?? { en: slug },
      pinnedVersion: null,
    };
  };

  return rows.map((row) => {
    const base = { id: row.id, cohortId: row.cohortId, dueAt: row.dueAt, createdAt: row.createdAt };
    if (row.moduleId) {
      const module = modules.get(row.moduleId);
      return {
        ...base,
        kind: "module" as const,
        moduleId: row.moduleId,
        caseId: null,
        caseVersionId: null,
        pinnedVersion: null,
        title: module ? (JSON.parse(module.title) as LocalizedText) : { en: row.moduleId },
        items: (module?.cases ?? []).map((c) => latestItem(c.caseId)),
      };
    }
    const caseId = row.caseId!;
    const version = row.caseVersionId ? pinned.get(row.caseVersionId) : undefined;
    const item: AssignmentItem = version
      ? {
          caseId,
          caseVersionId: version.id,
          slug: version.case.slug,
          title: JSON.parse(version.title) as LocalizedText,
          pinnedVersion: version.version,
        }
      : latestItem(caseId);
    return {
      ...base,
      kind: "case" as const,
      moduleId: null,
      caseId,
      caseVersionId: item.caseVersionId,
      pinnedVersion: item.pinnedVersion,
      title: item.title,
      items: [item],
    };
  });
}

export async function listAssignments(actor: Actor, cohortId: string): Promise<AssignmentView[] | null> {
  if (!(await findCohort(actor, cohortId))) return null;
  const rows = await getDb().assignment.findMany({
    where: { cohortId },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  return describeAssignments(rows);
}

export type CreateAssignmentFailure = "not-found" | "unknown-module" | "unknown-case" | "unknown-version";
export type CreateAssignmentResult = Result<{ id: string }, CreateAssignmentFailure>;

export async function createAssignment(
  actor: Actor,
  cohortId: string,
  target: AssignmentTarget,
  dueAt: Date | null,
): Promise<CreateAssignmentResult> {
  if (!(await findCohort(actor, cohortId))) return fail("not-found");
  const db = getDb();
  if (target.kind === "module") {
    if (!(await db.module.findUnique({ where: { id: target.moduleId } }))) return fail("unknown-module");
    const created = await db.assignment.create({
      data: { cohortId, moduleId: target.moduleId, dueAt, createdById: actor.id },
    });
    return ok({ id: created.id });
  }
  const published = (await listPublishedCaseChoices()).find((c) => c.caseId === target.caseId);
  if (!published) return fail("unknown-case");
  if (target.caseVersionId !== null && !published.versions.some((v) => v.id === target.caseVersionId)) {
    return fail("unknown-version");
  }
  const created = await db.assignment.create({
    data: { cohortId, caseId: target.caseId, caseVersionId: target.caseVersionId, dueAt, createdById: actor.id },
  });
  return ok({ id: created.id });
}

export async function getAssignment(
  actor: Actor,
  cohortId: string,
  assignmentId: string,
): Promise<AssignmentView | null> {
  if (!(await findCohort(actor, cohortId))) return null;
  const row = await getDb().assignment.findFirst({ where: { id: assignmentId, cohortId } });
  return row ? (await describeAssignments([row]))[0]! : null;
}

export async function setDueDate(
  actor: Actor,
  cohortId: string,
  assignmentId: string,
  dueAt: Date | null,
): Promise<boolean> {
  if (!(await findCohort(actor, cohortId))) return false;
  const updated = await getDb().assignment.updateMany({ where: { id: assignmentId, cohortId }, data: { dueAt } });
  return updated.count === 1;
}

/** Removes the assignment; the learners' attempts and completions are untouched. */
export async function deleteAssignment(actor: Actor, cohortId: string, assignmentId: string): Promise<boolean> {
  if (!(await findCohort(actor, cohortId))) return false;
  const deleted = await getDb().assignment.deleteMany({ where: { id: assignmentId, cohortId } });
  return deleted.count === 1;
}

/**
 * A due date typed as YYYY-MM-DD means "by the end of that day" on the cohort's clock (its
 * regulator's zone, regulator-brand.server.ts cohortTimeZone): the last millisecond before the
 * next day's midnight there.
 */
export function dueAtFromDateInput(value: string, timeZone: string): Date | null {
  return calendarDayBounds(value, timeZone)?.end ?? null;
}

/** The YYYY-MM-DD a due date shows as on the cohort's clock (for the date input's value). */
export function dateInputFromDueAt(dueAt: Date, timeZone: string): string {
  return calendarDayOf(dueAt, timeZone);
}
