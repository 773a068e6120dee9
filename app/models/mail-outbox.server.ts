// The durable mail outbox (docs/decisions/013-mail-outbox.md): MailMessage rows. A request or a
// CLI queues a row, in the transaction of what caused it where it can; the server's sender
// (utils/mail-sender.server.ts) claims rows with a lease, turns each into a Mail here, and settles
// it. Every write is a Prisma query with a compare-and-set in its `where`, so two app instances on
// one database (SQLite or PostgreSQL) never both send a row.
import { randomBytes } from "node:crypto";
import type { Prisma } from "~/generated/prisma/client";
import { localized, type Locale } from "~/i18n";
import { getDb } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import type { Mail, MailBrand, MailKind } from "~/utils/mail.server";
import { issueEmailToken } from "./email-change.server";
import { createPasswordToken, RESET_PASSWORD_TTL_MS, SET_PASSWORD_TTL_MS } from "./password-token.server";
import { getRegulator, getRegulatorLogo, regulatorDisplayName } from "./regulator.server";
import { reminderMailContent, type ReminderParams } from "./reminder.server";

type Client = Prisma.TransactionClient | ReturnType<typeof getDb>;

export const outboxPolicy = {
  /** A claimed row is the claimant's for this long: far more than one SMTP attempt can take. */
  leaseMs: 5 * 60_000,
  /** Attempts before a message is given up (about an hour and a half of retries in all). */
  maxAttempts: 8,
  /** The wait after the first failure; it doubles after each, up to maxBackoffMs. */
  firstBackoffMs: 30_000,
  maxBackoffMs: 60 * 60_000,
  /** Settled rows (sent, failed, dropped) are deleted after this long. */
  keepMs: 30 * 24 * 60 * 60_000,
};

/** Each kind's params, as queued. */
export type QueuedParams = {
  /** Resolved when sent: the account, if any, and a fresh reset token then (none is stored). */
  password_reset: Record<string, never>;
  /** The link `npm run users:create` printed; emptied from the row once sent. */
  set_password: { link: string };
  certificate_issued: { certificateId: string };
  /** The invitation and its link (the token is hashed in the row); emptied from the row once sent. */
  cohort_invitation: { invitationId: string; link: string };
  /** The pending EmailChange row; its token is made when sent (email-change.server.ts). */
  email_verification: { changeId: string };
  /** The new address, masked as the notice shows it. */
  email_change_notice: { masked: string };
  /** Nothing: the name and language are read when sent (admin.server.ts resetTwoFactor). */
  two_factor_reset: Record<string, never>;
  /** Which assignment, reminder and due date (models/reminder.server.ts); re-read when sent. */
  assignment_due: ReminderParams;
};

export type QueuedMail<K extends MailKind = MailKind> = {
  kind: K;
  to: string;
  locale: Locale;
  regulator?: string;
  userId?: string | null;
  params: QueuedParams[K];
};

/** Queues a message; pass the transaction of what caused it so both commit or neither does. */
export async function enqueueMail<K extends MailKind>(client: Client, mail: QueuedMail<K>, now = new Date()) {
  await client.mailMessage.create({
    data: {
      kind: mail.kind,
      to: mail.to,
      locale: mail.locale,
      regulator: mail.regulator ?? "",
      userId: mail.userId ?? null,
      params: JSON.stringify(mail.params),
      leaseUntil: now,
      createdAt: now,
    },
  });
}

export type ClaimedMessage = {
  id: string;
  kind: string;
  to: string;
  locale: string;
  regulator: string;
  userId: string | null;
  params: string;
  attempts: number;
  claimToken: string;
};

/**
 * Claims up to `limit` due rows for this sender: each claim is an UPDATE whose `where` repeats
 * what was read (pending, lease over, same attempt count), so of two instances reading the same
 * row only one UPDATE matches it.
 */
export async function claimDueMessages(limit: number, now = new Date()): Promise<ClaimedMessage[]> {
  const db = getDb();
  const due = await db.mailMessage.findMany({
    where: { status: "pending", leaseUntil: { lte: now } },
    orderBy: { leaseUntil: "asc" },
    take: limit,
    select: { id: true, attempts: true },
  });
  const claimed: ClaimedMessage[] = [];
  for (const row of due) {
    const claimToken = randomBytes(12).toString("base64url");
    const won = await db.mailMessage.updateMany({
      where: { id: row.id, status: "pending", attempts: row.attempts, leaseUntil: { lte: now } },
      data: {
        attempts: row.attempts + 1,
        claimToken,
        leaseUntil: new Date(now.getTime() + outboxPolicy.leaseMs),
      },
    });
    if (won.count !== 1) continue;
    const message = await db.mailMessage.findUnique({ where: { id: row.id } });
    if (message) claimed.push({ ...message, claimToken });
  }
  return claimed;
}

