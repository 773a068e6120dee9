// The scale bench's seeder writes what the app writes: an attempt it seeds reads back through the
// app's own model code like the same path played through advanceAttempt (attempt, steps,
// reflection, completion, certificate, mail), column by column and, on SQLite, type by type.
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { replayPath, type RecordedStep } from "~/engine";
import { advanceAttempt, getAttemptForUser, startAttempt, timeOnTaskSeconds } from "~/models/attempt.server";
import { publishContent } from "~/models/content.server";
import { claimDueMessages, markSent } from "~/models/mail-outbox.server";
import { loadContent } from "~/utils/case-files.server";
import { getDb } from "~/utils/db.server";
import { insertUser, setupModelDb } from "../../tests/support/model-db";
import { onPostgresql } from "../../tests/support/postgres";
import { loadSeedVersion, postgresqlSink, seedCompletedAttempts, sqliteSink, type RowSink } from "./scale-seed";

const database = setupModelDb();
const SLUG = "social-media-boundaries";
/** The expert's path: passes. */
const passing: RecordedStep[] = [
  { nodeId: "context", choiceId: null },
  { nodeId: "q-request", choiceId: "decline" },
  { nodeId: "audit", choiceId: null },
  { nodeId: "q-privacy", choiceId: "tighten" },
  { nodeId: "q-policy", choiceId: "write-policy" },
  { nodeId: "visit", choiceId: null },
  { nodeId: "q-visit", choiceId: "explain" },
  { nodeId: "reflect-maintained", choiceId: null },
];
/** A critical choice: fails. */
const failing: RecordedStep[] = [
  { nodeId: "context", choiceId: null },
  { nodeId: "q-request", choiceId: "accept" },
  { nodeId: "accepted", choiceId: null },
  { nodeId: "q-repair", choiceId: "keep" },
  { nodeId: "drift", choiceId: null },
  { nodeId: "reflect-blurred", choiceId: null },
];

let sink: RowSink;
let close: () => Promise<void> = async () => {};
let sqlite: Database.Database | undefined;

beforeAll(async () => {
  await publishContent(getDb(), loadContent([path.resolve("cases")]));
  if (onPostgresql) {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    sink = postgresqlSink(client);
    close = () => client.end();
  } else {
    sqlite = new Database(database.file);
    sink = sqliteSink(sqlite);
    close = async () => {
      sqlite?.close();
    };
  }
});
afterAll(() => close());

/** Plays `steps` through the app's own code, a minute apart; returns the attempt id. */
async function play(userId: string, steps: RecordedStep[]) {
  const started = await startAttempt(userId, SLUG);
  if (!started.ok) throw new Error(started.code);
  const { attemptId } = started.value;
  let at = Date.now();
  for (const step of steps) {
    const result = await advanceAttempt(
      attemptId,
      userId,
      { from: step.nodeId, choiceId: step.choiceId ?? undefined, reflection: "I would explain my policy." },
      new Date((at += 60_000)),
    );
    expect(result.ok).toBe(true);
  }
  return attemptId;
}

const rowsOf = async (attemptId: string) => {
  const db = getDb();
  const attempt = await db.attempt.findUniqueOrThrow({
    where: { id: attemptId },
    include: {
      steps: { orderBy: { seq: "asc" } },
      reflections: true,
      completion: { include: { certificate: true } },
      user: { include: { registrations: true, roles: true } },
    },
  });
  const mail = await db.mailMessage.findMany({ where: { userId: attempt.userId } });
  return { attempt, mail };
};

/** The SQLite storage class of every column of the row, e.g. { startedAt: "text", passed: "integer" }. */
function storageTypes(table: string, where: string, value: string): Record<string, string> {
  const columns = (sqlite!.prepare(`PRAGMA table_info("${table}")`).all() as Array<{ name: string }>).map(
    (c) => c.name,
  );
  const select = columns.map((c) => `typeof("${c}") AS "${c}"`).join(", ");
  return sqlite!.prepare(`SELECT ${select} FROM "${table}" WHERE "${where}" = ? LIMIT 1`).get(value) as Record<
    string,
    string
  >;
}

