// advanceAttempt against a real migrated SQLite file: the step write (prepared statements under
// Prisma's lock, ADR 009) and the final step (Prisma, with the completion).
import path from "node:path";
import Database from "better-sqlite3";
import { beforeAll, describe, expect, it } from "vitest";
import { loadContent } from "~/utils/case-files.server";
import { getDb } from "~/utils/db.server";
import { insertUser, setupModelDb } from "../../tests/support/model-db";
import { advanceAttempt, startAttempt } from "./attempt.server";
import { publishContent } from "./content.server";

const database = setupModelDb();
const fixtures = path.resolve("tests/fixtures/valid");

beforeAll(async () => {
  await publishContent(getDb(), loadContent([fixtures], { fallbackCatalogDir: path.join(fixtures, "standards") }));
});

function rows(sql: string, ...params: unknown[]) {
  const db = new Database(database.file, { readonly: true });
  try {
    return db.prepare(sql).all(...params) as Record<string, unknown>[];
  } finally {
    db.close();
  }
}
const steps = (attemptId: string) =>
  rows(
    `SELECT "seq", "nodeId", "choiceId", "createdAt" FROM "AttemptStep" WHERE "attemptId" = ? ORDER BY "seq"`,
    attemptId,
  );
const current = (attemptId: string) =>
  rows(`SELECT "currentNodeId", "status" FROM "Attempt" WHERE "id" = ?`, attemptId)[0];

async function newAttempt(email: string) {
  const user = await insertUser(email);
  const started = await startAttempt(user.id, "mini-case");
  if (!started.ok) throw new Error("could not start");
  return { userId: user.id, attemptId: started.value.attemptId };
}

