// Roles, and the one way to ask whether someone holds one: usable on the server (requireRole) and
// in components (the header shows each area only to those who may enter it).
//
// A role is granted for one regulator (staff: author, reviewer, educator, registrar, admin) or for the whole
// deployment (learner, and operator, who runs the platform). A regulator admin can do what any staff
// role can within their regulator; an operator can within every regulator. Every staff query is
// narrowed to `regulatorScope(...)` (docs/decisions/016-regulator-scoped-roles.md).

export const ROLES = ["learner", "educator", "author", "reviewer", "admin", "registrar", "operator"] as const;
export type Role = (typeof ROLES)[number];

/** The regulator id a deployment-wide grant carries. */
export const EVERY_REGULATOR = "*";

/** Roles held for the whole deployment rather than for one regulator. */
export const PLATFORM_ROLES: readonly Role[] = ["learner", "operator"];

export const isPlatformRole = (role: Role): boolean => PLATFORM_ROLES.includes(role);

export const isRole = (value: string): value is Role => (ROLES as readonly string[]).includes(value);

/** One role held for one regulator (or every regulator: EVERY_REGULATOR). */
export type Grant = { role: Role; regulator: string };

const STAFF: Role[] = ["educator", "author", "reviewer", "registrar"];

/** What a grant also allows besides its own role. */
const IMPLIES: Record<Role, readonly Role[]> = {
  learner: [],
  educator: [],
  author: [],
  // Approves and sends back drafts and change requests; edits nothing (four eyes: ADR 016).
  reviewer: [],
  registrar: [],
  admin: STAFF,
  operator: ["admin", ...STAFF],
};

const grantAllows = (grant: Grant, role: Role) => grant.role === role || IMPLIES[grant.role].includes(role);

/** Every role the grants allow somewhere (their own and implied ones), sorted: what `roles` holds. */
export function effectiveRoles(grants: readonly Grant[]): Role[] {
  return ROLES.filter((role) => grants.some((grant) => grantAllows(grant, role))).sort();
}

/** Whether the user holds at least one of `roles`, for at least one regulator. */
export function hasRole(user: { roles: readonly string[] }, ...roles: Role[]): boolean {
  return roles.some((role) => user.roles.includes(role));
}

/** The regulators where someone may act in a role: all of them, or a set (possibly empty). */
export type RegulatorScope = { all: true } | { all: false; regulators: ReadonlySet<string> };

/** Where the user may act in any of `roles`. */
export function regulatorScope(user: { grants: readonly Grant[] }, ...roles: Role[]): RegulatorScope {
  const regulators = new Set<string>();
  for (const grant of user.grants) {
    if (!roles.some((role) => grantAllows(grant, role))) continue;
    if (grant.regulator === EVERY_REGULATOR) return { all: true };
    regulators.add(grant.regulator);
  }
  return { all: false, regulators };
}

export function inScope(scope: RegulatorScope, regulator: string): boolean {
  return scope.all || scope.regulators.has(regulator);
}

/** Whether a scope holds no regulator: the role is not held anywhere. */
export function isEmptyScope(scope: RegulatorScope): boolean {
  return !scope.all && scope.regulators.size === 0;
}

/** The Prisma filter for a `regulator` column: nothing for all regulators, else `in` the set. */
export function scopeFilter(scope: RegulatorScope): { in: string[] } | undefined {
  return scope.all ? undefined : { in: [...scope.regulators].sort() };
}

/** The regulators of a scope, listed, for forms that let a person choose (all: every known one). */
export function scopeList(scope: RegulatorScope, known: readonly string[]): string[] {
  return scope.all ? [...known] : known.filter((id) => scope.regulators.has(id));
}

/** Grants in the one text form the session query returns: "role@regulator" joined by commas. */
export function parseGrants(text: string | null): Grant[] {
  if (!text) return [];
  const grants: Grant[] = [];
  for (const item of text.split(",")) {
    const at = item.indexOf("@");
    const role = at < 0 ? item : item.slice(0, at);
    if (isRole(role)) grants.push({ role, regulator: at < 0 ? EVERY_REGULATOR : item.slice(at + 1) });
  }
  return grants.sort((a, b) => a.role.localeCompare(b.role) || a.regulator.localeCompare(b.regulator));
}

/** Every regulator: the scope of an operator, and of command-line tools run by the deployment's owner. */
export const ALL_REGULATORS: RegulatorScope = { all: true };