describe("seedCompletedAttempts", () => {
  it("writes a passing attempt as the player writes the same path", async () => {
    const version = await loadSeedVersion(getDb(), SLUG);
    const player = await insertUser("played@example.org");
    const playedId = await play(player.id, passing);
    // The sender's work on the queued mail, by the app's own code: the seeder writes it as sent.
    // (An hour on: the play's steps were dated in the coming minutes.)
    const later = new Date(Date.now() + 3_600_000);
    const claimed = await claimDueMessages(10, later);
    expect(claimed.map((m) => m.userId)).toEqual([player.id]);
    await markSent(claimed[0]!, later);
    const summary = await seedCompletedAttempts(sink, version, { attempts: 1, prefix: "pass", path: passing });
    expect(summary).toMatchObject({ learners: 1, attempts: 1, passed: 1, completions: 1, certificates: 1 });
    const seededAttempt = await getDb().attempt.findFirstOrThrow({
      where: { user: { email: "scale-pass-0@bench.invalid" } },
    });

    const played = await rowsOf(playedId);
    const seeded = await rowsOf(seededAttempt.id);
    const attemptFields = (a: typeof played.attempt) => ({
      caseId: a.caseId,
      caseVersionId: a.caseVersionId,
      number: a.number,
      currentNodeId: a.currentNodeId,
      status: a.status,
      total: a.total,
      score: a.score,
      passed: a.passed,
      completedAtIsLastStep: a.completedAt?.getTime() === a.steps.at(-1)!.createdAt.getTime(),
      steps: a.steps.map((s) => [s.seq, s.nodeId, s.choiceId]),
      reflections: a.reflections.map((r) => [r.nodeId, r.createdAt.getTime() === a.completedAt?.getTime()]),
      roles: a.user.roles.map((r) => [r.roleId, r.regulatorId]),
      // The case's regulator's (the test's player is registered with the fixtures' "demo" too).
      registrations: a.user.registrations
        .filter((r) => r.regulatorId === "coto")
        .map((r) => [r.regulatorId, r.number === a.user.registrationNumber]),
    });
    expect(attemptFields(seeded.attempt)).toEqual(attemptFields(played.attempt));
    expect(played.attempt.passed).toBe(true);

    const completionFields = (r: typeof played) => {
      const { attempt } = r;
      const c = attempt.completion!;
      return {
        userId: c.userId === attempt.userId,
        learnerName: c.learnerName === attempt.user.name,
        registrationNumber: c.registrationNumber === attempt.user.registrationNumber,
        regulator: c.regulator,
        caseSlug: c.caseSlug,
        caseVersion: c.caseVersion,
        caseVersionId: c.caseVersionId,
        caseTitle: c.caseTitle,
        locale: c.locale === attempt.user.locale,
        startedAt: c.startedAt.getTime() === attempt.startedAt.getTime(),
        completedAt: c.completedAt.getTime() === attempt.completedAt!.getTime(),
        createdAt: c.createdAt.getTime() === attempt.completedAt!.getTime(),
        timeOnTaskSeconds:
          c.timeOnTaskSeconds ===
          timeOnTaskSeconds(
            attempt.startedAt,
            attempt.steps.map((s) => s.createdAt),
          ),
        score: c.score,
        passed: c.passed,
        creditHours: c.creditHours,
        attemptNumber: c.attemptNumber,
        creditKey: c.creditKey === `${attempt.userId}:${SLUG}`,
        certificate: {
          code: /^[a-km-z2-9]{26}$/.test(c.certificate!.code),
          issuedAt: c.certificate!.issuedAt.getTime() === c.completedAt.getTime(),
          revokedAt: c.certificate!.revokedAt,
        },
        mail: r.mail.map((m) => ({
          kind: m.kind,
          to: m.to === attempt.user.email,
          locale: m.locale,
          regulator: m.regulator,
          createdAt: m.createdAt.getTime() === c.completedAt.getTime(),
          status: m.status,
          params: m.params,
          attempts: m.attempts,
          claimToken: m.claimToken,
          sent: m.sentAt !== null && m.sentAt >= m.createdAt,
        })),
      };
    };
    expect(completionFields(seeded)).toEqual(completionFields(played));

    // The player and debrief read it as a completed attempt with its credit and certificate...
    const loaded = await getAttemptForUser(seededAttempt.id, seededAttempt.userId);
    expect(loaded).toMatchObject({ status: "completed", score: played.attempt.score, passed: true });
    expect(loaded!.completion).toMatchObject({ creditHours: 0.5, certificate: { code: expect.any(String) } });
    expect(loaded!.steps.map((s) => s.nodeId)).toEqual(passing.map((s) => s.nodeId));
    // ...that takes no more steps, and counts towards the learner's attempts.
    expect(await advanceAttempt(seededAttempt.id, seededAttempt.userId, { from: "end-maintained" })).toEqual({
      ok: false,
      code: "stale",
    });
    const next = await startAttempt(seededAttempt.userId, SLUG);
    expect(next.ok && (await getDb().attempt.findUniqueOrThrow({ where: { id: next.value.attemptId } })).number).toBe(
      2,
    );

    // Stored the way Prisma stores them: dates as the same text, booleans as integers.
    if (sqlite) {
      const compare = (table: string, column: string, a: string, b: string) =>
        expect(storageTypes(table, column, a)).toEqual(storageTypes(table, column, b));
      compare("Attempt", "id", seeded.attempt.id, played.attempt.id);
      compare("AttemptStep", "attemptId", seeded.attempt.id, played.attempt.id);
      compare("Reflection", "attemptId", seeded.attempt.id, played.attempt.id);
      compare("Completion", "attemptId", seeded.attempt.id, played.attempt.id);
      compare("Certificate", "completionId", seeded.attempt.completion!.id, played.attempt.completion!.id);
      compare("MailMessage", "userId", seeded.attempt.userId, played.attempt.userId);
      compare("User", "id", seeded.attempt.userId, played.attempt.userId);
      const text = (sql: string, id: string) => (sqlite!.prepare(sql).pluck().get(id) as string).replace(/\d/g, "0");
      const startedAt = `SELECT "startedAt" FROM "Attempt" WHERE "id" = ?`;
      expect(text(startedAt, seeded.attempt.id)).toBe(text(startedAt, played.attempt.id));
    }
  });

  it("writes failed attempts without a completion, retried up to the case's maxAttempts", async () => {
    const version = await loadSeedVersion(getDb(), SLUG);
    const summary = await seedCompletedAttempts(sink, version, { attempts: 40, prefix: "fail", path: failing });
    expect(summary).toMatchObject({ attempts: 40, passed: 0, completions: 0, certificates: 0 });
    const attempts = await getDb().attempt.findMany({
      where: { user: { email: { startsWith: "scale-fail-" } } },
      include: { completion: true },
    });
    expect(attempts).toHaveLength(40);
    const replay = replayPath(version.caseFile, version.analysis, failing);
    for (const a of attempts) {
      expect(a).toMatchObject({ status: "completed", passed: false, currentNodeId: "end-blurred", completion: null });
      expect(replay.ok && replay.status === "completed" && replay.score?.score).toBe(a.score);
      expect(a.number).toBeLessThanOrEqual(version.caseFile.maxAttempts!);
    }
    expect(summary.learners).toBeLessThan(40); // some learners tried again
  });

  it("scores random paths as completeAttempt does and credits each learner once", async () => {
    const version = await loadSeedVersion(getDb(), SLUG);
    const summary = await seedCompletedAttempts(sink, version, { attempts: 300, prefix: "mix", batch: 37 });
    expect(summary.attempts).toBe(300);
    expect(summary.paths).toBeGreaterThan(5);
    expect(summary.passed).toBeGreaterThan(0);
    expect(summary.passed).toBeLessThan(300);
    const attempts = await getDb().attempt.findMany({
      where: { user: { email: { startsWith: "scale-mix-" } } },
      include: { steps: { orderBy: { seq: "asc" } }, completion: true },
      orderBy: [{ userId: "asc" }, { number: "asc" }],
    });
    expect(attempts).toHaveLength(300);
    const credited = new Set<string>();
    let previous: (typeof attempts)[number] | undefined;
    for (const a of attempts) {
      const replay = replayPath(version.caseFile, version.analysis, a.steps);
      expect(replay.ok && replay.status === "completed" ? replay.score : null).toMatchObject({
        total: a.total,
        score: a.score,
        passed: a.passed,
      });
      expect(a.completion !== null).toBe(a.passed);
      if (a.completion) {
        expect(a.completion.creditHours).toBe(credited.has(a.userId) ? 0 : version.caseFile.credit.hours);
        credited.add(a.userId);
      }
      // One attempt after another, each started after the one before it ended.
      if (previous?.userId === a.userId) {
        expect(a.number).toBe(previous.number + 1);
        expect(a.startedAt.getTime()).toBeGreaterThan(previous.completedAt!.getTime());
      } else expect(a.number).toBe(1);
      previous = a;
    }
    expect(
      await getDb().certificate.count({ where: { completion: { caseSlug: SLUG, creditKey: { not: null } } } }),
    ).toBe(await getDb().completion.count({ where: { creditKey: { not: null } } }));
  });
});
