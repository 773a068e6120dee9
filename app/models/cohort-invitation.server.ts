// Invitations to a cohort by email (docs/decisions/018-cohort-consent.md). An educator types
// addresses; each gets an invitation row (the link's token hashed, valid 30 days) and a mail through
// the outbox. Nothing here tells the educator whether an address has an account: the answer to an
// invitation is the same for every address, and the account is looked up only by the mail sender
// (for the recipient's language) and by the person who opens the link. Accepting makes a
// CohortMember row dated now; from then on, and only from then, the educator sees the learner's
// attempts at the cohort's assignments (models/progress.server.ts).
import { createHash, randomBytes } from "node:crypto";
import type { Locale } from "~/i18n";
import { getDb } from "~/utils/db.server";
import { fail, ok, type Failure, type Result, type Success } from "~/utils/result";
import { EVERY_REGULATOR, type Grant } from "~/utils/roles";
import { recordAudit } from "./audit.server";
import { findCohort, joinWithConsent, type Actor } from "./cohort.server";
import { enqueueMail, mailOrigin } from "./mail-outbox.server";
import { normalizeEmail } from "./user.server";

export const invitationPolicy = {
  /** How long a mailed link can be answered. */
  ttlMs: 30 * 24 * 60 * 60_000,
  /** Invitations one educator may send in 24 hours, all cohorts together (mail is not a megaphone). */
  perEducatorPerDay: 500,
};

const DAY_MS = 24 * 60 * 60_000;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const digest = (token: string) => createHash("sha256").update(token).digest("hex");

/** The link a token opens; the one way to spell it. */
export const invitationPath = (token: string) => `/invitations/${encodeURIComponent(token)}`;

/**
 * The regulator an educator's mail speaks for: the one they teach for, when a grant names it; else
 * their own account's (an operator's grants name every regulator).
 */
export function inviterRegulator(user: { regulator: string; grants: readonly Grant[] }): string {
  const grant = user.grants.find(
    (g) => (g.role === "educator" || g.role === "admin") && g.regulator !== EVERY_REGULATOR,
  );
  return grant?.regulator ?? user.regulator;
}

export type InviteResult =
  Success<{ invited: number }> | Failure<"not-found"> | (Failure<"daily-limit"> & { limit: number });

/**
 * Invites each address (deduplicated, normalized). The result depends only on what was typed, never
 * on who has an account: an address already invited and still pending is not mailed again, nor one
 * of a learner already in the cohort (whose email the educator sees anyway), but the answer counts
 * them all the same. One transaction: the rows, their mail and the audit entry commit together.
 */
export async function inviteByEmail(
  actor: Actor,
  cohortId: string,
  emails: readonly string[],
  sender: { locale: Locale; regulator: string },
  now = new Date(),
): Promise<InviteResult> {
  const cohort = await findCohort(actor, cohortId);
  if (!cohort) return fail("not-found");
  const wanted = [...new Set(emails.map(normalizeEmail))];
  const origin = mailOrigin();
  return getDb().$transaction(async (tx): Promise<InviteResult> => {
    const sentToday = await tx.cohortInvitation.count({
      where: { invitedById: actor.id, createdAt: { gt: new Date(now.getTime() - DAY_MS) } },
    });
    if (sentToday + wanted.length > invitationPolicy.perEducatorPerDay)
      return { ...fail("daily-limit"), limit: invitationPolicy.perEducatorPerDay };
    const pending = await tx.cohortInvitation.findMany({
      where: { cohortId, email: { in: wanted }, status: "pending", expiresAt: { gt: now } },
      select: { email: true },
    });
    const members = await tx.cohortMember.findMany({ where: { cohortId }, select: { userId: true } });
    const memberEmails = await tx.user.findMany({
      where: { id: { in: members.map((m) => m.userId) }, email: { in: wanted } },
      select: { email: true },
    });
    const skip = new Set([...pending, ...memberEmails].map((r) => r.email));
    const ids: string[] = [];
    for (const email of wanted.filter((e) => !skip.has(e))) {
      const token = randomBytes(32).toString("base64url");
      const invitation = await tx.cohortInvitation.create({
        data: {
          cohortId,
          email,
          tokenHash: digest(token),
          invitedById: actor.id,
          createdAt: now,
          expiresAt: new Date(now.getTime() + invitationPolicy.ttlMs),
        },
      });
      ids.push(invitation.id);
      await enqueueMail(
        tx,
        {
          kind: "cohort_invitation",
          to: email,
          locale: sender.locale,
          regulator: sender.regulator,
          params: { invitationId: invitation.id, link: `${origin}${invitationPath(token)}` },
        },
        now,
      );
    }
    // Who invited how many, when: the addresses stay in the invitation rows, out of the append-only log.
    await recordAudit(
      {
        subject: `cohort:${cohortId}`,
        actorId: actor.id,
        action: "cohort_invited",
        detail: { invitations: ids },
        at: now,
      },
      tx,
    );
    return ok({ invited: wanted.length });
  });
}

export type InvitationCounts = { pending: number; accepted: number; declined: number; expired: number };
export type InvitationRow = { id: string; email: string; sentAt: Date; expiresAt: Date; expired: boolean };

/**
 * What the educator sees of their invitations: counts by status, and the addresses they typed that
 * have not joined (without saying which declined: an address's status would tell, over time, who
 * reads their mail). Null when the actor may not see the cohort.
 */
