// advanceAttempt against a real migrated database (SQLite, or PostgreSQL in npm run test:pg): the
// step write (hand-written statements, ADR 009 and ADR 017) and the final step (Prisma, with the
// completion). Rows are read through Prisma, so the same checks hold on both engines; the SQLite
// file's own date format is checked in app/utils/sqlite-write.test.ts.
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadContent } from "~/utils/case-files.server";
import { getDb } from "~/utils/db.server";
import { insertUser, setupModelDb } from "../../tests/support/model-db";
import { advanceAttempt, startAttempt } from "./attempt.server";
import { publishContent } from "./content.server";

setupModelDb();
const fixtures = path.resolve("tests/fixtures/valid");

beforeAll(async () => {
  await publishContent(getDb(), loadContent([fixtures], { fallbackCatalogDir: path.join(fixtures, "standards") }));
});

const steps = async (attemptId: string) =>
  (
    await getDb().attemptStep.findMany({
      where: { attemptId },
      orderBy: { seq: "asc" },
      select: { seq: true, nodeId: true, choiceId: true, createdAt: true },
    })
  ).map((s) => ({ ...s, createdAt: s.createdAt.toISOString() }));
const current = (attemptId: string) =>
  getDb().attempt.findUnique({ where: { id: attemptId }, select: { currentNodeId: true, status: true } });
const reflections = (attemptId: string) =>
  getDb().reflection.findMany({ where: { attemptId }, select: { nodeId: true, text: true } });

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
    expect(await steps(attemptId)).toEqual([
      { seq: 0, nodeId: "context", choiceId: null, createdAt: "2026-11-23T07:00:00.005Z" },
      { seq: 1, nodeId: "q1", choiceId: "decline", createdAt: "2026-11-23T07:00:00.005Z" },
    ]);
    expect(await current(attemptId)).toEqual({ currentNodeId: "q2", status: "in_progress" });
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
    expect((await steps(attemptId)).map((s) => [s.nodeId, s.choiceId])).toEqual([
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
    expect((await steps(attemptId)).filter((s) => s.nodeId === "q1")).toHaveLength(1);
    expect(await current(attemptId)).toEqual({ currentNodeId: "q2", status: "in_progress" });
  });

  it("never moves another learner's attempt", async () => {
    const { attemptId } = await newAttempt("owner@example.org");
    const intruder = await insertUser("intruder@example.org");
    expect(await advanceAttempt(attemptId, intruder.id, { from: "context" })).toEqual({ ok: false, code: "not-found" });
    expect(await steps(attemptId)).toEqual([]);
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
    expect((await steps(attemptId)).map((s) => s.nodeId)).toEqual(["context", "q1", "q2"]);
    expect(await reflections(attemptId)).toEqual([]);
    // Lines, tabs, accents and emoji are what people write: kept as written, up to the limit.
    const written = `Première ligne\n\tdeuxième — 🙂\r\n${"x".repeat(9_950)}`;
    expect(await refused(written)).toMatchObject({ ok: true });
    expect(await reflections(attemptId)).toEqual([{ nodeId: "reflect", text: written }]);
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
    expect(await reflections(attemptId)).toEqual([{ nodeId: "reflect", text: "Kept it professional." }]);
    expect(await current(attemptId)).toEqual({ currentNodeId: "end-good", status: "completed" });
    expect(await getDb().completion.count({ where: { attemptId } })).toBe(1);
    expect(await advanceAttempt(attemptId, userId, { from: "reflect", reflection: "again" })).toEqual({
      ok: false,
      code: "stale",
    });
  });
});

describe("startAttempt", () => {
  /** Plays the mini case to a failing end (context, decline, ignore). */
  async function finish(attemptId: string, userId: string) {
    await advanceAttempt(attemptId, userId, { from: "context" });
    await advanceAttempt(attemptId, userId, { from: "q1", choiceId: "decline" });
    expect(await advanceAttempt(attemptId, userId, { from: "q2", choiceId: "ignore" })).toEqual({
      ok: true,
      value: { completed: true },
    });
  }
  const numbers = async (userId: string) =>
    (await getDb().attempt.findMany({ where: { userId }, orderBy: { number: "asc" }, select: { number: true } })).map(
      (a) => a.number,
    );

  it("answers several simultaneous starts with one attempt, numbered without gaps, then the limit", async () => {
    // A double-click, or a learner's two tabs: on PostgreSQL each start runs on its own connection,
    // in parallel. Every one is answered; one opens the attempt, the others resume it.
    const user = await insertUser("double-start@example.org");
    for (const expected of [[1], [1, 2]]) {
      const results = await Promise.all(Array.from({ length: 6 }, () => startAttempt(user.id, "mini-case")));
      const values = results.map((r) => (r.ok ? r.value : r.code));
      expect(new Set(values.map((v) => (typeof v === "string" ? v : v.attemptId))).size).toBe(1);
      expect(values.filter((v) => typeof v !== "string" && !v.resumed)).toHaveLength(1);
      expect(await numbers(user.id)).toEqual(expected);
      await finish((values[0] as { attemptId: string }).attemptId, user.id);
    }
    // mini-case allows two attempts: every further start is refused, none fails.
    const refused = await Promise.all(Array.from({ length: 6 }, () => startAttempt(user.id, "mini-case")));
    expect(refused).toEqual(Array.from({ length: 6 }, () => ({ ok: false, code: "no-attempts-left", maxAttempts: 2 })));
    expect(await numbers(user.id)).toEqual([1, 2]);
  });
});
