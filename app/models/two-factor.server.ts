// TOTP two-factor sign-in for staff (docs/decisions/014-two-factor.md). The rule of who must use it
// is `mustUseTwoFactor`, here and nowhere else. The TOTP secret is stored AES-256-GCM encrypted
// with a key derived from SESSION_SECRET; recovery codes and pending-login tokens only as sha256.
// A code is accepted within ±1 time step of 30 s, and never twice (the last used step is kept).
// Wrong codes are throttled like passwords (throttle.server.ts: growing delays, no lockout).
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes, randomInt } from "node:crypto";
import { Secret, TOTP } from "otpauth";
import type { Prisma } from "~/generated/prisma/client";
import { getDb } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { logEvent } from "~/utils/log.server";
import { hasRole } from "~/utils/roles";
import { attemptKeys, reserveAttempt, settleSuccess } from "./throttle.server";

export const TOTP_ISSUER = "Vignette";
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** Codes of the previous and the next time step are accepted too (clock drift, slow typing). */
export const TOTP_WINDOW = 1;
export const RECOVERY_CODE_COUNT = 10;
/** How long the second step of a sign-in may wait after the right password. */
export const PENDING_LOGIN_TTL_MS = 5 * 60 * 1000;

type Roles = { roles: readonly string[] };

/**
 * Who must have two-factor sign-in before reaching staff pages: administrators (the role that
 * becomes the platform's operator role; an operator's roles include "admin"). The one place for it.
 */
export function mustUseTwoFactor(user: Roles): boolean {
  return hasRole(user, "admin") || user.roles.includes("operator");
}

/** Who may turn it on: staff, anyone holding a role other than learner. */
export function mayUseTwoFactor(user: Roles): boolean {
  return user.roles.some((role) => role !== "learner");
}

// ---------------------------------------------------------------------------------------------
// The secret at rest.

const SECRET_FORMAT = "v1";

function keyOf(sessionSecret: string): Buffer {
  return Buffer.from(hkdfSync("sha256", sessionSecret, "vignette", "two-factor-secret-v1", 32));
}

/** `v1.<iv>.<tag>.<ciphertext>` (base64url), encrypted with the key of the first (signing) secret. */
export function encryptSecret(plain: string, sessionSecrets: readonly string[] = getEnv().sessionSecrets): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keyOf(sessionSecrets[0]!), iv);
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return [SECRET_FORMAT, iv, cipher.getAuthTag(), body]
    .map((p) => (typeof p === "string" ? p : p.toString("base64url")))
    .join(".");
}

/**
 * The plain secret, trying each configured secret's key (the first signs, the others are kept
 * while rotating); `current` is false when an older one opened it, so the caller re-encrypts.
 * Null when none does (tampered, or the secret that encrypted it was removed).
 */
