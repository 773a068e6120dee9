// Proving an address (docs/decisions/024-email-verification.md). An EmailChange row is an address
// waiting to be proved: the account's own after /join ("verify"), or a new one the person asked to
// change to ("change"), which the account does not use until the link mailed there is followed.
// The link's token is made when the mail is sent (models/mail-outbox.server.ts prepareMail), so
// neither the outbox nor this table ever holds a working link: the row keeps its sha256 only, valid
// 24 hours, once. Asking to change to an address another account has gets the same answer and the
// same mail as any other address; the link then says the address is taken and changes nothing.
import { createHash, randomBytes } from "node:crypto";
import type { Prisma } from "~/generated/prisma/client";
import type { Locale } from "~/i18n";
import { getDb } from "~/utils/db.server";
import { logEvent } from "~/utils/log.server";
import { fail, ok, type Result } from "~/utils/result";
import { recordAudit } from "./audit.server";
import { enqueueMail } from "./mail-outbox.server";
import { normalizeEmail } from "./user.server";

type Client = Prisma.TransactionClient | ReturnType<typeof getDb>;

export type EmailPurpose = "verify" | "change";

const HOUR = 60 * 60_000;

export const emailPolicy = {
  /** A link works for a day: it may wait in an inbox overnight. */
  ttlMs: 24 * HOUR,
  windowMs: HOUR,
  /** Mails per account per hour, for "send again" and for change requests each: nobody's inbox fills. */
  perHour: 3,
};

const digest = (token: string) => createHash("sha256").update(token).digest("hex");

/** "n***@college.example": enough for the owner to recognize, not enough to read off a screen or a log. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf("@");
  if (at < 1) return "***";
  return `${email.slice(0, 1)}***${email.slice(at)}`;
}

/**
 * Counts one mail for `key` in LoginThrottle (kind:value keys like throttle.server.ts's, purged
 * after a day by purgeStaleThrottles): 0 when it may go, else the wait in ms.
 */
async function takeMailSlot(tx: Prisma.TransactionClient, key: string, now: Date): Promise<number> {
  const row = await tx.loginThrottle.findUnique({ where: { key } });
  const current = row && now.getTime() - row.windowStart.getTime() <= emailPolicy.windowMs ? row : undefined;
  if (current && current.failures >= emailPolicy.perHour) {
    return Math.max(1, current.windowStart.getTime() + emailPolicy.windowMs - now.getTime());
  }
  const failures = (current?.failures ?? 0) + 1;
  const windowStart = current?.windowStart ?? now;
  await tx.loginThrottle.upsert({
    where: { key },
    create: { key, failures, windowStart, blockedUntil: null },
    update: { failures, windowStart },
  });
  return 0;
}

/** A new pending row for the address (earlier unused ones of the purpose stop working) and its mail. */
async function queueProof(
  tx: Client,
  user: { id: string; regulator: string },
  email: string,
  purpose: EmailPurpose,
  locale: Locale,
  now: Date,
) {
  await tx.emailChange.deleteMany({ where: { userId: user.id, purpose, usedAt: null } });
  const row = await tx.emailChange.create({
    data: { userId: user.id, email, purpose, createdAt: now, expiresAt: new Date(now.getTime() + emailPolicy.ttlMs) },
  });
  await enqueueMail(
    tx,
    {
      kind: "email_verification",
      to: email,
      locale,
      regulator: user.regulator,
      userId: user.id,
      params: { changeId: row.id },
    },
    now,
  );
  return row;
}

/** A new account's address (/join): a link to prove it goes out with the account, in its transaction. */
export async function queueJoinVerification(
  user: { id: string; email: string; regulator: string; locale: string },
  now = new Date(),
  client: Client = getDb(),
): Promise<void> {
  await queueProof(client, user, user.email, "verify", user.locale === "fr" ? "fr" : "en", now);
}

export type AgainRefusal = "verified" | "throttled";

