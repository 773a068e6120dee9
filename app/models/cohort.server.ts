// Cohorts: groups of learners run by one educator. Every query is scoped by the actor: an educator
// reaches only their own cohorts (another's id reads as "not found"), an operator reaches all.
import { getDb } from "~/utils/db.server";
import { hasRole } from "~/utils/roles";
import { newCertificateCode } from "./attempt.server";
import { normalizeEmail } from "./user.server";

/** Who is asking: the signed-in user's id and roles. */
export type Actor = { id: string; roles: readonly string[] };

/**
 * Operators see every cohort. A regulator admin does not: cohorts are not held per regulator (an
 * educator may teach registrants of several), so only their educator and the operator reach them.
 */
export const isOperator = (actor: Actor) => hasRole(actor, "operator");

/** Educators and admins run cohorts; authors see the educator area for modules only. */
export const runsCohorts = (actor: Actor) => hasRole(actor, "educator", "admin");

/** The Prisma filter that limits cohorts to those the actor may see. */
export function cohortScope(actor: Actor) {
  return isOperator(actor) ? {} : { educatorId: actor.id };
}

/** 128 random bits in unambiguous base32 (the same alphabet as certificate codes). */
export const newInviteCode = newCertificateCode;
export const INVITE_CODE_PATTERN = /^[a-z2-9]{26}$/;

export async function listCohorts(actor: Actor) {
  const db = getDb();
  const cohorts = await db.cohort.findMany({
    where: cohortScope(actor),
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    include: { _count: { select: { members: true, assignments: true } } },
  });
  const educators = await usersById(cohorts.map((c) => c.educatorId));
  return cohorts.map((c) => ({
    id: c.id,
    name: c.name,
    createdAt: c.createdAt,
    educatorId: c.educatorId,
    educatorName: educators.get(c.educatorId)?.name ?? "",
    memberCount: c._count.members,
    assignmentCount: c._count.assignments,
  }));
}

async function usersById(ids: string[]) {
  const users = await getDb().user.findMany({
    where: { id: { in: [...new Set(ids)] } },
    select: { id: true, name: true, email: true, registrationNumber: true },
  });
  return new Map(users.map((u) => [u.id, u]));
}

/** The cohort if the actor may see it, else null (the route answers 404 either way). */
export async function findCohort(actor: Actor, cohortId: string) {
  return getDb().cohort.findFirst({ where: { id: cohortId, ...cohortScope(actor) } });
}

export type CohortMemberRow = { id: string; name: string; email: string; registrationNumber: string; addedAt: Date };

/** The cohort with its members (by name), or null when the actor may not see it. */
export async function getCohort(actor: Actor, cohortId: string) {
  const cohort = await getDb().cohort.findFirst({
    where: { id: cohortId, ...cohortScope(actor) },
    include: { members: true },
  });
  if (!cohort) return null;
  const users = await usersById([cohort.educatorId, ...cohort.members.map((m) => m.userId)]);
  const members: CohortMemberRow[] = cohort.members
    .flatMap((m) => {
      const u = users.get(m.userId);
      return u
        ? [{ id: u.id, name: u.name, email: u.email, registrationNumber: u.registrationNumber, addedAt: m.addedAt }]
        : [];
    })
    .sort((a, b) => a.name.localeCompare(b.name) || a.email.localeCompare(b.email));
  return {
    id: cohort.id,
    name: cohort.name,
    inviteCode: cohort.inviteCode,
    educatorId: cohort.educatorId,
    educatorName: users.get(cohort.educatorId)?.name ?? "",
    createdAt: cohort.createdAt,
    members,
  };
}

export async function createCohort(actor: Actor, name: string) {
  return getDb().cohort.create({ data: { name: name.trim(), educatorId: actor.id, inviteCode: newInviteCode() } });
}

export async function renameCohort(actor: Actor, cohortId: string, name: string): Promise<boolean> {
  const updated = await getDb().cohort.updateMany({
    where: { id: cohortId, ...cohortScope(actor) },
    data: { name: name.trim() },
  });
  return updated.count === 1;
}

