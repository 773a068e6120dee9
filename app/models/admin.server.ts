// The admin area's people (/admin/people): operators and regulator admins find accounts and change
// them within their scope (docs/decisions/016-regulator-scoped-roles.md). Every change is one
// transaction with its audit entry (subject `account:<userId>`: who, when, the regulator and why).
//
// The rules, each checked here and nowhere else:
// - An admin sees people related to their scope: holding a role for one of their regulators, or
//   whose own regulator (User.regulator) is one of them. Anyone else reads as not found.
// - Roles are granted and revoked for a regulator of the admin's scope; operator only by an operator.
// - Account-wide actions (deactivate, reactivate, end sessions, reset link) need authority over
//   every staff role the person holds: a regulator admin cannot sign out another regulator's staff
//   or the operator.
// - Nobody revokes their own last admin or operator role, nor deactivates themselves; the last
//   active operator stays (the deployment is never left without one).
// - Two-factor sign-in is reset (lost authenticator) by an operator for anyone, by a regulator admin
//   for people of their scope who are neither admin nor operator; never one's own.
import type { Prisma } from "~/generated/prisma/client";
import { getDb } from "~/utils/db.server";
import { logEvent } from "~/utils/log.server";
import {
  EVERY_REGULATOR,
  inScope,
  regulatorScope,
  scopeFilter,
  type Grant,
  type RegulatorScope,
  type Role,
} from "~/utils/roles";
import { listAudit, recordAudit, type AuditAction } from "./audit.server";
import { enqueueMail } from "./mail-outbox.server";
import { listRegulators } from "./regulator.server";
import { clearTwoFactor } from "./two-factor.server";
import { normalizeEmail } from "./user.server";

type Tx = Prisma.TransactionClient;

/** Who acts: the session's user (its grants say where they may administer). */
export type AdminActor = { id: string; grants: readonly Grant[] };

/** Roles an admin grants for one regulator; operator is granted for every regulator. */
export const REGULATOR_STAFF_ROLES = ["author", "reviewer", "educator", "registrar", "admin"] as const satisfies Role[];
export type GrantableRole = (typeof REGULATOR_STAFF_ROLES)[number] | "operator";

export const isGrantableRole = (value: string): value is GrantableRole =>
  value === "operator" || (REGULATOR_STAFF_ROLES as readonly string[]).includes(value);

export const PEOPLE_PAGE_SIZE = 25;

export type AccountStatus = "active" | "deactivated" | "closed";

export type Refusal =
  | "not-found"
  | "out-of-scope"
  | "operator-only"
  | "already-held"
  | "not-held"
  | "own-last-admin"
  | "last-operator"
  | "self"
  | "closed"
  | "unchanged"
  | "beyond-scope"
  | "deactivated"
  | "own-two-factor"
  | "admin-two-factor"
  | "no-two-factor";

export type AdminResult<T = null> = { ok: true; value: T } | { ok: false; code: Refusal };

const refuse = (code: Refusal): { ok: false; code: Refusal } => ({ ok: false, code });

/** Where the actor may administer: every regulator for an operator. */
export function adminScope(actor: AdminActor): RegulatorScope {
  return regulatorScope(actor, "admin");
}

const isOperator = (grants: readonly Grant[]) => grants.some((g) => g.role === "operator");

/** The people related to the scope: a role for one of its regulators, or their own regulator in it. */
function relatedTo(scope: RegulatorScope): Prisma.UserWhereInput {
  const regulators = scopeFilter(scope);
  if (!regulators) return {};
  return { OR: [{ regulator: regulators }, { roles: { some: { regulatorId: regulators } } }] };
}

/** The first string after every string that starts with `prefix` (its last character, plus one). */
function afterPrefix(prefix: string): string {
  const chars = [...prefix];
  const last = chars.pop()!.codePointAt(0)!;
  return last >= 0x10ffff ? `${prefix}\u{10ffff}` : chars.join("") + String.fromCodePoint(last + 1);
}

/** Starts with `prefix`, as a range an index serves on both engines (LIKE would scan on SQLite). */
const prefixRange = (prefix: string) => ({ gte: prefix, lt: afterPrefix(prefix) });

/**
 * What a search term matches: an email prefix (emails are stored lower-case; a term with "@" is
 * only that), a registration number exactly, or a name prefix as typed or capitalized ("marie tr"
 * finds "Marie Tremblay"). Each is a range or an equality on an index (SQLite plans the OR as one
 * lookup per index). Registration numbers are read from User.registrationNumber until search moves
 * to a person's registrations (their own table).
 */
