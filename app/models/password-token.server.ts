// One-time links to set a password: how an account made by `npm run users:create` (the first
// operator of a deployment included) gets its password, and later how a reset link works. The link
// carries a random token; the database keeps only its sha256, valid for a limited time, once.
import { createHash, randomBytes } from "node:crypto";
import { getDb } from "~/utils/db.server";
import { logEvent } from "~/utils/log.server";
import { hashPassword } from "./user.server";

export type TokenPurpose = "set" | "reset";

/** A new account's link lasts a day (it may wait for the person to read their mail). */
export const SET_PASSWORD_TTL_MS = 24 * 60 * 60 * 1000;

/** A reset link (/forgot-password) lasts an hour: it is made when the mail goes out. */
export const RESET_PASSWORD_TTL_MS = 60 * 60 * 1000;

const digest = (token: string) => createHash("sha256").update(token).digest("hex");

/** A fresh token for the user; earlier unused tokens of the same purpose stop working. */
export async function createPasswordToken(
  userId: string,
  purpose: TokenPurpose,
  ttlMs = SET_PASSWORD_TTL_MS,
  now = new Date(),
): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  const db = getDb();
  await db.$transaction([
    db.passwordToken.deleteMany({ where: { userId, purpose, usedAt: null } }),
    db.passwordToken.create({
      data: { id: digest(token), userId, purpose, createdAt: now, expiresAt: new Date(now.getTime() + ttlMs) },
    }),
  ]);
  return token;
}

export type TokenCheck =
  | { ok: true; value: { userId: string; purpose: TokenPurpose; name: string } }
  | { ok: false; code: "invalid" | "expired" | "used" };

/** What a token opens, without using it (the page that asks for the new password). */
export async function checkPasswordToken(token: string, now = new Date()): Promise<TokenCheck> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return { ok: false, code: "invalid" };
  const row = await getDb().passwordToken.findUnique({
    where: { id: digest(token) },
    include: { user: { select: { name: true, closedAt: true } } },
  });
  if (!row || row.user.closedAt) return { ok: false, code: "invalid" };
  if (row.usedAt) return { ok: false, code: "used" };
  if (row.expiresAt.getTime() <= now.getTime()) return { ok: false, code: "expired" };
  return { ok: true, value: { userId: row.userId, purpose: row.purpose as TokenPurpose, name: row.user.name } };
}

/**
 * Uses the token to set the password: at most once (the claim is a compare-and-set on usedAt),
 * and every session of the account ends, so a link cannot be used to ride along with someone.
 */
export async function redeemPasswordToken(token: string, password: string, now = new Date()): Promise<TokenCheck> {
  const check = await checkPasswordToken(token, now);
  if (!check.ok) return check;
  const passwordHash = await hashPassword(password);
  const db = getDb();
  const { userId } = check.value;
  const claimed = await db.$transaction(async (tx) => {
    const claim = await tx.passwordToken.updateMany({
      where: { id: digest(token), usedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now },
    });
    if (claim.count !== 1) return false;
    await tx.password.upsert({
      where: { userId },
      create: { userId, hash: passwordHash },
      update: { hash: passwordHash },
    });
    await tx.session.deleteMany({ where: { userId } });
    // The link was mailed to the account's address, so using it proves the address (ADR 024); and a
    // change of address someone else started is cancelled with everything else they held.
    await tx.user.updateMany({ where: { id: userId, emailVerifiedAt: null }, data: { emailVerifiedAt: now } });
    await tx.emailChange.deleteMany({ where: { userId, purpose: "change", usedAt: null } });
    return true;
  });
  if (!claimed) return { ok: false, code: "used" };
  logEvent("auth.password_changed", { userId, via: check.value.purpose === "set" ? "set-link" : "reset-link" });
  return check;
}
