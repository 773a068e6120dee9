// Demo accounts for a local `npm start`, one per role, listed in the README. Never in production:
// the caller checks NODE_ENV, and this refuses as well.
import { randomBytes } from "node:crypto";
import { getDb } from "~/utils/db.server";
import type { Grant, Role } from "~/utils/roles";
import { createAssignment } from "./assignment.server";
import { invitationPolicy } from "./cohort-invitation.server";
import { createCohort, joinWithConsent } from "./cohort.server";
import { createUser } from "./user.server";

export const DEMO_PASSWORD = "vignette-demo-2026";

export const demoAccounts: Array<{
  email: string;
  name: string;
  /** Held for the demo regulator "coto" (platform roles: for the deployment). */
  roles: Role[];
  /** Held for the demo's other regulator too. */
  grants?: Grant[];
  locale: "en" | "fr";
  registrationNumber: string;
}> = [
  {
    email: "learner@vignette.test",
    name: "Blair Demo",
    roles: ["learner"],
    locale: "en",
    registrationNumber: "OT-10001",
  },
  {
    email: "apprenant@vignette.test",
    name: "Camille Démo",
    roles: ["learner"],
    locale: "fr",
    registrationNumber: "OT-10002",
  },
  {
    email: "educator@vignette.test",
    name: "Eddie Educator",
    roles: ["educator"],
    locale: "en",
    registrationNumber: "ED-20001",
  },
  {
    email: "author@vignette.test",
    name: "Ari Author",
    roles: ["author"],
    grants: [{ role: "author", regulator: "demo-psychotherapy" }],
    locale: "en",
    registrationNumber: "AU-30001",
  },
  {
    // Approves what the author submits (four eyes: authors do not approve).
    email: "reviewer@vignette.test",
    name: "Robin Reviewer",
    roles: ["reviewer"],
    grants: [{ role: "reviewer", regulator: "demo-psychotherapy" }],
    locale: "fr",
    registrationNumber: "RV-35001",
  },
  {
    email: "admin@vignette.test",
    name: "Ada Admin",
    roles: ["admin"],
    grants: [{ role: "admin", regulator: "demo-psychotherapy" }],
    locale: "en",
    registrationNumber: "AD-40001",
  },
  {
    email: "operator@vignette.test",
    name: "Olive Operator",
    roles: ["operator"],
    locale: "en",
    registrationNumber: "OP-50001",
  },
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

/**
 * A demo cohort for the demo educator, with the Blair case assigned (due in four weeks) and both
 * demo learners in it as if they had accepted their invitations (no mail is sent), so the educator
 * pages have something to show. Created once.
 */
export async function ensureDemoCohort(now = new Date()): Promise<boolean> {
  if (process.env.NODE_ENV === "production") throw new Error("Demo data is never created in production.");
  const db = getDb();
  const educator = await db.user.findUnique({ where: { email: "educator@vignette.test" }, include: { roles: true } });
  const blair = await db.case.findUnique({ where: { slug: "social-media-boundaries" } });
  if (!educator || !blair || (await db.cohort.count({ where: { educatorId: educator.id } })) > 0) return false;
  const actor = { id: educator.id, roles: educator.roles.map((r) => r.roleId) };
  const cohort = await createCohort(actor, "Demo cohort — OT ethics");
  const learners = await db.user.findMany({
    where: { email: { in: ["learner@vignette.test", "apprenant@vignette.test"] } },
    select: { id: true, email: true },
  });
  await db.$transaction(async (tx) => {
    for (const learner of learners) {
      await tx.cohortInvitation.create({
        data: {
          cohortId: cohort.id,
          email: learner.email,
          // A token nobody holds: the invitation was "answered" here.
          tokenHash: randomBytes(32).toString("hex"),
          status: "accepted",
          invitedById: educator.id,
          createdAt: now,
          expiresAt: new Date(now.getTime() + invitationPolicy.ttlMs),
          respondedAt: now,
        },
      });
      await joinWithConsent(tx, cohort.id, learner.id, "invitation", now);
    }
  });
  await createAssignment(
    actor,
    cohort.id,
    { kind: "case", caseId: blair.id, caseVersionId: null },
    new Date(now.getTime() + 28 * 86_400_000),
  );
  return true;
}