/** "Send again" on /me/account: at most `perHour` an hour; nothing for an address already proved. */
export async function sendVerificationAgain(
  userId: string,
  now = new Date(),
): Promise<Result<null, "verified"> | { ok: false; code: "throttled"; retryAfterMs: number }> {
  return getDb().$transaction(async (tx) => {
    const user = await tx.user.findUniqueOrThrow({ where: { id: userId } });
    if (user.emailVerifiedAt) return fail("verified");
    const waitMs = await takeMailSlot(tx, `verify-mail:${userId}`, now);
    if (waitMs > 0) return { ...fail("throttled"), retryAfterMs: waitMs };
    await queueProof(tx, user, user.email, "verify", user.locale === "fr" ? "fr" : "en", now);
    return ok(null);
  });
}

/**
 * Starts a change of address (the caller has confirmed the current password): the new address gets
 * the link, the current one a notice naming the new one masked. The answer is the same whether or not
 * another account uses the new address. Refused only for the address the account already has, and
 * past `perHour` requests an hour.
 */
export async function requestEmailChange(
  userId: string,
  rawEmail: string,
  now = new Date(),
): Promise<Result<{ masked: string }, "same" | "portal"> | { ok: false; code: "throttled"; retryAfterMs: number }> {
  const email = normalizeEmail(rawEmail);
  const db = getDb();
  return db.$transaction(async (tx) => {
    const user = await tx.user.findUniqueOrThrow({
      where: { id: userId },
      include: { _count: { select: { oidcIdentities: true } } },
    });
    if (user._count.oidcIdentities > 0) return fail("portal");
    if (user.email === email) return fail("same");
    const waitMs = await takeMailSlot(tx, `email-change:${userId}`, now);
    if (waitMs > 0) return { ...fail("throttled"), retryAfterMs: waitMs };
    const locale: Locale = user.locale === "fr" ? "fr" : "en";
    await queueProof(tx, user, email, "change", locale, now);
    const masked = maskEmail(email);
    await enqueueMail(
      tx,
      {
        kind: "email_change_notice",
        to: user.email,
        locale,
        regulator: user.regulator,
        userId,
        params: { masked },
      },
      now,
    );
    await recordAudit(
      {
        subject: `account:${userId}`,
        actorId: userId,
        action: "email_change_requested",
        detail: { to: masked },
        at: now,
      },
      tx,
    );
    logEvent("account.email_change_requested", { userId });
    return ok({ masked });
  });
}

/**
 * At send time: a fresh token for the pending row (one already sent is replaced: a retried mail
 * carries the only working link). Null when the row is gone, used or expired: no mail then.
 */
export async function issueEmailToken(
  changeId: string,
  now = new Date(),
): Promise<{ token: string; email: string; purpose: EmailPurpose; expiresAt: Date } | null> {
  const token = randomBytes(32).toString("base64url");
  const db = getDb();
  const claimed = await db.emailChange.updateMany({
    where: { id: changeId, usedAt: null, expiresAt: { gt: now } },
    data: { tokenHash: digest(token) },
  });
  if (claimed.count !== 1) return null;
  const row = await db.emailChange.findUniqueOrThrow({ where: { id: changeId } });
  return { token, email: row.email, purpose: row.purpose as EmailPurpose, expiresAt: row.expiresAt };
}

export type EmailTokenRefusal = "invalid" | "expired" | "used" | "taken" | "stale";
export type EmailTokenCheck = Result<
  { userId: string; purpose: EmailPurpose; email: string; masked: string },
  EmailTokenRefusal
>;

const TOKEN_FORM = /^[A-Za-z0-9_-]{20,100}$/;