function matching(term: string): Prisma.UserWhereInput {
  if (term.includes("@")) return { email: prefixRange(normalizeEmail(term)) };
  const upper = (word: string) => word.charAt(0).toLocaleUpperCase("en") + word.slice(1);
  const names = [...new Set([term, upper(term), term.split(" ").map(upper).join(" ")])];
  return {
    OR: [
      { email: prefixRange(normalizeEmail(term)) },
      { registrationNumber: term },
      ...names.map((name) => ({ name: prefixRange(name) })),
    ],
  };
}

const statusOf = (user: { closedAt: Date | null; deactivatedAt: Date | null }): AccountStatus =>
  user.closedAt ? "closed" : user.deactivatedAt ? "deactivated" : "active";

/** The grants of a person an admin may see: the platform ones and those of the admin's regulators. */
function visibleGrants(scope: RegulatorScope, roles: { roleId: string; regulatorId: string }[]): Grant[] {
  return roles
    .filter((r) => r.roleId !== "learner" && (r.regulatorId === EVERY_REGULATOR || inScope(scope, r.regulatorId)))
    .map((r) => ({ role: r.roleId as Role, regulator: r.regulatorId }))
    .sort((a, b) => a.regulator.localeCompare(b.regulator) || a.role.localeCompare(b.role));
}

const personSelect = {
  id: true,
  name: true,
  email: true,
  registrationNumber: true,
  regulator: true,
  closedAt: true,
  deactivatedAt: true,
  roles: { select: { roleId: true, regulatorId: true } },
} as const;

export type PersonRow = {
  id: string;
  name: string;
  email: string;
  registrationNumber: string;
  regulator: string;
  status: AccountStatus;
  grants: Grant[];
};

export type PeoplePage = { people: PersonRow[]; next: string | null };

/**
 * One page of the people related to the actor's scope matching `term` (all of them when empty),
 * in name order (email order for an email search), PEOPLE_PAGE_SIZE at a time: `after` is the
 * last id of the previous page (`next`).
 */
export async function searchPeople(actor: AdminActor, term: string, after: string | null = null): Promise<PeoplePage> {
  const scope = adminScope(actor);
  const trimmed = term.trim();
  const where: Prisma.UserWhereInput = { AND: [relatedTo(scope), trimmed ? matching(trimmed) : {}] };
  const orderBy: Prisma.UserOrderByWithRelationInput[] = trimmed.includes("@")
    ? [{ email: "asc" }]
    : [{ name: "asc" }, { id: "asc" }];
  const rows = await getDb().user.findMany({
    where,
    orderBy,
    take: PEOPLE_PAGE_SIZE + 1,
    ...(after ? { cursor: { id: after }, skip: 1 } : {}),
    select: personSelect,
  });
  const page = rows.slice(0, PEOPLE_PAGE_SIZE);
  return {
    people: page.map((row) => ({
      id: row.id,
      name: row.name,
      email: row.email,
      registrationNumber: row.registrationNumber,
      regulator: row.regulator,
      status: statusOf(row),
      grants: visibleGrants(scope, row.roles),
    })),
    next: rows.length > PEOPLE_PAGE_SIZE ? page.at(-1)!.id : null,
  };
}

/** A role an admin may grant, for one regulator (EVERY_REGULATOR for operator). */
export type GrantOption = { role: GrantableRole; regulator: string };

export type PersonDetail = PersonRow & {
  locale: string;
  twoFactor: boolean;
  sessions: number;
  /** Whether the actor may take account-wide actions (every staff role of the person is in scope). */
  manageable: boolean;
  /** Whether the actor may reset the person's two-factor sign-in (it is set up; resetTwoFactor's rule). */
  twoFactorResettable: boolean;
  /** The roles the actor may grant (those not held yet). */
  grantable: GrantOption[];
  history: Awaited<ReturnType<typeof listAudit>>;
};

/** Whether every staff role the person holds is for a regulator of the scope (operator: never, unless all). */
function withinScope(scope: RegulatorScope, roles: { roleId: string; regulatorId: string }[]): boolean {
  if (scope.all) return true;
  return roles.every(
    (r) => r.roleId === "learner" || (r.regulatorId !== EVERY_REGULATOR && inScope(scope, r.regulatorId)),
  );
}

async function findInScope(client: Tx | ReturnType<typeof getDb>, scope: RegulatorScope, userId: string) {
  return client.user.findFirst({ where: { AND: [{ id: userId }, relatedTo(scope)] }, select: personSelect });
}

