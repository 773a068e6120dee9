import { hash, verify } from "@node-rs/argon2";
import type { Locale } from "~/i18n";
import { getDb } from "~/utils/db.server";
import { logEvent } from "~/utils/log.server";
import { fail, ok, type Result } from "~/utils/result";
import { EVERY_REGULATOR, isPlatformRole, type Grant, type Role } from "~/utils/roles";
import { forgetLearners } from "./analytics-tally.server";
import { recordAudit } from "./audit.server";
import { throttleKey } from "./throttle.server";

// argon2id with OWASP's minimum recommended parameters (19 MiB, 2 passes): @node-rs/argon2's defaults.
const argonOptions = { algorithm: 2 /* Argon2id */, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, argonOptions);
}

export type NewUser = {
  email: string;
  name: string;
  password: string;
  registrationNumber: string;
  regulator: string;
  locale: Locale;
  /** Roles held for the person's own regulator (platform roles for the deployment); default learner. */
  roles?: Role[];
  /** Further roles, each for a named regulator. */
  grants?: Grant[];
};

/** The UserRole row for a role: staff roles for the regulator, platform roles for every regulator. */
export function roleRow(role: Role, regulator: string): { roleId: Role; regulatorId: string } {
  return { roleId: role, regulatorId: isPlatformRole(role) ? EVERY_REGULATOR : regulator };
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function findUserByEmail(email: string) {
  return getDb().user.findUnique({ where: { email: normalizeEmail(email) } });
}

export async function createUser(input: NewUser) {
  const passwordHash = await hashPassword(input.password);
  return getDb().user.create({
    data: {
      email: normalizeEmail(input.email),
      name: input.name.trim(),
      registrationNumber: input.registrationNumber.trim(),
      regulator: input.regulator,
      locale: input.locale,
      password: { create: { hash: passwordHash } },
      // The registration they join with (registration.server.ts keeps it equal to these two fields).
      ...(input.regulator && input.registrationNumber.trim()
        ? { registrations: { create: { regulatorId: input.regulator, number: input.registrationNumber.trim() } } }
        : {}),
      roles: {
        create: [
          ...(input.roles ?? ["learner"]).map((role) => roleRow(role, input.regulator)),
          ...(input.grants ?? []).map((grant) => roleRow(grant.role, grant.regulator)),
        ],
      },
    },
  });
}

// A real hash of a random password, verified when the email is unknown so that a wrong email and
// a wrong password take the same time (no account enumeration by timing).
let dummyHash: Promise<string> | undefined;

/**
 * The user id when the email and password match, otherwise null. A deactivated account
 * (admin.server.ts) is refused like a wrong password, after the same work.
 */
export async function verifyLogin(email: string, password: string): Promise<string | null> {
  const user = await getDb().user.findUnique({
    where: { email: normalizeEmail(email) },
    select: { id: true, deactivatedAt: true, password: { select: { hash: true } } },
  });
  if (!user?.password) {
    dummyHash ??= hashPassword(crypto.randomUUID());
    await verify(await dummyHash, password);
    return null;
  }
  return (await verify(user.password.hash, password)) && !user.deactivatedAt ? user.id : null;
}

export async function setUserLocale(userId: string, locale: Locale): Promise<void> {
  await getDb().user.update({ where: { id: userId }, data: { locale } });
}

/**
 * The account holder corrects their name or preferred language (/me/account). Each change is audited
 * with the old and new value: the name is printed on certificates, which keep the name they were
 * issued with (completions copy it). An account linked to a registrant portal takes its name from
 * the portal at every sign-in (oidc-identity.server.ts), so its name is not changed here.
 */
export async function updateProfile(
  userId: string,
  input: { name: string; locale: Locale },
  now = new Date(),
): Promise<Result<{ name: boolean; locale: boolean }, "portal-name">> {
  return getDb().$transaction(async (tx) => {
    const user = await tx.user.findUniqueOrThrow({
      where: { id: userId },
      select: { name: true, locale: true, _count: { select: { oidcIdentities: true } } },
    });
    const name = input.name.trim();
    const changed = { name: name !== user.name, locale: input.locale !== user.locale };
    if (changed.name && user._count.oidcIdentities > 0) return fail("portal-name");
    if (!changed.name && !changed.locale) return ok(changed);
    await tx.user.update({ where: { id: userId }, data: { name, locale: input.locale } });
    const subject = `account:${userId}`;
    if (changed.name) {
      await recordAudit(
        { subject, actorId: userId, action: "name_changed", detail: { from: user.name, to: name }, at: now },
        tx,
      );
    }
    if (changed.locale) {
      await recordAudit(
        {
          subject,
          actorId: userId,
          action: "locale_changed",
          detail: { from: user.locale, to: input.locale },
          at: now,
        },
        tx,
      );
    }
    logEvent("account.profile_changed", { userId, name: changed.name, locale: changed.locale });
    return ok(changed);
  });
}

/** Changes the password and signs the user out of every other session. */
export async function changePassword(userId: string, password: string, keepSessionId?: string): Promise<void> {
  const passwordHash = await hashPassword(password);
  await getDb().$transaction([
    getDb().password.update({ where: { userId }, data: { hash: passwordHash } }),
    getDb().session.deleteMany({ where: { userId, ...(keepSessionId ? { id: { not: keepSessionId } } : {}) } }),
  ]);
  logEvent("auth.password_changed", { userId });
}

/** What a closed account shows wherever its name still appears (staff pages, audit logs). */
export const CLOSED_ACCOUNT_NAME = "Closed account";

/** A unique address no mail can reach (.invalid is reserved, RFC 2606): the real one can join again. */
export const closedAccountEmail = (userId: string) => `closed-${userId}@closed.invalid`;

export type ClosureSummary = {
  reflections: number;
  attempts: number;
  memberships: number;
  sessions: number;
  completionsKept: number;
};

/**
 * Closes an account (Law 25 / PIPEDA), in one transaction: the profile is anonymized (name, email,
 * registration number; the language and regulator stay), the password, roles and sign-in throttle
 * row go, every session ends, reflections are deleted, and so are the attempts no completion
 * record rests on (in progress or failed, with their steps). Cohort memberships go too. The
 * completion records and certificates stay as issued, with the name and registration number they
 * copied then, until records:purge removes them after the retention period (~/utils/retention).
 * The audit entry names the account by its id only. Null when the account was already closed.
 */
export async function closeAccount(userId: string, now = new Date()): Promise<ClosureSummary | null> {
  return getDb().$transaction(async (tx) => {
    const user = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { email: true, closedAt: true } });
    if (user.closedAt) return null;
    const reflections = await tx.reflection.deleteMany({ where: { attempt: { userId } } });
    // Analytics takes back what it counted of this learner (it is counted again from what stays).
    await forgetLearners(tx, [userId]);
    const unrecorded = { userId, completion: { is: null } };
    await tx.attemptStep.deleteMany({ where: { attempt: unrecorded } });
    const attempts = await tx.attempt.deleteMany({ where: unrecorded });
    const memberships = await tx.cohortMember.deleteMany({ where: { userId } });
    const sessions = await tx.session.deleteMany({ where: { userId } });
    await tx.password.deleteMany({ where: { userId } });
    // Two-factor sign-in goes with the password: its secret, recovery codes and pending sign-ins.
    await tx.twoFactor.deleteMany({ where: { userId } });
    await tx.recoveryCode.deleteMany({ where: { userId } });
    await tx.pendingLogin.deleteMany({ where: { userId } });
    await tx.userRole.deleteMany({ where: { userId } });
    // Registrations are profile data; completion records keep the number they were issued with.
    await tx.registration.deleteMany({ where: { userId } });
    // So are the links to registrant portals: the same person signing in there again starts afresh.
    await tx.oidcIdentity.deleteMany({ where: { userId } });
    // And addresses waiting for their link (a new address is personal data too).
    await tx.emailChange.deleteMany({ where: { userId } });
    const pairs = [throttleKey("pair", `${user.email}|`), throttleKey("known", `${user.email}|`)];
    await tx.loginThrottle.deleteMany({
      where: {
        OR: [{ key: throttleKey("account", user.email) }, ...pairs.map((prefix) => ({ key: { startsWith: prefix } }))],
      },
    });
    await tx.user.update({
      where: { id: userId },
      data: { name: CLOSED_ACCOUNT_NAME, email: closedAccountEmail(userId), registrationNumber: "", closedAt: now },
    });
    const summary: ClosureSummary = {
      reflections: reflections.count,
      attempts: attempts.count,
      memberships: memberships.count,
      sessions: sessions.count,
      completionsKept: await tx.completion.count({ where: { userId } }),
    };
    await recordAudit(
      { subject: `account:${userId}`, actorId: userId, action: "account_closed", detail: summary, at: now },
      tx,
    );
    return summary;
  });
}