/** What a link opens, without using it (the page a mail scanner may fetch changes nothing). */
export async function checkEmailToken(token: string, now = new Date()): Promise<EmailTokenCheck> {
  if (!TOKEN_FORM.test(token)) return fail("invalid");
  const row = await getDb().emailChange.findUnique({
    where: { tokenHash: digest(token) },
    include: { user: { select: { email: true, closedAt: true, deactivatedAt: true } } },
  });
  if (!row || row.user.closedAt || row.user.deactivatedAt) return fail("invalid");
  if (row.usedAt) return fail("used");
  if (row.expiresAt.getTime() <= now.getTime()) return fail("expired");
  if (row.purpose === "verify" && row.email !== row.user.email) return fail("stale");
  if (row.purpose === "change") {
    const owner = await getDb().user.findUnique({ where: { email: row.email }, select: { id: true } });
    if (owner && owner.id !== row.userId) return fail("taken");
  }
  return ok({
    userId: row.userId,
    purpose: row.purpose as EmailPurpose,
    email: row.email,
    masked: maskEmail(row.email),
  });
}

const isUniqueViolation = (error: unknown) =>
  typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2002";

/**
 * Uses a link, once (a compare-and-set on usedAt). "verify" marks the account's address proved.
 * "change" switches the account to the new address, proved, and ends every other session (all of
 * them but `current`, when the browser that followed the link is signed in to this account); unused
 * password and address links of the account stop working. An address taken meanwhile changes nothing.
 */
export async function redeemEmailToken(
  token: string,
  current: { sessionId: string; userId: string } | null = null,
  now = new Date(),
): Promise<EmailTokenCheck> {
  const check = await checkEmailToken(token, now);
  if (!check.ok) return check;
  const { userId, purpose, email, masked } = check.value;
  const keepSessionId = current?.userId === userId ? current.sessionId : null;
  const db = getDb();
  try {
    const claimed = await db.$transaction(async (tx) => {
      const claim = await tx.emailChange.updateMany({
        where: { tokenHash: digest(token), usedAt: null, expiresAt: { gt: now } },
        data: { usedAt: now },
      });
      if (claim.count !== 1) return false;
      if (purpose === "verify") {
        await tx.user.update({ where: { id: userId }, data: { emailVerifiedAt: now } });
        await recordAudit(
          {
            subject: `account:${userId}`,
            actorId: userId,
            action: "email_verified",
            detail: { email: masked },
            at: now,
          },
          tx,
        );
        return true;
      }
      const before = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { email: true } });
      await tx.user.update({ where: { id: userId }, data: { email, emailVerifiedAt: now } });
      await tx.session.deleteMany({ where: { userId, ...(keepSessionId ? { id: { not: keepSessionId } } : {}) } });
      // A reset link mailed to the old address, or another pending address, must not outlive the change.
      await tx.passwordToken.deleteMany({ where: { userId, usedAt: null } });
      await tx.emailChange.deleteMany({ where: { userId, usedAt: null } });
      await recordAudit(
        {
          subject: `account:${userId}`,
          actorId: userId,
          action: "email_changed",
          detail: { from: maskEmail(before.email), to: masked },
          at: now,
        },
        tx,
      );
      return true;
    });
    if (!claimed) return fail("used");
  } catch (error) {
    // Another account took the address between the check and the switch: the unique email refused it.
    if (isUniqueViolation(error)) return fail("taken");
    throw error;
  }
  logEvent(purpose === "verify" ? "account.email_verified" : "account.email_changed", { userId });
  return check;
}

/**
 * What /me/account shows: whether the address is proved, the change waiting for its link, and
 * whether a registrant portal owns the name and address (an account linked to one, ADR 019).
 */
export async function emailStatus(userId: string, now = new Date()) {
  const db = getDb();
  const user = await db.user.findUniqueOrThrow({
    where: { id: userId },
    select: { emailVerifiedAt: true, _count: { select: { oidcIdentities: true } } },
  });
  const pending = await db.emailChange.findFirst({
    where: { userId, purpose: "change", usedAt: null, expiresAt: { gt: now } },
    orderBy: { createdAt: "desc" },
    select: { email: true, expiresAt: true },
  });
  return {
    verified: user.emailVerifiedAt !== null,
    pending: pending ? { masked: maskEmail(pending.email), expiresAt: pending.expiresAt } : null,
    portal: user._count.oidcIdentities > 0,
  };
}
