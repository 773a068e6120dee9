// What `npm start` puts in a new database: the demo content, and demo accounts only outside production.
import { describe, expect, it } from "vitest";
import { ensureDemoAccounts } from "~/models/demo.server";
import { getDb } from "~/utils/db.server";
import { setupModelDb } from "../../tests/support/model-db";
import { seed } from "./seed";

setupModelDb();

describe("seed", () => {
  it("imports the demo cases, accounts and cohort once, and is idempotent", async () => {
    await seed({ demoAccounts: true });
    await seed({ demoAccounts: true });
    const db = getDb();
    expect((await db.case.findMany({ orderBy: { slug: "asc" } })).map((c) => c.slug)).toEqual([
      "online-therapeutic-relationship",
      "social-media-boundaries",
    ]);
    expect(await db.caseVersion.count()).toBe(2);
    const users = await db.user.findMany({ include: { roles: true }, orderBy: { email: "asc" } });
    expect(
      users.map((u) => [
        u.email,
        u.roles
          .map((r) => `${r.roleId}@${r.regulatorId}`)
          .sort()
          .join("+"),
      ]),
    ).toEqual([
      ["admin@vignette.test", "admin@coto+admin@demo-psychotherapy"],
      ["apprenant@vignette.test", "learner@*"],
      ["author@vignette.test", "author@coto+author@demo-psychotherapy"],
      ["educator@vignette.test", "educator@coto"],
      ["learner@vignette.test", "learner@*"],
      ["operator@vignette.test", "operator@*"],
      ["reviewer@vignette.test", "reviewer@coto+reviewer@demo-psychotherapy"],
    ]);
    const cohorts = await db.cohort.findMany({ include: { members: true, assignments: true } });
    expect(cohorts).toHaveLength(1);
    expect(cohorts[0]!.members).toHaveLength(2);
    expect(cohorts[0]!.assignments).toHaveLength(1);
  });

  it("never creates demo accounts in production", async () => {
    const previous = process.env.NODE_ENV;
    process.env.NODE_ENV = "production";
    try {
      await expect(ensureDemoAccounts()).rejects.toThrow(/never created in production/);
    } finally {
      process.env.NODE_ENV = previous;
    }
  });
});
