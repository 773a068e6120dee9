import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/utils/db.server";
import { insertUser, miniAndDemoCaseIds, setupModelDb } from "../../tests/support/model-db";
import { publish, publishMiniCaseVersion } from "../../tests/support/server";
import { createAssignment, deleteAssignment, dueAtFromDateInput, setDueDate } from "./assignment.server";
import { createCohort, joinCohortByInvite, leaveCohort, type Actor } from "./cohort.server";
import { claimDueMessages, prepareMail, type ClaimedMessage } from "./mail-outbox.server";
import { createModule } from "./module.server";
import {
  dueDateRemindersOn,
  reminderDue,
  reminderWindows,
  setDueDateReminders,
  sweepReminders,
} from "./reminder.server";

const database = setupModelDb();
const TORONTO = "America/Toronto";

describe("reminder windows (pure)", () => {
  it("opens a week and a day before the due date's day at 09:00 on the regulator's clock", () => {
    // Due by the end of Saturday 20 March 2027 in Toronto; daylight saving starts on the 14th.
    const dueAt = dueAtFromDateInput("2027-03-20", TORONTO)!;
    expect(dueAt.toISOString()).toBe("2027-03-21T03:59:59.999Z");
    expect(reminderWindows(dueAt, TORONTO)).toEqual([
      { kind: "week", opensAt: new Date("2027-03-13T14:00:00Z"), closesAt: new Date("2027-03-19T13:00:00Z") },
      { kind: "day", opensAt: new Date("2027-03-19T13:00:00Z"), closesAt: dueAt },
    ]);
    // The same day on Vancouver's clock opens three hours later.
    const vancouver = dueAtFromDateInput("2027-03-20", "America/Vancouver")!;
    expect(reminderWindows(vancouver, "America/Vancouver")[1]!.opensAt).toEqual(new Date("2027-03-19T16:00:00Z"));

    expect(reminderDue(dueAt, TORONTO, new Date("2027-03-13T13:59:59Z"))).toBeNull();
    expect(reminderDue(dueAt, TORONTO, new Date("2027-03-13T14:00:00Z"))?.kind).toBe("week");
    expect(reminderDue(dueAt, TORONTO, new Date("2027-03-19T12:59:59Z"))?.kind).toBe("week");
    expect(reminderDue(dueAt, TORONTO, new Date("2027-03-19T13:00:00Z"))?.kind).toBe("day");
    expect(reminderDue(dueAt, TORONTO, new Date("2027-03-21T03:59:59Z"))?.kind).toBe("day");
    expect(reminderDue(dueAt, TORONTO, new Date("2027-03-21T04:00:00Z"))).toBeNull();
  });
});

