// Closing an account and purging its records after retention, against a real migrated SQLite file:
// what goes at closure and what stays, the completion triggers' one door, and that an open
// account's records never go.
import path from "node:path";
import Database from "better-sqlite3";
import { beforeAll, describe, expect, it } from "vitest";
import { loadContent } from "~/utils/case-files.server";
import { getDb } from "~/utils/db.server";
import { RETENTION_YEARS, retentionCutoff } from "~/utils/retention";
import { setupModelDb } from "../../tests/support/model-db";
import { advanceAttempt, startAttempt } from "./attempt.server";
import { findCertificate } from "./completion.server";
import { publishContent } from "./content.server";
import { planPurge, purgeExpiredRecords } from "./retention.server";
import { closeAccount, closedAccountEmail, createUser, findUserByEmail, verifyLogin } from "./user.server";

const database = setupModelDb();
const fixtures = path.resolve("tests/fixtures/valid");
const PASSWORD = "correct horse battery staple";
const DAY = 86_400_000;
const start = new Date();
const yearsAfter = (date: Date, years: number) => new Date(date.getTime() + years * 365.25 * DAY);

/** Plays mini-case: "decline" passes (with a reflection), "accept" fails. Completed at `when`. */
async function play(userId: string, q1: "decline" | "accept", when: Date) {
  const started = await startAttempt(userId, "mini-case");
  if (!started.ok) throw new Error("could not start");
  const id = started.value.attemptId;
  await advanceAttempt(id, userId, { from: "context" }, when);
  await advanceAttempt(id, userId, { from: "q1", choiceId: q1 }, when);
  await advanceAttempt(id, userId, { from: "q2", choiceId: "explain" }, when);
  await advanceAttempt(id, userId, { from: "reflect", reflection: `Reflection of ${userId}` }, when);
  return id;
}

async function learner(email: string, name: string, registrationNumber: string) {
  // Registered with "demo", whose mini-case they pass: the completion records are demo's.
  return createUser({ email, name, password: PASSWORD, registrationNumber, regulator: "demo", locale: "fr" });
}

/**
 * Deletes a learner's completions the plainest way, certificates first, and rolls back: what the
 * database says about it (the trigger's message), or "deleted" had it let the rows go.
 */
function plainDelete(userId: string): string {
  const db = new Database(database.file);
  db.pragma("foreign_keys = ON");
  db.pragma("busy_timeout = 5000");
  try {
    db.exec("BEGIN");
    const ids = `SELECT "id" FROM "Completion" WHERE "userId" = ?`;
    db.prepare(`DELETE FROM "Certificate" WHERE "completionId" IN (${ids})`).run(userId);
    db.prepare(`DELETE FROM "Completion" WHERE "userId" = ?`).run(userId);
    return "deleted";
  } catch (error) {
    return (error as Error).message;
  } finally {
    db.exec("ROLLBACK");
    db.close();
  }
}

const counts = async () => {
  const db = getDb();
  return {
    users: await db.user.count(),
    completions: await db.completion.count(),
    certificates: await db.certificate.count(),
    attempts: await db.attempt.count(),
    steps: await db.attemptStep.count(),
  };
};

let closer: { id: string };
let recent: { id: string };
let open: { id: string };
let code: string;

beforeAll(async () => {
  await publishContent(getDb(), loadContent([fixtures], { fallbackCatalogDir: path.join(fixtures, "standards") }));
  closer = await learner("Chloe.Closer@example.test", "Chloé Closer", "OT-CLO-1");
  recent = await learner("rita.recent@example.test", "Rita Recent", "OT-REC-2");
  open = await learner("olga.open@example.test", "Olga Open", "OT-OPN-3");
  // The closer fails once, then passes (credited, with a certificate); she is in a cohort, signed in
  // on two browsers and has a sign-in throttle row.
  await play(closer.id, "accept", start);
  await play(closer.id, "decline", start);
  // Rita passes three years later than the others: her record is still kept when theirs are not.
  await play(recent.id, "decline", yearsAfter(start, 3));
  await play(open.id, "decline", start);
  const db = getDb();
  const cohort = await db.cohort.create({ data: { name: "Evening group", educatorId: open.id, inviteCode: "inv-1" } });
  await db.cohortMember.create({ data: { cohortId: cohort.id, userId: closer.id } });
  for (const id of ["s-1", "s-2"]) {
    await db.session.create({ data: { id, userId: closer.id, csrfToken: id, expiresAt: yearsAfter(start, 1) } });
  }
  await db.loginThrottle.create({
    data: { key: "account:chloe.closer@example.test", failures: 1, windowStart: start },
  });
  code = (await db.certificate.findFirstOrThrow({ where: { completion: { userId: closer.id } } })).code;
});