export async function listInvitations(
  actor: Actor,
  cohortId: string,
  now = new Date(),
): Promise<{ counts: InvitationCounts; open: InvitationRow[] } | null> {
  if (!(await findCohort(actor, cohortId))) return null;
  const rows = await getDb().cohortInvitation.findMany({
    where: { cohortId },
    orderBy: [{ createdAt: "desc" }, { email: "asc" }],
  });
  const counts: InvitationCounts = { pending: 0, accepted: 0, declined: 0, expired: 0 };
  const open: InvitationRow[] = [];
  for (const row of rows) {
    const expired = row.status === "pending" && row.expiresAt.getTime() <= now.getTime();
    if (expired) counts.expired += 1;
    else if (row.status === "pending" || row.status === "accepted" || row.status === "declined")
      counts[row.status] += 1;
    if (row.status !== "accepted")
      open.push({ id: row.id, email: row.email, sentAt: row.createdAt, expiresAt: row.expiresAt, expired });
  }
  return { counts, open };
}

/**
 * Withdraws an invitation that has not been accepted: its link stops working and its mail, if not
 * sent yet, is not sent. The row goes (the audit entry says it was withdrawn, not to whom).
 */
export async function revokeInvitation(
  actor: Actor,
  cohortId: string,
  invitationId: string,
  now = new Date(),
): Promise<boolean> {
  if (!(await findCohort(actor, cohortId))) return false;
  return getDb().$transaction(async (tx) => {
    const deleted = await tx.cohortInvitation.deleteMany({
      where: { id: invitationId, cohortId, status: { not: "accepted" } },
    });
    if (deleted.count !== 1) return false;
    await recordAudit(
      {
        subject: `cohort:${cohortId}`,
        actorId: actor.id,
        action: "cohort_invitation_revoked",
        detail: { invitation: invitationId },
        at: now,
      },
      tx,
    );
    return true;
  });
}

export type InvitationView = {
  id: string;
  cohortId: string;
  cohortName: string;
  educatorName: string;
  /** The address it was sent to: the holder of the link read it in their mail. */
  email: string;
  status: "pending" | "accepted" | "declined" | "expired";
  expiresAt: Date;
};

/** What the link shows, or null for a token that opens nothing (malformed, withdrawn, cohort deleted). */
export async function findInvitation(token: string, now = new Date()): Promise<InvitationView | null> {
  if (!TOKEN_PATTERN.test(token)) return null;
  const db = getDb();
  const row = await db.cohortInvitation.findUnique({ where: { tokenHash: digest(token) }, include: { cohort: true } });
  if (!row) return null;
  const educator = await db.user.findUnique({ where: { id: row.cohort.educatorId }, select: { name: true } });
  const expired = row.status === "pending" && row.expiresAt.getTime() <= now.getTime();
  return {
    id: row.id,
    cohortId: row.cohortId,
    cohortName: row.cohort.name,
    educatorName: educator?.name ?? "",
    email: row.email,
    status: expired ? "expired" : (row.status as InvitationView["status"]),
    expiresAt: row.expiresAt,
  };
}

export type AnswerResult = Result<
  { cohortId: string; cohortName: string },
  "invalid" | "expired" | "answered" | "wrong-account"
>;

/**
 * The signed-in person accepts: only the account with the invited address may (a forwarded link
 * puts nobody else in the cohort). A pending or declined invitation, not expired, becomes accepted
 * and the person a member from now, by compare-and-set, so a double click joins once. Accepting
 * again once accepted is a no-op success.
 */
export async function acceptInvitation(
  user: { id: string; email: string },
  token: string,
  now = new Date(),
): Promise<AnswerResult> {
  const invitation = await findInvitation(token, now);
  if (!invitation) return fail("invalid");
  if (normalizeEmail(user.email) !== invitation.email) return fail("wrong-account");
  const done = ok({ cohortId: invitation.cohortId, cohortName: invitation.cohortName });
  if (invitation.status === "accepted") return done;
  if (invitation.status === "expired") return fail("expired");
  return getDb().$transaction(async (tx) => {
    const claimed = await tx.cohortInvitation.updateMany({
      where: { id: invitation.id, status: { in: ["pending", "declined"] }, expiresAt: { gt: now } },
      data: { status: "accepted", respondedAt: now },
    });
    if (claimed.count !== 1) return done; // the other click of a double click
    await joinWithConsent(tx, invitation.cohortId, user.id, "invitation", now);
    return done;
  });
}

/**
 * Declines a pending invitation. No account is needed: whoever holds the link read the mail, and
 * an answer that needs no account tells the educator nothing about accounts.
 */
export async function declineInvitation(token: string, now = new Date()): Promise<AnswerResult> {
  const invitation = await findInvitation(token, now);
  if (!invitation) return fail("invalid");
  if (invitation.status === "expired") return fail("expired");
  const done = ok({ cohortId: invitation.cohortId, cohortName: invitation.cohortName });
  if (invitation.status === "declined") return done;
  if (invitation.status === "accepted") return fail("answered");
  const claimed = await getDb().cohortInvitation.updateMany({
    where: { id: invitation.id, status: "pending" },
    data: { status: "declined", respondedAt: now },
  });
  return claimed.count === 1 || (await findInvitation(token, now))?.status === "declined" ? done : fail("answered");
}