const byClaim = (message: ClaimedMessage) => ({ id: message.id, claimToken: message.claimToken });

/** Sent: the row keeps who and when, not what (its params may have held a link). */
export async function markSent(message: ClaimedMessage, now = new Date()): Promise<void> {
  await getDb().mailMessage.updateMany({
    where: byClaim(message),
    data: { status: "sent", sentAt: now, params: "{}", claimToken: null, lastError: null },
  });
}

/** Not sent, on purpose (mail off, account closed, certificate revoked): never tried again. */
export async function markDropped(message: ClaimedMessage, reason: string): Promise<void> {
  await getDb().mailMessage.updateMany({
    where: byClaim(message),
    data: { status: "dropped", params: "{}", claimToken: null, lastError: reason },
  });
}

/** A reset asked for an address no account has: nothing of it is kept. */
export async function forgetMessage(message: ClaimedMessage): Promise<void> {
  await getDb().mailMessage.deleteMany({ where: byClaim(message) });
}

/** The wait before attempt `attempts + 1`: 30 s, 1 min, 2 min… capped at an hour. */
export function backoffAfter(attempts: number): number {
  return Math.min(outboxPolicy.maxBackoffMs, outboxPolicy.firstBackoffMs * 2 ** Math.max(0, attempts - 1));
}

/**
 * The attempt failed: tried again after a back-off, or given up after maxAttempts. Says which,
 * so the sender can log a give-up as an error.
 */
export async function markFailed(
  message: ClaimedMessage,
  error: string,
  now = new Date(),
): Promise<"retry" | "gave-up"> {
  const gaveUp = message.attempts >= outboxPolicy.maxAttempts;
  await getDb().mailMessage.updateMany({
    where: byClaim(message),
    data: gaveUp
      ? { status: "failed", params: "{}", claimToken: null, lastError: error.slice(0, 500) }
      : {
          claimToken: null,
          lastError: error.slice(0, 500),
          leaseUntil: new Date(now.getTime() + backoffAfter(message.attempts)),
        },
  });
  return gaveUp ? "gave-up" : "retry";
}

/** Deletes settled rows older than keepMs (the sender runs it now and then). */
export async function purgeSettledMessages(now = new Date()): Promise<number> {
  const { count } = await getDb().mailMessage.deleteMany({
    where: { status: { not: "pending" }, createdAt: { lt: new Date(now.getTime() - outboxPolicy.keepMs) } },
  });
  return count;
}

/** What a claimed row becomes: a Mail to send, or a reason not to send it. */
export type PreparedMail =
  { status: "ready"; mail: Mail } | { status: "drop"; reason: string } | { status: "forget"; reason: string };

const asLocale = (value: string): Locale => (value === "fr" ? "fr" : "en");

async function brandOf(regulatorId: string, locale: Locale): Promise<MailBrand> {
  if (!regulatorId) return { name: "Vignette" };
  // Read at send time: the profile and logo current then, the logo's bytes from the database.
  const [profile, logo] = await Promise.all([getRegulator(regulatorId), getRegulatorLogo(regulatorId)]);
  const name = regulatorDisplayName(profile, regulatorId, locale);
  return {
    name,
    ...(profile?.colour ? { colour: profile.colour } : {}),
    ...(logo
      ? { logo: { alt: name, bytes: logo.bytes, contentType: logo.type, width: logo.width, height: logo.height } }
      : {}),
  };
}

/** The deployment's origin for links: PUBLIC_URL, never a request's Host header. */
export function mailOrigin(): string {
  const env = getEnv();
  return new URL(env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).origin;
}

/**
 * Reads what the message needs at the moment it is sent: the account as it is now (its name and
 * language; closed accounts get nothing), the certificate (revoked ones get nothing) and, for a
 * reset, a fresh token, so the database never holds a working reset link.
 */
