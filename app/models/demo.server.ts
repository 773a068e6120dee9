// Demo accounts for a local `npm start`, one per role, listed in the README. Never in production:
// the caller checks NODE_ENV, and this refuses as well.
import { getDb } from "~/utils/db.server";
import type { Role } from "~/utils/session.server";
import { createUser } from "./user.server";

export const DEMO_PASSWORD = "vignette-demo-2026";

export const demoAccounts: Array<{ email: string; name: string; roles: Role[]; locale: "en" | "fr"; registrationNumber: string }> = [
  { email: "learner@vignette.test", name: "Blair Demo", roles: ["learner"], locale: "en", registrationNumber: "OT-10001" },
  { email: "apprenant@vignette.test", name: "Camille Démo", roles: ["learner"], locale: "fr", registrationNumber: "OT-10002" },
  { email: "educator@vignette.test", name: "Eddie Educator", roles: ["educator"], locale: "en", registrationNumber: "ED-20001" },
  { email: "author@vignette.test", name: "Ari Author", roles: ["author"], locale: "en", registrationNumber: "AU-30001" },
  { email: "admin@vignette.test", name: "Ada Admin", roles: ["admin", "author"], locale: "en", registrationNumber: "AD-40001" },
];

/** Creates the demo accounts that do not exist yet; returns how many were created. */
export async function ensureDemoAccounts(): Promise<number> {
  if (process.env.NODE_ENV === "production") throw new Error("Demo accounts are never created in production.");
  let created = 0;
  for (const account of demoAccounts) {
    if (await getDb().user.findUnique({ where: { email: account.email } })) continue;
    await createUser({ ...account, password: DEMO_PASSWORD, regulator: "coto" });
    created++;
  }
  return created;
}