/** Whether the person is related to the actor's scope (everything else about them reads as not found). */
export async function personInScope(actor: AdminActor, userId: string): Promise<boolean> {
  const found = await getDb().user.findFirst({
    where: { AND: [{ id: userId }, relatedTo(adminScope(actor))] },
    select: { id: true },
  });
  return found !== null;
}

/** The person's page for the actor, or null when they are not related to the actor's scope. */
export async function getPerson(actor: AdminActor, userId: string): Promise<PersonDetail | null> {
  const scope = adminScope(actor);
  const db = getDb();
  const user = await findInScope(db, scope, userId);
  if (!user) return null;
  const [extra, regulators, history] = await Promise.all([
    db.user.findUniqueOrThrow({
      where: { id: userId },
      select: { locale: true, twoFactor: { select: { enabledAt: true } }, _count: { select: { sessions: true } } },
    }),
    listRegulators(),
    listAudit(`account:${userId}`),
  ]);
  const held = new Set(user.roles.map((r) => `${r.roleId}@${r.regulatorId}`));
  const options: GrantOption[] = [
    ...(isOperator(actor.grants) ? [{ role: "operator" as const, regulator: EVERY_REGULATOR }] : []),
    ...regulators
      .map((profile) => profile.id)
      .filter((id) => inScope(scope, id))
      .flatMap((regulator) => REGULATOR_STAFF_ROLES.map((role) => ({ role, regulator }))),
  ];
  // Entries about another regulator's roles are that regulator's business.
  const visible = history.filter((entry) => {
    const regulator = (entry.detail as { regulator?: unknown } | null)?.regulator;
    return typeof regulator !== "string" || regulator === EVERY_REGULATOR || inScope(scope, regulator);
  });
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    registrationNumber: user.registrationNumber,
    regulator: user.regulator,
    status: statusOf(user),
    grants: visibleGrants(scope, user.roles),
    locale: extra.locale,
    twoFactor: Boolean(extra.twoFactor?.enabledAt),
    sessions: extra._count.sessions,
    manageable: withinScope(scope, user.roles) && !user.closedAt,
    twoFactorResettable:
      Boolean(extra.twoFactor?.enabledAt) &&
      withinScope(scope, user.roles) &&
      !user.closedAt &&
      twoFactorRefusal(actor, userId, user.roles) === null,
    grantable: user.closedAt ? [] : options.filter((o) => !held.has(`${o.role}@${o.regulator}`)),
    history: visible,
  };
}

/**
 * Serializes every change that could leave the deployment without an operator: each such
 * transaction first writes the same row (the operator Role row, unchanged), so on PostgreSQL a
 * second one waits for the first to commit and then counts what it left; SQLite runs one
 * transaction at a time anyway (docs/decisions/006-sqlite-transactions.md).
 */
async function lockOperators(tx: Tx): Promise<void> {
  await tx.role.updateMany({ where: { id: "operator" }, data: { id: "operator" } });
}

/** Active accounts holding operator, besides `except`. */
async function otherActiveOperators(tx: Tx, except: string): Promise<number> {
  return tx.userRole.count({
    where: { roleId: "operator", userId: { not: except }, user: { closedAt: null, deactivatedAt: null } },
  });
}

type Change = { reason: string; now?: Date };

async function audit(
  tx: Tx,
  actor: AdminActor,
  userId: string,
  action: AuditAction,
  detail: Record<string, unknown>,
  now: Date,
) {
  await recordAudit({ subject: `account:${userId}`, actorId: actor.id, action, detail, at: now }, tx);
}

/** Checks a role change's role and regulator against the actor's scope. */
function checkGrant(actor: AdminActor, scope: RegulatorScope, grant: GrantOption): Refusal | null {
  if (!isGrantableRole(grant.role)) return "out-of-scope";
  if (grant.role === "operator") {
    return isOperator(actor.grants) && grant.regulator === EVERY_REGULATOR ? null : "operator-only";
  }
  return grant.regulator !== EVERY_REGULATOR && inScope(scope, grant.regulator) ? null : "out-of-scope";
}

