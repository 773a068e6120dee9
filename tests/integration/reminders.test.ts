// Due-date reminders end to end (ADR 025): the production server sweeps on its interval and
// `npm run reminders:send` sweeps beside it, at the same moment, twice; a real SMTP server on loopback
// receives exactly one reminder per member who has not completed the assignment and wants reminders,
// in their language, with the due date on the regulator's clock, its zone named, and the links.
// A member who turned reminders off on /me/cohorts, and one who passed the case, get none.
import { spawn } from "node:child_process";
import path from "node:path";
import type { ParsedMail } from "mailparser";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "~/utils/db.server";
import { Client } from "../support/client";
import { passMiniCase } from "../support/play";
import { startServer, type TestServer } from "../support/server";
import { startMailbox, type TestMailbox } from "../support/smtp";

const PUBLIC_URL = "https://vignette.college.example";
const PASSWORD = "reminder tests password 5521";
// The fixture mini-case's regulator ("demo") keeps Toronto's clock.
const TIME_ZONE = "America/Toronto";

let mailbox: TestMailbox;
let server: TestServer;
let databaseUrl: string;

beforeAll(async () => {
  mailbox = await startMailbox();
  server = await startServer({
    content: [path.resolve("tests/fixtures/valid"), path.resolve("cases")],
    // Asked for here: a sweep every second or so (the floor), instead of every 10 minutes.
    env: { SMTP_URL: mailbox.url, PUBLIC_URL, REMINDER_SWEEP_MINUTES: "0.01" },
  });
  databaseUrl = process.env.DATABASE_URL!;
});
afterAll(async () => {
  await getDb().$disconnect();
  await server?.stop();
  await mailbox?.stop();
});

function remindersSend(): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(path.resolve("node_modules/.bin/tsx"), ["scripts/reminders-send.ts"], {
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        NODE_ENV: "production",
        PUBLIC_URL,
        SESSION_SECRET: "reminders-cli-test-secret-0123456789-abcdef",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr.on("data", (c: Buffer) => (output += c.toString()));
    child.on("exit", (code) => resolve({ code, output }));
  });
}

/** The reminders an address received (a member who passed also got their certificate's mail). */
const mailsTo = (address: string) =>
  mailbox.received.filter(
    (m) => m.to && !Array.isArray(m.to) && m.to.text === address && /^(Due |Échéance le )/.test(m.subject ?? ""),
  );
async function mailTo(address: string): Promise<ParsedMail> {
  await vi.waitFor(
    () => expect(mailsTo(address), `no mail to ${address}:\n${server.output().slice(-4000)}`).toHaveLength(1),
    {
      timeout: 60_000,
      interval: 200,
    },
  );
  return mailsTo(address)[0]!;
}

let counter = 0;
/** A learner (an account with a password), signed in; in the cohort since ten days ago. */
async function learner(inviteCode: string, locale: "en" | "fr" = "en") {
  const { createUser } = await import("~/models/user.server");
  const { joinCohortByInvite } = await import("~/models/cohort.server");
  const n = ++counter;
  const email = `reminded${n}@example.test`;
  const user = await createUser({
    email,
    name: `Reminded Learner ${n}`,
    password: PASSWORD,
    registrationNumber: `R-${n}`,
    regulator: "demo",
    locale,
    roles: ["learner"],
  });
  await joinCohortByInvite(user.id, inviteCode, new Date(Date.now() - 10 * 86_400_000));
  const client = new Client(server.url);
  expect((await client.login(email, PASSWORD)).status).toBe(302);
  return { id: user.id, email, client };
}

/** A due date whose day-before reminder is due now: tomorrow's (or, before 09:00 there, today's) end. */
async function dueDateDueNow(): Promise<Date> {
  const { dueAtFromDateInput } = await import("~/models/assignment.server");
  const { reminderDue } = await import("~/models/reminder.server");
  const { calendarDayOf } = await import("~/utils/format");
  const now = new Date();
  for (const offset of [1, 0]) {
    const day = calendarDayOf(new Date(now.getTime() + offset * 86_400_000), TIME_ZONE);
    const dueAt = dueAtFromDateInput(day, TIME_ZONE)!;
    if (reminderDue(dueAt, TIME_ZONE, now)?.kind === "day") return dueAt;
  }
  throw new Error("no due date has its reminder due now");
}