export async function prepareMail(message: ClaimedMessage, now = new Date()): Promise<PreparedMail> {
  const db = getDb();
  const origin = mailOrigin();
  const params = JSON.parse(message.params) as Record<string, unknown>;
  const user = message.userId
    ? await db.user.findUnique({ where: { id: message.userId } })
    : message.kind === "password_reset" || message.kind === "cohort_invitation"
      ? await db.user.findUnique({ where: { email: message.to } })
      : null;
  if (message.kind === "password_reset" && !user) return { status: "forget", reason: "no account" };
  if (user?.closedAt) return { status: "drop", reason: "account closed" };
  const locale = asLocale(user?.locale ?? message.locale);
  const base = { id: message.id, to: user?.email ?? message.to, locale, origin };

  switch (message.kind) {
    case "password_reset": {
      const token = await createPasswordToken(user!.id, "reset", RESET_PASSWORD_TTL_MS, now);
      return {
        status: "ready",
        mail: {
          ...base,
          brand: await brandOf(user!.regulator, locale),
          content: {
            kind: "password_reset",
            name: user!.name,
            link: `${origin}/set-password?token=${token}`,
            validHours: RESET_PASSWORD_TTL_MS / 3_600_000,
          },
        },
      };
    }
    case "set_password": {
      if (typeof params.link !== "string") return { status: "drop", reason: "no link" };
      return {
        status: "ready",
        mail: {
          ...base,
          brand: await brandOf(message.regulator || (user?.regulator ?? ""), locale),
          content: {
            kind: "set_password",
            name: user?.name ?? "",
            link: params.link,
            validHours: SET_PASSWORD_TTL_MS / 3_600_000,
          },
        },
      };
    }
    case "certificate_issued": {
      const certificate =
        typeof params.certificateId === "string"
          ? await db.certificate.findUnique({ where: { id: params.certificateId }, include: { completion: true } })
          : null;
      if (!certificate) return { status: "drop", reason: "no certificate" };
      if (certificate.revokedAt) return { status: "drop", reason: "certificate revoked" };
      const { completion } = certificate;
      return {
        status: "ready",
        mail: {
          ...base,
          brand: await brandOf(completion.regulator, locale),
          content: {
            kind: "certificate_issued",
            name: completion.learnerName,
            caseTitle: localized(JSON.parse(completion.caseTitle) as Partial<Record<Locale, string>>, locale),
            link: `${origin}/certificates/${certificate.code}`,
          },
        },
      };
    }
    case "cohort_invitation": {
      // Sent only while it can still be accepted: a withdrawn (deleted), answered or expired
      // invitation gets no mail. The recipient's language if the address has an account, else the
      // educator's (queued as the row's locale).
      const invitation =
        typeof params.invitationId === "string" && typeof params.link === "string"
          ? await db.cohortInvitation.findUnique({ where: { id: params.invitationId }, include: { cohort: true } })
          : null;
      if (!invitation || invitation.status !== "pending") return { status: "drop", reason: "invitation withdrawn" };
      if (invitation.expiresAt.getTime() <= now.getTime()) return { status: "drop", reason: "invitation expired" };
      const educator = await db.user.findUnique({ where: { id: invitation.invitedById }, select: { name: true } });
      return {
        status: "ready",
        mail: {
          ...base,
          brand: await brandOf(message.regulator, locale),
          content: {
            kind: "cohort_invitation",
            name: user?.name ?? "",
            cohortName: invitation.cohort.name,
            educatorName: educator?.name ?? "",
            link: String(params.link),
            validDays: Math.round((invitation.expiresAt.getTime() - invitation.createdAt.getTime()) / 86_400_000),
          },
        },
      };
    }
    case "email_verification": {
      // To the address being proved (not the account's current one), with a token made now.
      const issued = user && typeof params.changeId === "string" ? await issueEmailToken(params.changeId, now) : null;
      if (!issued) return { status: "drop", reason: "verification withdrawn" };
      return {
        status: "ready",
        mail: {
          ...base,
          to: issued.email,
          brand: await brandOf(user!.regulator, locale),
          content: {
            kind: "email_verification",
            name: user!.name,
            link: `${origin}/verify-email?token=${issued.token}`,
            validHours: Math.round((issued.expiresAt.getTime() - now.getTime()) / 3_600_000),
            change: issued.purpose === "change",
          },
        },
      };
    }
    case "email_change_notice": {
      // To the address the change was asked from, even if the switch happened before this is sent.
      if (!user || typeof params.masked !== "string") return { status: "drop", reason: "no account" };
      return {
        status: "ready",
        mail: {
          ...base,
          to: message.to,
          brand: await brandOf(user.regulator, locale),
          content: {
            kind: "email_change_notice",
            name: user.name,
            maskedEmail: params.masked,
            link: `${origin}/forgot-password`,
          },
        },
      };
    }
    case "two_factor_reset": {
      if (!user) return { status: "drop", reason: "no account" };
      return {
        status: "ready",
        mail: {
          ...base,
          brand: await brandOf(user.regulator, locale),
          content: { kind: "two_factor_reset", name: user.name, link: `${origin}/login` },
        },
      };
    }
    case "assignment_due": {
      const reminder = await reminderMailContent(params, user, locale, origin, now);
      if (!reminder.ok) return { status: "drop", reason: reminder.reason };
      return {
        status: "ready",
        mail: { ...base, brand: await brandOf(message.regulator, locale), content: reminder.content },
      };
    }
    default:
      return { status: "drop", reason: `unknown kind ${message.kind}` };
  }
}