describe("the reminder sweep (database)", () => {
  let educator: Actor;
  let mini: { caseId: number; v1: number; v2: number };
  let smb: number;
  let counter = 0;

  beforeAll(async () => {
    await publish(database.file, [path.resolve("tests/fixtures/valid"), path.resolve("cases")]);
    await publishMiniCaseVersion(database.file, "Version two?");
    ({ mini, smb } = await miniAndDemoCaseIds());
    educator = await insertUser("edu@example.test", ["educator"]);
  });

  const db = () => getDb();
  const learner = async (locale = "en") => {
    const n = ++counter;
    const row = await insertUser(`learner${n}@example.test`, ["learner"], `Learner ${n}`);
    await db().user.update({ where: { id: row.id }, data: { locale } });
    return row;
  };
  /** A cohort whose members joined at `joined`, with mini-case assigned, due by the end of `day`. */
  async function cohortWith(members: Actor[], day: string, joined = new Date("2026-12-01T12:00:00Z")) {
    const cohort = await createCohort(educator, `Cohort ${++counter}`);
    for (const m of members) await joinCohortByInvite(m.id, cohort.inviteCode, joined);
    const dueAt = dueAtFromDateInput(day, TORONTO)!;
    const made = await createAssignment(
      educator,
      cohort.id,
      { kind: "case", caseId: mini.caseId, caseVersionId: null },
      dueAt,
    );
    if (!made.ok) throw new Error(made.code);
    return { cohort, assignmentId: made.value.id, dueAt };
  }
  async function pass(userId: string, at: Date) {
    const number = (await db().attempt.count({ where: { userId, caseId: mini.caseId } })) + 1;
    await db().attempt.create({
      data: {
        userId,
        caseId: mini.caseId,
        caseVersionId: mini.v1,
        number,
        currentNodeId: "x",
        startedAt: at,
        status: "completed",
        passed: true,
        score: 1,
        completedAt: at,
      },
    });
  }
  const reminderMail = (assignmentId: string) =>
    db().mailMessage.findMany({ where: { kind: "assignment_due", params: { contains: assignmentId } } });
  const recipients = async (assignmentId: string) => (await reminderMail(assignmentId)).map((m) => m.to).sort();
  // Claimed as the sender would; kept here since a claim is the claimant's until its lease ends.
  const claimed: ClaimedMessage[] = [];
  async function claimFor(assignmentId: string, to: string, now: Date): Promise<ClaimedMessage> {
    claimed.push(...(await claimDueMessages(100, now)));
    const message = claimed.find((m) => m.to === to && m.params.includes(assignmentId));
    if (!message) throw new Error(`no reminder to ${to}`);
    return message;
  }

  it("reminds, once per kind, only the members who joined in time, have not completed it and want reminders", async () => {
    const [waiting, done, optedOut, leaver, deactivated, closed, late] = [
      await learner(),
      await learner(),
      await learner(),
      await learner(),
      await learner(),
      await learner(),
      await learner(),
    ];
    const { cohort, assignmentId } = await cohortWith(
      [waiting, done, optedOut, leaver, deactivated, closed],
      "2027-03-20",
    );
    await pass(done.id, new Date("2026-12-02T10:00:00Z"));
    await setDueDateReminders(optedOut.id, false);
    expect(await dueDateRemindersOn(optedOut.id)).toBe(false);
    await leaveCohort(leaver.id, cohort.id);
    await db().user.update({ where: { id: deactivated.id }, data: { deactivatedAt: new Date() } });
    await db().user.update({ where: { id: closed.id }, data: { closedAt: new Date() } });
    // Joined after the week's window opened (13 March, 09:00 in Toronto): no week reminder.
    await joinCohortByInvite(late.id, cohort.inviteCode, new Date("2027-03-14T12:00:00Z"));

    expect(await sweepReminders({ now: new Date("2027-03-13T13:00:00Z") })).toEqual({ queued: 0, more: false });
    const inWeek = new Date("2027-03-15T12:00:00Z");
    expect((await sweepReminders({ now: inWeek })).queued).toBe(1);
    expect(await recipients(assignmentId)).toEqual([waiting.email]);
    // Again, and after a restart: nothing more for the week.
    expect((await sweepReminders({ now: inWeek })).queued).toBe(0);
    expect((await sweepReminders({ now: new Date("2027-03-18T12:00:00Z") })).queued).toBe(0);

    const inDay = new Date("2027-03-20T12:00:00Z");
    expect((await sweepReminders({ now: inDay })).queued).toBe(2);
    expect(await recipients(assignmentId)).toEqual([late.email, waiting.email, waiting.email].sort());
    const rows = await db().assignmentReminder.findMany({ where: { assignmentId }, orderBy: { kind: "asc" } });
    expect(rows.map((r) => [r.kind, r.userId]).sort()).toEqual(
      [
        ["day", late.id],
        ["day", waiting.id],
        ["week", waiting.id],
      ].sort(),
    );
    // After the due date: nothing.
    expect((await sweepReminders({ now: new Date("2027-03-21T05:00:00Z") })).queued).toBe(0);
  });

  it("queues each reminder once when two sweeps run at the same moment", async () => {
    const members = [await learner(), await learner(), await learner(), await learner()];
    const { assignmentId } = await cohortWith(members, "2027-05-20");
    const now = new Date("2027-05-15T12:00:00Z");
    const [a, b] = await Promise.all([sweepReminders({ now }), sweepReminders({ now })]);
    expect(a.queued + b.queued).toBe(4);
    expect(await recipients(assignmentId)).toEqual(members.map((m) => m.email).sort());
    expect(await db().assignmentReminder.count({ where: { assignmentId } })).toBe(4);
  });

  it("queues at most a batch per run and says when more are waiting", async () => {
    const members = [await learner(), await learner(), await learner()];
    const { assignmentId } = await cohortWith(members, "2027-07-20");
    const now = new Date("2027-07-15T12:00:00Z");
    expect(await sweepReminders({ now, batchSize: 2 })).toEqual({ queued: 2, more: true });
    expect(await sweepReminders({ now, batchSize: 2 })).toEqual({ queued: 1, more: false });
    expect(await recipients(assignmentId)).toHaveLength(3);
  });

  it("says the title in the recipient's language and the due date with its zone, and links the case", async () => {
    const fr = await learner("fr");
    const { assignmentId, dueAt } = await cohortWith([fr], "2027-09-20");
    const now = new Date("2027-09-19T14:00:00Z");
    expect((await sweepReminders({ now })).queued).toBe(1);
    const prepared = await prepareMail(await claimFor(assignmentId, fr.email, now), now);
    expect(prepared.status).toBe("ready");
    if (prepared.status !== "ready") return;
    expect(prepared.mail.locale).toBe("fr");
    expect(prepared.mail.content).toMatchObject({
      kind: "assignment_due",
      title: "Une demande d'abonnement",
      dueDate: expect.stringMatching(/^20 septembre 2027 .*23 h 59 HAE$/),
      isModule: false,
      link: expect.stringMatching(/\/cases\/mini-case$/),
      preferencesLink: expect.stringMatching(/\/me\/cohorts#reminders$/),
    });
    expect(dueAt.toISOString()).toBe("2027-09-21T03:59:59.999Z");
  });

  it("sends nothing for a reminder whose member completed, turned reminders off or left since it was queued", async () => {
    const [completes, turnsOff, leaves] = [await learner(), await learner(), await learner()];
    const { cohort, assignmentId } = await cohortWith([completes, turnsOff, leaves], "2027-11-20");
    const now = new Date("2027-11-15T12:00:00Z");
    expect((await sweepReminders({ now })).queued).toBe(3);
    await pass(completes.id, new Date("2027-11-15T13:00:00Z"));
    await setDueDateReminders(turnsOff.id, false);
    await leaveCohort(leaves.id, cohort.id);
    const later = new Date("2027-11-15T14:00:00Z");
    const reasons = [];
    for (const who of [completes, turnsOff, leaves]) {
      const prepared = await prepareMail(await claimFor(assignmentId, who.email, later), later);
      reasons.push(prepared.status === "drop" ? prepared.reason : prepared.status);
    }
    expect(reasons).toEqual(["completed", "reminders off", "left the cohort"]);
  });

  it("re-arms the reminders for a new due date, and drops the ones of the old date", async () => {
    const member = await learner();
    const { cohort, assignmentId } = await cohortWith([member], "2028-01-20");
    const inWeek = new Date("2028-01-15T12:00:00Z");
    expect((await sweepReminders({ now: inWeek })).queued).toBe(1);
    // Moved a week later: the old week reminder is not sent, the new date's week reminder is.
    const moved = dueAtFromDateInput("2028-01-27", TORONTO)!;
    expect(await setDueDate(educator, cohort.id, assignmentId, moved)).toBe(true);
    const old = await prepareMail(await claimFor(assignmentId, member.email, inWeek), inWeek);
    expect(old).toEqual({ status: "drop", reason: "due date changed" });
    expect((await sweepReminders({ now: inWeek })).queued).toBe(0);
    expect((await sweepReminders({ now: new Date("2028-01-21T12:00:00Z") })).queued).toBe(1);
    const keys = await db().assignmentReminder.findMany({ where: { assignmentId }, orderBy: { dueAt: "asc" } });
    expect(keys.map((k) => [k.kind, k.dueAt.toISOString()])).toEqual([
      ["week", "2028-01-21T04:59:59.999Z"],
      ["week", moved.toISOString()],
    ]);
  });

  it("forgets a removed assignment's reminders and sends none of them", async () => {
    const member = await learner();
    const { cohort, assignmentId } = await cohortWith([member], "2028-03-20");
    const now = new Date("2028-03-15T12:00:00Z");
    expect((await sweepReminders({ now })).queued).toBe(1);
    expect(await deleteAssignment(educator, cohort.id, assignmentId)).toBe(true);
    expect(await db().assignmentReminder.count({ where: { assignmentId } })).toBe(0);
    const prepared = await prepareMail(await claimFor(assignmentId, member.email, now), now);
    expect(prepared).toEqual({ status: "drop", reason: "assignment removed" });
  });

  it("links a module's reminder to its first case not passed yet", async () => {
    const member = await learner();
    const cohort = await createCohort(educator, "Module cohort");
    await joinCohortByInvite(member.id, cohort.inviteCode, new Date("2026-12-01T12:00:00Z"));
    const module = (await createModule(educator, {
      titleEn: "Pair",
      titleFr: "Paire",
      descriptionEn: "",
      descriptionFr: "",
      caseIds: [mini.caseId, smb],
    })) as { value: { id: string } };
    const made = await createAssignment(
      educator,
      cohort.id,
      { kind: "module", moduleId: module.value.id },
      dueAtFromDateInput("2028-05-20", TORONTO),
    );
    if (!made.ok) throw new Error(made.code);
    await pass(member.id, new Date("2026-12-02T10:00:00Z"));
    const now = new Date("2028-05-15T12:00:00Z");
    expect((await sweepReminders({ now })).queued).toBe(1);
    const prepared = await prepareMail(await claimFor(made.value.id, member.email, now), now);
    if (prepared.status !== "ready") throw new Error(JSON.stringify(prepared));
    expect(prepared.mail.content).toMatchObject({
      kind: "assignment_due",
      title: "Pair",
      isModule: true,
      link: expect.stringMatching(/\/cases\/social-media-boundaries$/),
    });
  });
});