export function decryptSecret(
  stored: string,
  sessionSecrets: readonly string[] = getEnv().sessionSecrets,
): { plain: string; current: boolean } | null {
  const [format, iv, tag, body] = stored.split(".");
  if (format !== SECRET_FORMAT || !iv || !tag || body === undefined) return null;
  for (const [index, secret] of sessionSecrets.entries()) {
    try {
      const decipher = createDecipheriv("aes-256-gcm", keyOf(secret), Buffer.from(iv, "base64url"));
      decipher.setAuthTag(Buffer.from(tag, "base64url"));
      const plain = Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
      return { plain, current: index === 0 };
    } catch {
      // The authentication tag does not match under this key: try the next one.
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Codes.

function totpOf(base32: string, email = ""): TOTP {
  return new TOTP({
    issuer: TOTP_ISSUER,
    label: email,
    secret: Secret.fromBase32(base32),
    algorithm: "SHA1",
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
  });
}

/** The time step (30-second counter) whose code `code` is, within the window; null when none. */
export function matchingStep(base32: string, code: string, now = Date.now()): number | null {
  const delta = totpOf(base32).validate({ token: code, timestamp: now, window: TOTP_WINDOW });
  return delta === null ? null : TOTP.counter({ period: TOTP_PERIOD_SECONDS, timestamp: now }) + delta;
}

/** The secret in groups of four, as a person types it into an app that cannot scan. */
export const groupedSecret = (base32: string) => base32.match(/.{1,4}/g)?.join(" ") ?? base32;

// No 0/o, 1/l/i: a code is read off paper.
const RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";
const RECOVERY_LENGTH = 10;

function newRecoveryCode(): string {
  let code = "";
  for (let i = 0; i < RECOVERY_LENGTH; i++) code += RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)];
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

// Recovery codes carry about 49 bits of randomness: a plain sha256 is enough (no dictionary to try).
const digest = (value: string) => createHash("sha256").update(value).digest("hex");

/** What a person typed, as either kind of code: spaces and dashes dropped, lower case. */
export function readCode(input: string): { kind: "totp" | "recovery"; value: string } | null {
  const compact = input.replace(/[\s-]/g, "").toLowerCase();
  if (new RegExp(`^\\d{${TOTP_DIGITS}}$`).test(compact)) return { kind: "totp", value: compact };
  if (compact.length === RECOVERY_LENGTH && [...compact].every((c) => RECOVERY_ALPHABET.includes(c))) {
    return { kind: "recovery", value: compact };
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Enrolment.

export type TwoFactorStatus = { enabled: boolean; enabledAt: Date | null; recoveryCodesLeft: number };

export async function twoFactorStatus(userId: string): Promise<TwoFactorStatus> {
  const row = await getDb().twoFactor.findUnique({ where: { userId }, select: { enabledAt: true } });
  if (!row?.enabledAt) return { enabled: false, enabledAt: null, recoveryCodesLeft: 0 };
  const recoveryCodesLeft = await getDb().recoveryCode.count({ where: { userId, usedAt: null } });
  return { enabled: true, enabledAt: row.enabledAt, recoveryCodesLeft };
}

/** Whether the person may not reach staff pages yet: they must enrol and have not. */
export async function needsTwoFactorEnrolment(user: Roles & { id: string }): Promise<boolean> {
  if (!mustUseTwoFactor(user)) return false;
  const row = await getDb().twoFactor.findUnique({ where: { userId: user.id }, select: { enabledAt: true } });
  return !row?.enabledAt;
}

/**
 * What a sign-in needs once the password was right: a code (two-factor sign-in is on), enrolment
 * first (the person must use it and has not turned it on: they are sent to set it up), or nothing.
 */
export async function signInSecondStep(userId: string): Promise<"code" | "enrol" | "none"> {
  const user = await getDb().user.findUniqueOrThrow({
    where: { id: userId },
    select: { twoFactor: { select: { enabledAt: true } }, roles: { select: { roleId: true } } },
  });
  if (user.twoFactor?.enabledAt) return "code";
  return mustUseTwoFactor({ roles: user.roles.map((r) => r.roleId) }) ? "enrol" : "none";
}

export type Enrolment = { secret: string; uri: string };

/**
 * The secret being set up for the person (a new one the first time, the same one on every later
 * visit until confirmed), with its otpauth:// URI. Null when two-factor sign-in is already on.
 */
export async function pendingEnrolment(user: { id: string; email: string }): Promise<Enrolment | null> {
  const db = getDb();
  let row = await db.twoFactor.findUnique({ where: { userId: user.id } });
  if (row?.enabledAt) return null;
  let plain = row ? decryptSecret(row.secret)?.plain : undefined;
  if (!row || !plain) {
    plain = new Secret({ size: 20 }).base32;
    const secret = encryptSecret(plain);
    row = await db.twoFactor.upsert({
      where: { userId: user.id },
      create: { userId: user.id, secret },
      update: { secret, lastUsedStep: null },
    });
  }
  return { secret: plain, uri: totpOf(plain, user.email).toString() };
}

export type EnrolResult =
  { ok: true; value: { recoveryCodes: string[] } } | { ok: false; code: "wrong" | "not-pending" };

/**
 * Turns two-factor sign-in on once the person proves their app shows the pending secret's code:
 * ten recovery codes are made (returned to be shown once; only their hashes are kept), and the
 * person's other sessions end, since they began with the password alone.
 */
export async function confirmEnrolment(
  userId: string,
  code: string,
  keepSessionId?: string,
  now = new Date(),
): Promise<EnrolResult> {
  const db = getDb();
  const row = await db.twoFactor.findUnique({ where: { userId } });
  const plain = row && !row.enabledAt ? decryptSecret(row.secret)?.plain : undefined;
  if (!row || !plain) return { ok: false, code: "not-pending" };
  const read = readCode(code);
  const step = read?.kind === "totp" ? matchingStep(plain, read.value, now.getTime()) : null;
  if (step === null) return { ok: false, code: "wrong" };
  const recoveryCodes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  const enabled = await db.$transaction(async (tx) => {
    const claim = await tx.twoFactor.updateMany({
      where: { userId, enabledAt: null, secret: row.secret },
      data: { enabledAt: now, lastUsedStep: step },
    });
    if (claim.count !== 1) return false;
    await tx.recoveryCode.deleteMany({ where: { userId } });
    await tx.recoveryCode.createMany({
      data: recoveryCodes.map((c) => ({ userId, codeHash: digest(readCode(c)!.value) })),
    });
    await tx.session.deleteMany({ where: { userId, ...(keepSessionId ? { id: { not: keepSessionId } } : {}) } });
    return true;
  });
  if (!enabled) return { ok: false, code: "not-pending" };
  logEvent("auth.two_factor_enrolled", { userId });
  return { ok: true, value: { recoveryCodes } };
}

/**
 * Clears the person's two-factor sign-in inside `tx`: the secret, the recovery codes and any second
 * step waiting. An admin's reset for a lost authenticator (admin.server.ts resetTwoFactor): those who
 * must use it are then sent to set it up at their next sign-in (signInSecondStep answers "enrol").
 */
export async function clearTwoFactor(tx: Prisma.TransactionClient, userId: string): Promise<void> {
  await tx.recoveryCode.deleteMany({ where: { userId } });
  await tx.pendingLogin.deleteMany({ where: { userId } });
  await tx.twoFactor.deleteMany({ where: { userId } });
}

/** Turns two-factor sign-in off (the route has checked the password, a code and the rule). */
export async function disableTwoFactor(userId: string): Promise<void> {
  const db = getDb();
  await db.$transaction([
    db.recoveryCode.deleteMany({ where: { userId } }),
    db.twoFactor.deleteMany({ where: { userId } }),
    db.pendingLogin.deleteMany({ where: { userId } }),
  ]);
  logEvent("auth.two_factor_disabled", { userId });
}

// ---------------------------------------------------------------------------------------------
// The second step.

export type CodeCheck =
  | { status: "ok"; method: "totp" | "recovery" }
  | { status: "wrong" }
  | { status: "reused" }
  | { status: "throttled"; retryAfterSeconds: number };

/** A code or recovery code for an enrolled account, unthrottled: see checkSecondFactor. */
export async function verifySecondFactor(
  userId: string,
  input: string,
  now = new Date(),
): Promise<Exclude<CodeCheck, { status: "throttled" }>> {
  const db = getDb();
  const row = await db.twoFactor.findUnique({ where: { userId } });
  const read = readCode(input);
  if (!row?.enabledAt || !read) return { status: "wrong" };
  if (read.kind === "recovery") {
    // Compare-and-set on usedAt: a recovery code opens one sign-in, however many race for it.
    const used = await db.recoveryCode.updateMany({
      where: { userId, codeHash: digest(read.value), usedAt: null },
      data: { usedAt: now },
    });
    if (used.count !== 1) return { status: "wrong" };
    logEvent("auth.recovery_code_used", { userId });
    return { status: "ok", method: "recovery" };
  }
  const opened = decryptSecret(row.secret);
  if (!opened) return { status: "wrong" };
  const step = matchingStep(opened.plain, read.value, now.getTime());
  if (step === null) return { status: "wrong" };
  // Only a step later than the last one accepted, claimed compare-and-set so two requests with
  // the same code cannot both pass.
  const claim = await db.twoFactor.updateMany({
    where: { userId, enabledAt: { not: null }, OR: [{ lastUsedStep: null }, { lastUsedStep: { lt: step } }] },
    data: { lastUsedStep: step, ...(opened.current ? {} : { secret: encryptSecret(opened.plain) }) },
  });
  return claim.count === 1 ? { status: "ok", method: "totp" } : { status: "reused" };
}

/**
 * The second step under the login throttle: counted per (account, address), address and account
 * before the code is checked, exactly as passwords are (their own counters, keyed by user id), so
 * someone holding the password gets few guesses and the owner is not locked out.
 */
export async function checkSecondFactor(userId: string, input: string, address: string): Promise<CodeCheck> {
  const keys = attemptKeys(`2fa:${userId}`, address);
  const reservation = await reserveAttempt(keys);
  if (reservation.waitMs > 0) {
    const retryAfterSeconds = Math.ceil(reservation.waitMs / 1000);
    logEvent("auth.throttled", { userId, stage: "two-factor", retryAfterSeconds });
    return { status: "throttled", retryAfterSeconds };
  }
  const checked = await verifySecondFactor(userId, input);
  if (checked.status !== "ok") {
    logEvent("auth.two_factor_failed", { userId, reason: checked.status });
    return checked;
  }
  await settleSuccess(keys, reservation);
  return checked;
}

// ---------------------------------------------------------------------------------------------
// The pending sign-in between the password and the code: a row named by the sha256 of a random
// token that only the browser's short-lived cookie holds. It is not a session: nothing but the
// second-step page reads it, and it is deleted when used.

export async function createPendingLogin(
  userId: string,
  redirectTo: string,
  portal?: { portal: string; portalIdToken: string; portalSid?: string | null },
  now = new Date(),
): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  const db = getDb();
  await db.$transaction([
    // Expired rows of everyone go here, lazily; one pending sign-in per person at a time.
    db.pendingLogin.deleteMany({ where: { OR: [{ expiresAt: { lte: now } }, { userId }] } }),
    db.pendingLogin.create({
      data: {
        id: digest(token),
        userId,
        redirectTo,
        expiresAt: new Date(now.getTime() + PENDING_LOGIN_TTL_MS),
        ...portal,
      },
    }),
  ]);
  return token;
}

/** The pending sign-in a token names, if it has not expired. */
export async function readPendingLogin(
  token: string,
  now = new Date(),
): Promise<{
  userId: string;
  redirectTo: string;
  portal?: { portal: string; portalIdToken: string; portalSid: string | null };
} | null> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
  const row = await getDb().pendingLogin.findUnique({ where: { id: digest(token) } });
  if (!row || row.expiresAt.getTime() <= now.getTime()) return null;
  const portal =
    row.portal && row.portalIdToken
      ? { portal: row.portal, portalIdToken: row.portalIdToken, portalSid: row.portalSid }
      : undefined;
  return { userId: row.userId, redirectTo: row.redirectTo, ...(portal ? { portal } : {}) };
}

/** Uses the pending sign-in up: true for the one caller that did. */
export async function consumePendingLogin(token: string, now = new Date()): Promise<boolean> {
  const used = await getDb().pendingLogin.deleteMany({ where: { id: digest(token), expiresAt: { gt: now } } });
  return used.count === 1;
}