describe("advanceAttempt", () => {
  it("records each step once, in order, with Prisma's date format, and moves the attempt on", async () => {
    const { userId, attemptId } = await newAttempt("steps@example.org");
    const when = new Date(Date.UTC(2026, 10, 23, 7, 0, 0, 5));
    expect(await advanceAttempt(attemptId, userId, { from: "context" }, when)).toEqual({
      ok: true,
      value: { completed: false },
    });
    expect(await advanceAttempt(attemptId, userId, { from: "q1", choiceId: "decline" }, when)).toEqual({
      ok: true,
      value: { completed: false },
    });
    expect(steps(attemptId)).toEqual([
      { seq: 0, nodeId: "context", choiceId: null, createdAt: "2026-11-23T07:00:00.005+00:00" },
      { seq: 1, nodeId: "q1", choiceId: "decline", createdAt: "2026-11-23T07:00:00.005+00:00" },
    ]);
    expect(current(attemptId)).toEqual({ currentNodeId: "q2", status: "in_progress" });
    // Prisma reads what the fast path wrote.
    const viaPrisma = await getDb().attemptStep.findMany({ where: { attemptId }, orderBy: { seq: "asc" } });
    expect(viaPrisma.map((s) => s.createdAt.toISOString())).toEqual([
      "2026-11-23T07:00:00.005Z",
      "2026-11-23T07:00:00.005Z",
    ]);
  });

  it("answers a replayed or double-submitted step as stale and records nothing more", async () => {
    const { userId, attemptId } = await newAttempt("replay@example.org");
    await advanceAttempt(attemptId, userId, { from: "context" });
    expect(await advanceAttempt(attemptId, userId, { from: "context" })).toEqual({ ok: false, code: "stale" });
    await advanceAttempt(attemptId, userId, { from: "q1", choiceId: "accept" });
    expect(await advanceAttempt(attemptId, userId, { from: "q1", choiceId: "decline" })).toEqual({
      ok: false,
      code: "stale",
    });
    expect(steps(attemptId).map((s) => [s.nodeId, s.choiceId])).toEqual([
      ["context", null],
      ["q1", "accept"],
    ]);
  });

  it("lets exactly one of several concurrent POSTs from the same node through", async () => {
    const { userId, attemptId } = await newAttempt("race@example.org");
    await advanceAttempt(attemptId, userId, { from: "context" });
    const results = await Promise.all(
      ["decline", "accept", "decline", "accept", "decline"].map((choiceId) =>
        advanceAttempt(attemptId, userId, { from: "q1", choiceId }),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.code === "stale")).toHaveLength(4);
    expect(steps(attemptId).filter((s) => s.nodeId === "q1")).toHaveLength(1);
    expect(current(attemptId)).toEqual({ currentNodeId: "q2", status: "in_progress" });
  });

  it("never moves another learner's attempt", async () => {
    const { attemptId } = await newAttempt("owner@example.org");
    const intruder = await insertUser("intruder@example.org");
    expect(await advanceAttempt(attemptId, intruder.id, { from: "context" })).toEqual({ ok: false, code: "not-found" });
    expect(steps(attemptId)).toEqual([]);
  });

  it("refuses an over-long reflection or one with control or direction characters, recording nothing", async () => {
    const { userId, attemptId } = await newAttempt("long-reflection@example.org");
    await advanceAttempt(attemptId, userId, { from: "context" });
    await advanceAttempt(attemptId, userId, { from: "q1", choiceId: "decline" });
    await advanceAttempt(attemptId, userId, { from: "q2", choiceId: "explain" });
    const refused = (reflection: string) => advanceAttempt(attemptId, userId, { from: "reflect", reflection });
    expect(await refused("a".repeat(10_001))).toEqual({
      ok: false,
      code: "invalid",
      field: "reflection",
      message: "play.reflectionTooLong",
    });
    for (const unsafe of ["Fine\u202Eenil", "beep\u0007", "nul\u0000", "isolate\u2066x"]) {
      expect(await refused(unsafe), JSON.stringify(unsafe)).toMatchObject({ message: "play.reflectionUnsafe" });
    }
    expect(steps(attemptId).map((s) => s.nodeId)).toEqual(["context", "q1", "q2"]);
    expect(rows(`SELECT * FROM "Reflection" WHERE "attemptId" = ?`, attemptId)).toEqual([]);
    // Lines, tabs, accents and emoji are what people write: kept as written, up to the limit.
    const written = `Première ligne\n\tdeuxième — 🙂\r\n${"x".repeat(9_950)}`;
    expect(await refused(written)).toMatchObject({ ok: true });
    expect(rows(`SELECT "text" FROM "Reflection" WHERE "attemptId" = ?`, attemptId)).toEqual([{ text: written }]);
  });

  it("stores a reflection with its step, then completes the attempt on the last step", async () => {
    const { userId, attemptId } = await newAttempt("reflect@example.org");
    await advanceAttempt(attemptId, userId, { from: "context" });
    await advanceAttempt(attemptId, userId, { from: "q1", choiceId: "decline" });
    await advanceAttempt(attemptId, userId, { from: "q2", choiceId: "explain" });
    expect(await advanceAttempt(attemptId, userId, { from: "reflect", reflection: "   " })).toMatchObject({
      ok: false,
      code: "invalid",
      field: "reflection",
    });
    expect(
      await advanceAttempt(attemptId, userId, { from: "reflect", reflection: "  Kept it professional.  " }),
    ).toEqual({ ok: true, value: { completed: true } });
    expect(rows(`SELECT "nodeId", "text" FROM "Reflection" WHERE "attemptId" = ?`, attemptId)).toEqual([
      { nodeId: "reflect", text: "Kept it professional." },
    ]);
    expect(current(attemptId)).toEqual({ currentNodeId: "end-good", status: "completed" });
    expect(rows(`SELECT COUNT(*) AS n FROM "Completion" WHERE "attemptId" = ?`, attemptId)).toEqual([{ n: 1 }]);
    expect(await advanceAttempt(attemptId, userId, { from: "reflect", reflection: "again" })).toEqual({
      ok: false,
      code: "stale",
    });
  });
});