/** Grants `grant` to the person, for a known regulator of the actor's scope. */
export async function grantRole(
  actor: AdminActor,
  userId: string,
  grant: GrantOption,
  { reason, now = new Date() }: Change,
): Promise<AdminResult> {
  const scope = adminScope(actor);
  const refusal = checkGrant(actor, scope, grant);
  if (refusal) return refuse(refusal);
  if (grant.role !== "operator" && !(await listRegulators()).some((r) => r.id === grant.regulator)) {
    return refuse("out-of-scope");
  }
  return getDb().$transaction(async (tx) => {
    const user = await findInScope(tx, scope, userId);
    if (!user) return refuse("not-found");
    if (user.closedAt) return refuse("closed");
    if (user.roles.some((r) => r.roleId === grant.role && r.regulatorId === grant.regulator)) {
      return refuse("already-held");
    }
    await tx.userRole.create({ data: { userId, roleId: grant.role, regulatorId: grant.regulator } });
    await audit(tx, actor, userId, "role_granted", { role: grant.role, regulator: grant.regulator, reason }, now);
    logEvent("admin.role_granted", { actorId: actor.id, userId, role: grant.role, regulator: grant.regulator });
    return { ok: true, value: null };
  });
}

/** Revokes `grant` from the person (never one's own last admin or operator role, nor the last operator). */
export async function revokeRole(
  actor: AdminActor,
  userId: string,
  grant: GrantOption,
  { reason, now = new Date() }: Change,
): Promise<AdminResult> {
  const scope = adminScope(actor);
  const refusal = checkGrant(actor, scope, grant);
  if (refusal) return refuse(refusal);
  return getDb().$transaction(async (tx) => {
    if (grant.role === "operator") await lockOperators(tx);
    const user = await findInScope(tx, scope, userId);
    if (!user) return refuse("not-found");
    const held = user.roles.some((r) => r.roleId === grant.role && r.regulatorId === grant.regulator);
    if (!held) return refuse("not-held");
    if (userId === actor.id && (grant.role === "admin" || grant.role === "operator")) {
      const adminRoles = user.roles.filter((r) => r.roleId === "admin" || r.roleId === "operator");
      if (adminRoles.length <= 1) return refuse("own-last-admin");
    }
    if (grant.role === "operator" && (await otherActiveOperators(tx, userId)) === 0) return refuse("last-operator");
    await tx.userRole.delete({
      where: { userId_roleId_regulatorId: { userId, roleId: grant.role, regulatorId: grant.regulator } },
    });
    await audit(tx, actor, userId, "role_revoked", { role: grant.role, regulator: grant.regulator, reason }, now);
    logEvent("admin.role_revoked", { actorId: actor.id, userId, role: grant.role, regulator: grant.regulator });
    return { ok: true, value: null };
  });
}

/**
 * The person, for an account-wide action: in scope, not closed, and with every staff role in the
 * actor's scope; a refusal otherwise.
 */
async function accountFor(tx: Tx, actor: AdminActor, userId: string) {
  const scope = adminScope(actor);
  const user = await findInScope(tx, scope, userId);
  if (!user) return refuse("not-found");
  if (user.closedAt) return refuse("closed");
  if (!withinScope(scope, user.roles)) return refuse("beyond-scope");
  return { ok: true as const, value: user };
}

/** Runs an account-wide change in one transaction, on the person accountFor finds (or its refusal). */
async function changeAccount<T>(
  actor: AdminActor,
  userId: string,
  change: (tx: Tx, user: NonNullable<Awaited<ReturnType<typeof findInScope>>>) => Promise<AdminResult<T>>,
  { lockingOperators = false } = {},
): Promise<AdminResult<T>> {
  return getDb().$transaction(async (tx) => {
    if (lockingOperators) await lockOperators(tx);
    const found = await accountFor(tx, actor, userId);
    if (!found.ok) return found;
    return change(tx, found.value);
  });
}

/** Ends every session and pending two-step sign-in of the person; how many sessions ended. */
async function endSessions(tx: Tx, userId: string): Promise<number> {
  await tx.pendingLogin.deleteMany({ where: { userId } });
  return (await tx.session.deleteMany({ where: { userId } })).count;
}

/**
 * Deactivates the account: it cannot sign in (verifyLogin) and every session ends now (and would
 * read as none: hot-path-sql.server.ts). Not oneself, and not the last active operator.
 */
export async function deactivateAccount(
  actor: AdminActor,
  userId: string,
  { reason, now = new Date() }: Change,
): Promise<AdminResult<{ sessions: number }>> {
  if (userId === actor.id) return refuse("self");
  return changeAccount(
    actor,
    userId,
    async (tx, user) => {
      if (user.deactivatedAt) return refuse("unchanged");
      if (user.roles.some((r) => r.roleId === "operator") && (await otherActiveOperators(tx, userId)) === 0) {
        return refuse("last-operator");
      }
      await tx.user.update({ where: { id: userId }, data: { deactivatedAt: now } });
      const sessions = await endSessions(tx, userId);
      await audit(tx, actor, userId, "account_deactivated", { reason, sessions }, now);
      logEvent("admin.account_deactivated", { actorId: actor.id, userId, sessions });
      return { ok: true, value: { sessions } };
    },
    { lockingOperators: true },
  );
}

