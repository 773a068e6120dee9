import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/utils/db.server";
import { insertUser, setupModelDb } from "../../tests/support/model-db";
import {
  createCohort,
  deleteCohort,
  findCohortByInvite,
  getCohort,
  isMember,
  joinCohortByInvite,
  learnerCohorts,
  leaveCohort,
  listCohorts,
  newInviteCode,
  regenerateInviteCode,
  removeMember,
  renameCohort,
  type Actor,
} from "./cohort.server";

// A fresh migrated SQLite file for this test file, set before the first getDb().
setupModelDb();

const user = (email: string, roles?: string[]) => insertUser(email, roles);

let alice: Actor; // educator
let bob: Actor; // another educator
let admin: Actor;
beforeAll(async () => {
  alice = await user("alice@example.test", ["educator"]);
  bob = await user("bob@example.test", ["educator"]);
  admin = await user("admin@example.test", ["operator"]);
  await user("lea@example.test");
  await user("sam@example.test");
});

describe("cohorts", () => {
  it("invite codes are 26 unambiguous base32 characters (128 bits) and differ every time", () => {
    const codes = new Set(Array.from({ length: 200 }, () => newInviteCode()));
    expect(codes.size).toBe(200);
    for (const code of codes) expect(code).toMatch(/^[a-z2-9]{26}$/);
  });

  it("scopes every read and write to the cohort's educator; admins reach all", async () => {
    const mine = await createCohort(alice, "  Spring 2026  ");
    expect(mine.name).toBe("Spring 2026");
    const theirs = await createCohort(bob, "Bob's group");
    expect((await listCohorts(alice)).map((c) => c.id)).toContain(mine.id);
    expect((await listCohorts(alice)).map((c) => c.id)).not.toContain(theirs.id);
    const all = (await listCohorts(admin)).map((c) => c.id);
    expect(all).toEqual(expect.arrayContaining([mine.id, theirs.id]));

    expect(await getCohort(alice, theirs.id)).toBeNull();
    expect(await getCohort(admin, theirs.id)).not.toBeNull();
    expect(await renameCohort(alice, theirs.id, "hijacked")).toBe(false);
    expect(await regenerateInviteCode(alice, theirs.id)).toBe(false);
    expect(await deleteCohort(alice, theirs.id)).toBe(false);
    expect((await getCohort(bob, theirs.id))?.name).toBe("Bob's group");
    expect((await getCohort(bob, theirs.id))?.members).toEqual([]);
  });

  it("members are those who accepted; the educator removes them, they leave", async () => {
    const cohort = await createCohort(alice, "Members");
    const lea = (await getDb().user.findUniqueOrThrow({ where: { email: "lea@example.test" } })).id;
    const sam = (await getDb().user.findUniqueOrThrow({ where: { email: "sam@example.test" } })).id;
    const joinedAt = new Date("2026-12-01T09:00:00Z");
    await joinCohortByInvite(lea, cohort.inviteCode, joinedAt);
    await joinCohortByInvite(sam, cohort.inviteCode);
    const members = (await getCohort(alice, cohort.id))!.members;
    expect(members.map((m) => m.email)).toEqual(["lea@example.test", "sam@example.test"]);
    expect(members[0]!.addedAt).toEqual(joinedAt);
    expect((await learnerCohorts(lea)).map((c) => [c.name, c.educatorName, c.joinedAt])).toContainEqual([
      "Members",
      "alice",
      joinedAt,
    ]);

    expect(await removeMember(bob, cohort.id, members[0]!.id)).toBe(false);
    expect(await removeMember(alice, cohort.id, members[0]!.id)).toBe(true);
    expect((await getCohort(alice, cohort.id))!.members.map((m) => m.email)).toEqual(["sam@example.test"]);
    expect(await leaveCohort(sam, cohort.id)).toBe(true);
    expect(await isMember(cohort.id, sam)).toBe(false);
    expect((await getCohort(alice, cohort.id))!.members).toEqual([]);
  });

  it("joins by invitation code (once accepted, dated then); a replaced code stops working", async () => {
    const cohort = await createCohort(alice, "Invited");
    const newcomer = await user("new@example.test");
    expect(await findCohortByInvite("not-a-code")).toBeNull();
    expect((await findCohortByInvite(cohort.inviteCode))?.name).toBe("Invited");
    expect(await joinCohortByInvite(newcomer.id, cohort.inviteCode)).toMatchObject({
      ok: true,
      value: { alreadyMember: false },
    });
    expect(await joinCohortByInvite(newcomer.id, cohort.inviteCode)).toMatchObject({
      ok: true,
      value: { alreadyMember: true },
    });
    const audit = await getDb().auditEntry.findMany({ where: { subject: `cohort:${cohort.id}` } });
    expect(audit.map((a) => [a.action, a.actorId, a.detail])).toEqual([
      ["cohort_joined", newcomer.id, JSON.stringify({ via: "link" })],
    ]);
    expect((await getCohort(alice, cohort.id))!.members.map((m) => m.email)).toEqual(["new@example.test"]);

    expect(await regenerateInviteCode(alice, cohort.id)).toBe(true);
    expect(await findCohortByInvite(cohort.inviteCode)).toBeNull();
    expect(await joinCohortByInvite(newcomer.id, cohort.inviteCode)).toEqual({ ok: false, code: "not-found" });
    const fresh = (await getCohort(alice, cohort.id))!.inviteCode;
    expect(fresh).not.toBe(cohort.inviteCode);
  });

  it("deleting a cohort removes its memberships", async () => {
    const cohort = await createCohort(alice, "Short-lived");
    await joinCohortByInvite((await user("short@example.test")).id, cohort.inviteCode);
    expect(await getDb().cohortMember.count({ where: { cohortId: cohort.id } })).toBe(1);
    expect(await deleteCohort(alice, cohort.id)).toBe(true);
    expect(await getDb().cohortMember.count({ where: { cohortId: cohort.id } })).toBe(0);
  });
});
