// Modules: published cases bundled in order, with a bilingual title and description. Every
// educator, author and admin may read and assign any module (they are shared teaching material);
// only the person who created a module, or an operator, may change or delete it.
import type { LocalizedText } from "~/engine";
import { getDb } from "~/utils/db.server";
import { fail, ok, type Failure, type Result, type Success } from "~/utils/result";
import { isOperator, type Actor } from "./cohort.server";

export type ModuleInput = {
  titleEn: string;
  titleFr: string;
  descriptionEn: string;
  descriptionFr: string;
  /** Cases in the module's order. */
  caseIds: number[];
};

export type PublishedCaseChoice = {
  caseId: number;
  slug: string;
  title: LocalizedText;
  creditHours: number;
  /** The current version's number. */
  version: number;
  /** Every published version (id and number), newest first, for pinning an assignment. */
  versions: Array<{ id: number; version: number; title: LocalizedText }>;
};

/** Published cases whose publication time has come, with their current version, by slug. */
export async function listPublishedCaseChoices(now = new Date()): Promise<PublishedCaseChoice[]> {
  const versions = await getDb().caseVersion.findMany({
    where: { status: "published", publishedAt: { lte: now } },
    orderBy: [{ caseId: "asc" }, { version: "desc" }],
    select: { id: true, caseId: true, version: true, title: true, creditHours: true, case: { select: { slug: true } } },
  });
  const byCase = new Map<number, PublishedCaseChoice>();
  for (const v of versions) {
    const title = JSON.parse(v.title) as LocalizedText;
    const entry = byCase.get(v.caseId);
    if (entry) entry.versions.push({ id: v.id, version: v.version, title });
    else
      byCase.set(v.caseId, {
        caseId: v.caseId,
        slug: v.case.slug,
        title,
        creditHours: v.creditHours,
        version: v.version,
        versions: [{ id: v.id, version: v.version, title }],
      });
  }
  return [...byCase.values()].sort((a, b) => a.slug.localeCompare(b.slug));
}

export function canEditModule(actor: Actor, module: { createdById: string }): boolean {
  return isOperator(actor) || module.createdById === actor.id;
}

function text(en: string, fr: string): string {
  return JSON.stringify({ en: en.trim(), fr: fr.trim() });
}

export type ModuleSummary = {
  id: string;
  title: LocalizedText;
  description: LocalizedText;
  createdById: string;
  createdAt: Date;
  cases: Array<{ caseId: number; slug: string; title: LocalizedText; creditHours: number; position: number }>;
  /** Sum of the cases' current credit hours. */
  totalHours: number;
  assignmentCount: number;
};

async function summarize(
  rows: Array<{
    id: string;
    title: string;
    description: string;
    createdById: string;
    createdAt: Date;
    cases: Array<{ caseId: number; position: number }>;
    _count: { assignments: number };
  }>,
): Promise<ModuleSummary[]> {
  const choices = new Map((await listPublishedCaseChoices()).map((c) => [c.caseId, c]));
  const missing = [...new Set(rows.flatMap((r) => r.cases.map((c) => c.caseId)).filter((id) => !choices.has(id)))];
  // A case retired after it was bundled keeps its place, shown by its slug.
  const slugs = new Map(
    (await getDb().case.findMany({ where: { id: { in: missing } }, select: { id: true, slug: true } })).map((c) => [
      c.id,
      c.slug,
    ]),
  );
  return rows.map((row) => {
    const cases = [...row.cases]
      .sort((a, b) => a.position - b.position)
      .map((mc) => {
        const c = choices.get(mc.caseId);
        const slug = c?.slug ?? slugs.get(mc.caseId) ?? String(mc.caseId);
        return {
          caseId: mc.caseId,
          slug,
          title: c?.title ?? { en: slug },
          creditHours: c?.creditHours ?? 0,
          position: mc.position,
        };
      });
    return {
      id: row.id,
      title: JSON.parse(row.title) as LocalizedText,
      description: JSON.parse(row.description) as LocalizedText,
      createdById: row.createdById,
      createdAt: row.createdAt,
      cases,
      totalHours: cases.reduce((sum, c) => sum + c.creditHours, 0),
      assignmentCount: row._count.assignments,
    };
  });
}

const moduleInclude = { cases: true, _count: { select: { assignments: true } } } as const;

export async function listModules(): Promise<ModuleSummary[]> {
  const rows = await getDb().module.findMany({
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    include: moduleInclude,
  });
  return summarize(rows);
}

