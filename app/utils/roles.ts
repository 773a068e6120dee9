// Roles, and the one way to ask whether someone holds one: usable on the server (requireRole) and
// in components (the header shows each area only to those who may enter it).
export type Role = "learner" | "educator" | "author" | "admin";

/** Whether the user holds at least one of `roles`. */
export function hasRole(user: { roles: readonly string[] }, ...roles: Role[]): boolean {
  return roles.some((role) => user.roles.includes(role));
}