/** Deletes the cohort with its memberships and assignments (attempts and completions stay). */
export async function deleteCohort(actor: Actor, cohortId: string): Promise<boolean> {
  const deleted = await getDb().cohort.deleteMany({ where: { id: cohortId, ...cohortScope(actor) } });
  return deleted.count === 1;
}

/** A new invitation code: links shared before stop working. */
export async function regenerateInviteCode(actor: Actor, cohortId: string): Promise<boolean> {
  const updated = await getDb().cohort.updateMany({
    where: { id: cohortId, ...cohortScope(actor) },
    data: { inviteCode: newInviteCode() },
  });
  return updated.count === 1;
}

export type AddMembersResult =
  | { ok: true; added: number; alreadyMembers: number }
  | { ok: false; reason: "not-found" }
  | { ok: false; reason: "unknown-emails"; emails: string[] };

/**
 * Adds existing accounts by email, all or nothing: if any email has no account, nobody is added and
 * the unknown ones are named (the educator corrects the list and submits it again).
 */
export async function addMembersByEmail(
  actor: Actor,
  cohortId: string,
  emails: string[],
  now = new Date(),
): Promise<AddMembersResult> {
  const cohort = await findCohort(actor, cohortId);
  if (!cohort) return { ok: false, reason: "not-found" };
  const wanted = [...new Set(emails.map(normalizeEmail))];
  const db = getDb();
  const users = await db.user.findMany({ where: { email: { in: wanted } }, select: { id: true, email: true } });
  const known = new Set(users.map((u) => u.email));
  const unknown = wanted.filter((e) => !known.has(e));
  if (unknown.length > 0) return { ok: false, reason: "unknown-emails", emails: unknown };
  return db.$transaction(async (tx) => {
    const existing = await tx.cohortMember.findMany({
      where: { cohortId, userId: { in: users.map((u) => u.id) } },
      select: { userId: true },
    });
    const present = new Set(existing.map((m) => m.userId));
    const toAdd = users.filter((u) => !present.has(u.id));
    if (toAdd.length > 0)
      await tx.cohortMember.createMany({ data: toAdd.map((u) => ({ cohortId, userId: u.id, addedAt: now })) });
    return { ok: true as const, added: toAdd.length, alreadyMembers: present.size };
  });
}

export async function removeMember(actor: Actor, cohortId: string, userId: string): Promise<boolean> {
  const cohort = await findCohort(actor, cohortId);
  if (!cohort) return false;
  const deleted = await getDb().cohortMember.deleteMany({ where: { cohortId, userId } });
  return deleted.count === 1;
}

/** Public by code: what a person holding an invitation may see before accepting it. */
export async function findCohortByInvite(code: string) {
  if (!INVITE_CODE_PATTERN.test(code)) return null;
  const cohort = await getDb().cohort.findUnique({ where: { inviteCode: code } });
  if (!cohort) return null;
  const educator = await getDb().user.findUnique({ where: { id: cohort.educatorId }, select: { name: true } });
  return { id: cohort.id, name: cohort.name, educatorName: educator?.name ?? "" };
}

export async function isMember(cohortId: string, userId: string): Promise<boolean> {
  return (await getDb().cohortMember.count({ where: { cohortId, userId } })) > 0;
}

export type JoinResult = { ok: true; cohortId: string; cohortName: string; alreadyMember: boolean } | { ok: false };

/** Puts the user in the cohort the code opens (a second acceptance is a no-op). */
export async function joinCohortByInvite(userId: string, code: string, now = new Date()): Promise<JoinResult> {
  const cohort = await findCohortByInvite(code);
  if (!cohort) return { ok: false };
  const db = getDb();
  const existing = await db.cohortMember.findUnique({ where: { cohortId_userId: { cohortId: cohort.id, userId } } });
  if (!existing) {
    try {
      await db.cohortMember.create({ data: { cohortId: cohort.id, userId, addedAt: now } });
    } catch (error) {
      // A double-click: the other request added the row first.
      if ((error as { code?: string }).code !== "P2002") throw error;
    }
  }
  return { ok: true, cohortId: cohort.id, cohortName: cohort.name, alreadyMember: Boolean(existing) };
}
