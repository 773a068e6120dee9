// Cohorts: groups of learners run by one educator. Every query is scoped by the actor: an educator
// reaches only their own cohorts (another's id reads as "not found"), an operator reaches all.
// Nobody is put in a cohort: a learner joins by accepting (a mailed invitation,
// models/cohort-invitation.server.ts, or the cohort's link) and may leave (ADR 018).
import type { Prisma } from "~/generated/prisma/client";
import { getDb } from "~/utils/db.server";
import { fail, ok, type Result } from "~/utils/result";
import { hasRole } from "~/utils/roles";
import { newCertificateCode } from "./attempt.server";
import { recordAudit } from "./audit.server";

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

/** A member as their educator sees them; addedAt is when they accepted (nothing before it is shown). */
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

/** Joining by the cohort's link: the code opens no cohort, or the person is in it (maybe already). */
export type JoinResult = Result<{ cohortId: string; cohortName: string; alreadyMember: boolean }, "not-found">;

/**
 * The one way into a cohort: the person's own acceptance (of a mailed invitation or of the cohort's
 * link), dated now, recorded in the audit log as consent given. A member already is left as is
 * (and keeps their first date). Returns whether a membership was made.
 */
export async function joinWithConsent(
  tx: Prisma.TransactionClient,
  cohortId: string,
  userId: string,
  via: "invitation" | "link",
  now: Date,
): Promise<boolean> {
  const existing = await tx.cohortMember.findUnique({ where: { cohortId_userId: { cohortId, userId } } });
  if (existing) return false;
  await tx.cohortMember.create({ data: { cohortId, userId, addedAt: now } });
  await recordAudit(
    { subject: `cohort:${cohortId}`, actorId: userId, action: "cohort_joined", detail: { via }, at: now },
    tx,
  );
  return true;
}

/**
 * Puts the user in the cohort the code opens, once they have accepted on the invitation page (which
 * says what the educator will see). A second acceptance is a no-op.
 */
export async function joinCohortByInvite(userId: string, code: string, now = new Date()): Promise<JoinResult> {
  const cohort = await findCohortByInvite(code);
  if (!cohort) return fail("not-found");
  const join = () => getDb().$transaction((tx) => joinWithConsent(tx, cohort.id, userId, "link", now));
  let joined: boolean;
  try {
    joined = await join();
  } catch (error) {
    // A double click: the other request made the row first (its transaction rolled this one back).
    if ((error as { code?: string }).code !== "P2002") throw error;
    joined = false;
  }
  return ok({ cohortId: cohort.id, cohortName: cohort.name, alreadyMember: !joined });
}

/**
 * The learner leaves: the membership goes, so their educator sees nothing more of them (joining
 * again later starts afresh: only attempts from then on). Recorded as consent withdrawn.
 */
export async function leaveCohort(userId: string, cohortId: string, now = new Date()): Promise<boolean> {
  return getDb().$transaction(async (tx) => {
    const left = await tx.cohortMember.deleteMany({ where: { cohortId, userId } });
    if (left.count !== 1) return false;
    await recordAudit({ subject: `cohort:${cohortId}`, actorId: userId, action: "cohort_left", at: now }, tx);
    return true;
  });
}

/** The cohorts a learner is in, with their educator and since when (their account page). */
export async function learnerCohorts(userId: string) {
  const db = getDb();
  const memberships = await db.cohortMember.findMany({
    where: { userId },
    include: { cohort: { select: { id: true, name: true, educatorId: true } } },
    orderBy: [{ addedAt: "desc" }, { cohortId: "asc" }],
  });
  const educators = await usersById(memberships.map((m) => m.cohort.educatorId));
  return memberships.map((m) => ({
    id: m.cohort.id,
    name: m.cohort.name,
    educatorName: educators.get(m.cohort.educatorId)?.name ?? "",
    joinedAt: m.addedAt,
  }));
}