describe("closeAccount", () => {
  it("erases the profile, reflections, unrecorded attempts, memberships, sessions; keeps the records", async () => {
    const summary = await closeAccount(closer.id, start);
    expect(summary).toEqual({ reflections: 2, attempts: 1, memberships: 1, sessions: 2, completionsKept: 1 });
    const db = getDb();
    const user = await db.user.findUniqueOrThrow({ where: { id: closer.id } });
    expect(user).toMatchObject({
      name: "Closed account",
      email: closedAccountEmail(closer.id),
      registrationNumber: "",
      locale: "fr",
      closedAt: start,
    });
    expect(await db.password.count({ where: { userId: closer.id } })).toBe(0);
    expect(await db.userRole.count({ where: { userId: closer.id } })).toBe(0);
    expect(await db.session.count({ where: { userId: closer.id } })).toBe(0);
    expect(await db.cohortMember.count({ where: { userId: closer.id } })).toBe(0);
    expect(await db.loginThrottle.count()).toBe(0);
    expect(await db.reflection.count({ where: { attempt: { userId: closer.id } } })).toBe(0);
    // The passing attempt stays behind its completion; the failed one went with its steps.
    const attempts = await db.attempt.findMany({ where: { userId: closer.id }, include: { completion: true } });
    expect(attempts).toHaveLength(1);
    expect(attempts[0]!.completion).toMatchObject({ learnerName: "Chloé Closer", registrationNumber: "OT-CLO-1" });
    expect(await db.attemptStep.count({ where: { attempt: { userId: closer.id } } })).toBe(4);
    // Other learners' reflections are untouched.
    expect(await db.reflection.count()).toBe(2);
  });

  it("leaves the password useless and the email free to register again", async () => {
    expect(await verifyLogin("chloe.closer@example.test", PASSWORD)).toBeNull();
    expect(await findUserByEmail("chloe.closer@example.test")).toBeNull();
    const again = await learner("chloe.closer@example.test", "Chloé Closer", "OT-CLO-1");
    expect(again.id).not.toBe(closer.id);
    expect(await verifyLogin("chloe.closer@example.test", PASSWORD)).toBe(again.id);
  });

  it("keeps the certificate verifiable with the name and registration number as issued", async () => {
    const certificate = await findCertificate(code);
    expect(certificate?.revokedAt).toBeNull();
    expect(certificate?.completion).toMatchObject({ learnerName: "Chloé Closer", registrationNumber: "OT-CLO-1" });
  });

  it("records the closure in the audit log without personal data, once", async () => {
    const entries = await getDb().auditEntry.findMany({ where: { subject: `account:${closer.id}` } });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ action: "account_closed", actorId: closer.id });
    expect(entries[0]!.detail).not.toMatch(/chlo|closer|OT-CLO|example\.test/i);
    expect(await closeAccount(closer.id)).toBeNull();
    expect(await getDb().auditEntry.count({ where: { subject: `account:${closer.id}` } })).toBe(1);
  });

  it("does not open the completion records to a plain delete, not even a closed account's", async () => {
    expect(plainDelete(closer.id)).toMatch(/never deleted/);
    expect(plainDelete(open.id)).toMatch(/never deleted/);
    expect(await getDb().completion.count({ where: { userId: closer.id } })).toBe(1);
  });
});

