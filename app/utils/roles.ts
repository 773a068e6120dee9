// Roles, and the one way to ask whether someone holds one: usable on the server (requireRole) and
// in components (the header shows each area only to those who may enter it).
/**
 * registrar: regulator staff who read the QA report (/registrar). Until roles are held per
 * regulator, a registrar's regulator is their own `User.regulator` (qa-report.server.ts reportScope).
 */
export type Role = "learner" | "educator" | "author" | "admin" | "registrar";

/** Whether the user holds at least one of `roles`. */
export function hasRole(user: { roles: readonly string[] }, ...roles: Role[]): boolean {
  return roles.some((role) => user.roles.includes(role));
}