describe("due-date reminders", () => {
  it("mails each member who has not completed the assignment exactly once, however many sweep", async () => {
    const { createUser } = await import("~/models/user.server");
    const { createCohort } = await import("~/models/cohort.server");
    const { createAssignment } = await import("~/models/assignment.server");
    const educatorRow = await createUser({
      email: "reminding-teacher@example.test",
      name: "Rita Teacher",
      password: PASSWORD,
      registrationNumber: "ED-1",
      regulator: "demo",
      locale: "en",
      roles: ["educator"],
    });
    const educator = { id: educatorRow.id, roles: ["educator"] };
    const cohort = await createCohort(educator, "Spring ethics cohort");
    const [english, french, optedOut, done] = [
      await learner(cohort.inviteCode),
      await learner(cohort.inviteCode, "fr"),
      await learner(cohort.inviteCode),
      await learner(cohort.inviteCode),
    ];

    // The checkbox on /me/cohorts, as a person uses it: on by default, unticked and saved.
    const page = await optedOut.client.get("/me/cohorts");
    expect(page.html).toMatch(/<input type="checkbox" name="dueDateReminders"[^>]* checked=""/);
    const saved = await optedOut.client.post("/me/cohorts", { intent: "reminders" });
    await english.client.get("/me/cohorts");
    expect(saved.status).toBe(200);
    expect(saved.html).toContain("Due-date reminders are off");
    expect((await optedOut.client.get("/me/cohorts")).html).not.toMatch(/name="dueDateReminders" checked/);
    // A value a checkbox never sends is a 400, and changes nothing.
    expect((await english.client.post("/me/cohorts", { intent: "reminders", dueDateReminders: "maybe" })).status).toBe(
      400,
    );
    // One member has already passed the case.
    await passMiniCase(done.client);

    const miniCase = await getDb().case.findUniqueOrThrow({ where: { slug: "mini-case" } });
    const dueAt = await dueDateDueNow();
    // The server's sweep and two runs of the CLI, all at once.
    const [made, first, second] = await Promise.all([
      createAssignment(educator, cohort.id, { kind: "case", caseId: miniCase.id, caseVersionId: null }, dueAt),
      remindersSend(),
      remindersSend(),
    ]);
    expect(made.ok).toBe(true);
    expect(first.code, first.output).toBe(0);
    expect(second.code, second.output).toBe(0);

    const en = await mailTo(english.email);
    const { formatZonedDateTime } = await import("~/utils/format");
    const dateEn = formatZonedDateTime(dueAt, "en", TIME_ZONE);
    expect(dateEn).toMatch(/ (EST|EDT)$/);
    expect(en.subject).toBe(`Due ${dateEn}: A follow request`);
    expect(en.text).toContain(
      `“A follow request”, assigned to your cohort “Spring ethics cohort”, is due by ${dateEn}`,
    );
    expect(en.text).toContain(`${PUBLIC_URL}/cases/mini-case`);
    expect(en.text).toContain(
      `untick “Email me reminders of due dates” on My cohorts: ${PUBLIC_URL}/me/cohorts#reminders`,
    );
    expect(en.html).toContain(`href="${PUBLIC_URL}/cases/mini-case"`);

    const fr = await mailTo(french.email);
    const dateFr = formatZonedDateTime(dueAt, "fr", TIME_ZONE);
    expect(dateFr).toMatch(/ (HNE|HAE)$/);
    expect(fr.subject).toBe(`Échéance le ${dateFr} : Une demande d'abonnement`);
    expect(fr.text).toContain("« Spring ethics cohort »");

    // Every reminder the sweeps queued has been sent: nobody else got one, and nobody got two.
    await vi.waitFor(
      async () =>
        expect(await getDb().mailMessage.count({ where: { kind: "assignment_due", status: { not: "sent" } } })).toBe(0),
      { timeout: 30_000, interval: 200 },
    );
    expect(await getDb().mailMessage.count({ where: { kind: "assignment_due" } })).toBe(2);
    expect(mailsTo(optedOut.email)).toEqual([]);
    expect(mailsTo(done.email)).toEqual([]);
    expect(mailsTo(english.email)).toHaveLength(1);
    expect(mailsTo(french.email)).toHaveLength(1);
    // Run again: nothing is due any more.
    const again = await remindersSend();
    expect(again.output).toContain("No reminder is due.");
    expect(await getDb().assignmentReminder.count()).toBe(2);
  });

  it("sweeps on the server's own interval, without the CLI", async () => {
    const { createUser } = await import("~/models/user.server");
    const { createCohort } = await import("~/models/cohort.server");
    const { createAssignment } = await import("~/models/assignment.server");
    const row = await createUser({
      email: "interval-teacher@example.test",
      name: "Ivan Teacher",
      password: PASSWORD,
      registrationNumber: "ED-2",
      regulator: "demo",
      locale: "en",
      roles: ["educator"],
    });
    const educator = { id: row.id, roles: ["educator"] };
    const cohort = await createCohort(educator, "Interval cohort");
    const member = await learner(cohort.inviteCode);
    const miniCase = await getDb().case.findUniqueOrThrow({ where: { slug: "mini-case" } });
    const made = await createAssignment(
      educator,
      cohort.id,
      { kind: "case", caseId: miniCase.id, caseVersionId: null },
      await dueDateDueNow(),
    );
    expect(made.ok).toBe(true);
    const mail = await mailTo(member.email);
    expect(mail.text).toContain("“Interval cohort”");
  });
});