/** Lets a deactivated account sign in again (its sessions stay ended). */
export async function reactivateAccount(
  actor: AdminActor,
  userId: string,
  { reason, now = new Date() }: Change,
): Promise<AdminResult> {
  return changeAccount(actor, userId, async (tx, user) => {
    if (!user.deactivatedAt) return refuse("unchanged");
    await tx.user.update({ where: { id: userId }, data: { deactivatedAt: null } });
    await audit(tx, actor, userId, "account_reactivated", { reason }, now);
    logEvent("admin.account_reactivated", { actorId: actor.id, userId });
    return { ok: true, value: null };
  });
}

/** Signs the person out everywhere (a lost laptop, a shared computer); how many sessions ended. */
export async function revokeSessions(
  actor: AdminActor,
  userId: string,
  { reason, now = new Date() }: Change,
): Promise<AdminResult<{ sessions: number }>> {
  return changeAccount(actor, userId, async (tx) => {
    const sessions = await endSessions(tx, userId);
    await audit(tx, actor, userId, "sessions_revoked", { reason, sessions }, now);
    logEvent("admin.sessions_revoked", { actorId: actor.id, userId, sessions });
    return { ok: true, value: { sessions } };
  });
}

/**
 * Queues a password reset message to the person's own address: the mail sender makes the one-hour
 * link when it sends it (mail-outbox.server.ts), so the admin never sees a working link. Not to a
 * deactivated account (reactivate it first).
 */
export async function sendResetLink(
  actor: AdminActor,
  userId: string,
  { reason, now = new Date() }: Change,
): Promise<AdminResult<{ email: string }>> {
  return changeAccount(actor, userId, async (tx, user) => {
    if (user.deactivatedAt) return refuse("deactivated");
    const { locale } = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { locale: true } });
    await enqueueMail(
      tx,
      {
        kind: "password_reset",
        to: user.email,
        userId,
        regulator: user.regulator,
        locale: locale === "fr" ? "fr" : "en",
        params: {},
      },
      now,
    );
    await audit(tx, actor, userId, "reset_link_sent", { reason }, now);
    logEvent("admin.reset_link_sent", { actorId: actor.id, userId });
    return { ok: true, value: { email: user.email } };
  });
}

/** Why the actor may not reset this person's two-factor sign-in, or null (besides scope and status). */
function twoFactorRefusal(actor: AdminActor, userId: string, roles: { roleId: string }[]): Refusal | null {
  if (userId === actor.id) return "own-two-factor";
  const administers = roles.some((r) => r.roleId === "admin" || r.roleId === "operator");
  return administers && !isOperator(actor.grants) ? "admin-two-factor" : null;
}

/**
 * Resets the two-factor sign-in of someone who lost their authenticator and recovery codes: the
 * secret and codes are cleared, every session ends, and the person is told by mail (the outbox, in
 * the same transaction). Those who must use two-factor sign-in set it up again at their next sign-in.
 * An operator resets anyone's; a regulator admin those of their scope who are not admins or operators.
 */
export async function resetTwoFactor(
  actor: AdminActor,
  userId: string,
  { reason, now = new Date() }: Change,
): Promise<AdminResult<{ sessions: number }>> {
  if (userId === actor.id) return refuse("own-two-factor");
  return changeAccount(actor, userId, async (tx, user) => {
    const refusal = twoFactorRefusal(actor, userId, user.roles);
    if (refusal) return refuse(refusal);
    const row = await tx.user.findUniqueOrThrow({
      where: { id: userId },
      select: { locale: true, twoFactor: { select: { enabledAt: true } } },
    });
    if (!row.twoFactor?.enabledAt) return refuse("no-two-factor");
    await clearTwoFactor(tx, userId);
    const sessions = await endSessions(tx, userId);
    await enqueueMail(
      tx,
      {
        kind: "two_factor_reset",
        to: user.email,
        userId,
        regulator: user.regulator,
        locale: row.locale === "fr" ? "fr" : "en",
        params: {},
      },
      now,
    );
    await audit(tx, actor, userId, "two_factor_reset", { reason, sessions }, now);
    logEvent("admin.two_factor_reset", { actorId: actor.id, userId, sessions });
    return { ok: true, value: { sessions } };
  });
}