export async function getModule(moduleId: string): Promise<ModuleSummary | null> {
  const row = await getDb().module.findUnique({ where: { id: moduleId }, include: moduleInclude });
  return row ? (await summarize([row]))[0]! : null;
}

export type ModuleWriteResult =
  Success<{ id: string }> | Failure<"not-found" | "forbidden"> | (Failure<"unpublished-cases"> & { caseIds: number[] });

async function unpublished(caseIds: number[]): Promise<number[]> {
  const published = new Set((await listPublishedCaseChoices()).map((c) => c.caseId));
  return caseIds.filter((id) => !published.has(id));
}

export async function createModule(actor: Actor, input: ModuleInput): Promise<ModuleWriteResult> {
  const caseIds = [...new Set(input.caseIds)];
  const bad = await unpublished(caseIds);
  if (bad.length > 0) return { ...fail("unpublished-cases"), caseIds: bad };
  const created = await getDb().module.create({
    data: {
      title: text(input.titleEn, input.titleFr),
      description: text(input.descriptionEn, input.descriptionFr),
      createdById: actor.id,
      cases: { create: caseIds.map((caseId, position) => ({ caseId, position })) },
    },
  });
  return ok({ id: created.id });
}

async function editable(actor: Actor, moduleId: string) {
  const row = await getDb().module.findUnique({ where: { id: moduleId }, include: { cases: true } });
  if (!row) return fail("not-found");
  if (!canEditModule(actor, row)) return fail("forbidden");
  return ok(row);
}

/** Changes the texts only; the cases are changed one by one (add, move, remove). */
export async function updateModuleText(
  actor: Actor,
  moduleId: string,
  input: Omit<ModuleInput, "caseIds">,
): Promise<ModuleWriteResult> {
  const found = await editable(actor, moduleId);
  if (!found.ok) return found;
  await getDb().module.update({
    where: { id: moduleId },
    data: { title: text(input.titleEn, input.titleFr), description: text(input.descriptionEn, input.descriptionFr) },
  });
  return ok({ id: moduleId });
}

/** Rewrites the order in one transaction (positions are unique per module, so rows are recreated). */
async function writeOrder(moduleId: string, caseIds: number[]) {
  const db = getDb();
  await db.$transaction([
    db.moduleCase.deleteMany({ where: { moduleId } }),
    db.moduleCase.createMany({ data: caseIds.map((caseId, position) => ({ moduleId, caseId, position })) }),
  ]);
}

function ordered(row: { cases: Array<{ caseId: number; position: number }> }): number[] {
  return [...row.cases].sort((a, b) => a.position - b.position).map((c) => c.caseId);
}

export async function addCaseToModule(actor: Actor, moduleId: string, caseId: number): Promise<ModuleWriteResult> {
  const found = await editable(actor, moduleId);
  if (!found.ok) return found;
  if ((await unpublished([caseId])).length > 0) return { ...fail("unpublished-cases"), caseIds: [caseId] };
  const current = ordered(found.value);
  if (!current.includes(caseId)) await writeOrder(moduleId, [...current, caseId]);
  return ok({ id: moduleId });
}

export async function removeCaseFromModule(actor: Actor, moduleId: string, caseId: number): Promise<ModuleWriteResult> {
  const found = await editable(actor, moduleId);
  if (!found.ok) return found;
  await writeOrder(
    moduleId,
    ordered(found.value).filter((id) => id !== caseId),
  );
  return ok({ id: moduleId });
}

/** Moves a case one place up (-1) or down (+1); at either end nothing changes. */
export async function moveCaseInModule(
  actor: Actor,
  moduleId: string,
  caseId: number,
  direction: -1 | 1,
): Promise<ModuleWriteResult> {
  const found = await editable(actor, moduleId);
  if (!found.ok) return found;
  const order = ordered(found.value);
  const from = order.indexOf(caseId);
  const to = from + direction;
  if (from >= 0 && to >= 0 && to < order.length) {
    [order[from], order[to]] = [order[to]!, order[from]!];
    await writeOrder(moduleId, order);
  }
  return ok({ id: moduleId });
}

export type DeleteModuleResult = Result<null, "not-found" | "forbidden" | "assigned">;

/** A module that is assigned to a cohort stays (its progress is on record); remove the assignments first. */
export async function deleteModule(actor: Actor, moduleId: string): Promise<DeleteModuleResult> {
  const found = await editable(actor, moduleId);
  if (!found.ok) return found;
  if ((await getDb().assignment.count({ where: { moduleId } })) > 0) return fail("assigned");
  await getDb().module.delete({ where: { id: moduleId } });
  return ok(null);
}