describe("records:purge", () => {
  it("finds nothing while the records are in their retention period", async () => {
    await closeAccount(recent.id, start);
    const plan = await planPurge(getDb(), yearsAfter(start, RETENTION_YEARS - 0.1));
    expect(Object.values(plan.counts).every((n) => n === 0)).toBe(true);
    expect(plan.oldest).toBeNull();
  });

  it("lists what outlived its retention, for closed accounts only, and deletes nothing", async () => {
    const before = await counts();
    const now = yearsAfter(start, RETENTION_YEARS + 0.01);
    const plan = await planPurge(getDb(), now);
    // The case's regulator (the fixtures' "demo") names no retention period: the constant applies.
    expect(plan.periods).toEqual([
      { regulator: "demo", retentionYears: RETENTION_YEARS, cutoff: retentionCutoff(now) },
    ]);
    expect(plan.counts).toEqual({
      CertificateReissue: 0,
      Certificate: 1,
      Completion: 1,
      AttemptStep: 4,
      Reflection: 0,
      Attempt: 1,
      User: 1,
    });
    expect(plan.oldest!.getTime()).toBe(start.getTime());
    expect(plan.newest!.getTime()).toBe(start.getTime());
    expect(await counts()).toEqual(before);
  });

  it("with --yes deletes exactly that in one go, audits it, and leaves the door shut", async () => {
    const before = await counts();
    const plan = await purgeExpiredRecords(getDb(), yearsAfter(start, RETENTION_YEARS + 0.01));
    expect(plan.counts).toMatchObject({ Completion: 1, User: 1 });
    expect(await counts()).toEqual({
      users: before.users - 1,
      completions: before.completions - 1,
      certificates: before.certificates - 1,
      attempts: before.attempts - 1,
      steps: before.steps - 4,
    });
    const db = getDb();
    expect(await db.user.findUnique({ where: { id: closer.id } })).toBeNull();
    expect(await findCertificate(code)).toBeNull();
    // Rita's record is still in its period (her account stays, closed); Olga's account is open.
    expect(await db.completion.count({ where: { userId: recent.id } })).toBe(1);
    expect(await db.user.findUnique({ where: { id: recent.id } })).not.toBeNull();
    expect(await db.completion.count({ where: { userId: open.id } })).toBe(1);
    expect(await db.recordPurge.count()).toBe(0);
    const audit = await db.auditEntry.findFirstOrThrow({ where: { subject: "records", action: "records_purged" } });
    expect(JSON.parse(audit.detail)).toMatchObject({
      periods: [{ regulator: "demo", retentionYears: RETENTION_YEARS }],
      counts: plan.counts,
    });
    expect(plainDelete(recent.id)).toMatch(/never deleted/);
    // With the door open by hand at a cutoff before Rita's completion, hers still cannot go.
    const raw = new Database(database.file);
    try {
      raw.exec("BEGIN");
      raw.prepare(`INSERT INTO "RecordPurge" ("id", "cutoff") VALUES (1, ?)`).run(yearsAfter(start, 2).toISOString());
      raw.prepare(`DELETE FROM "Certificate"`).run();
      expect(() => raw.prepare(`DELETE FROM "Completion" WHERE "userId" = ?`).run(recent.id)).toThrow(/never deleted/);
    } finally {
      raw.exec("ROLLBACK");
      raw.close();
    }
  });

  it("never purges an open account's records, however old", async () => {
    const plan = await purgeExpiredRecords(getDb(), yearsAfter(start, 100));
    expect(plan.counts).toMatchObject({ Completion: 1, User: 1 });
    expect(await getDb().completion.count({ where: { userId: open.id } })).toBe(1);
    expect(await getDb().user.count({ where: { closedAt: { not: null } } })).toBe(0);
    // Even with the purge's door open by hand, the trigger keeps an open account's records.
    const db = new Database(database.file);
    try {
      db.exec("BEGIN");
      db.prepare(`INSERT INTO "RecordPurge" ("id", "cutoff") VALUES (1, ?)`).run("9999-12-31T00:00:00.000Z");
      db.prepare(`DELETE FROM "Certificate"`).run();
      expect(() => db.prepare(`DELETE FROM "Completion"`).run()).toThrow(/never deleted/);
    } finally {
      db.exec("ROLLBACK");
      db.close();
    }
  });
});
