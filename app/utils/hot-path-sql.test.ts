// Each hand-written statement of the hot path, on the engine of this run: SQLite in `npm test`,
// PostgreSQL in `npm run test:pg`. What Prisma wrote, these read back the same; what these write,
// Prisma reads back the same.
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { publishContent } from "~/models/content.server";
import { loadContent } from "~/utils/case-files.server";
import { insertUser, setupModelDb } from "../../tests/support/model-db";
import { getDb } from "./db.server";
import { hotPathSql, numberedPlaceholders } from "./hot-path-sql.server";

setupModelDb();
const fixtures = path.resolve("tests/fixtures/valid");
let caseVersionId: number;
let caseId: number;

beforeAll(async () => {
  await publishContent(getDb(), loadContent([fixtures], { fallbackCatalogDir: path.join(fixtures, "standards") }));
  const version = await getDb().caseVersion.findFirstOrThrow({ where: { case: { slug: "mini-case" } } });
  caseVersionId = version.id;
  caseId = version.caseId;
});

const at = new Date(Date.UTC(2026, 10, 23, 6, 27, 43, 254));
let attempts = 0;

/** An attempt on mini-case at `node`, made with Prisma. */
async function attemptAt(node: string, status = "in_progress") {
  const user = await insertUser(`hot-${++attempts}@example.org`);
  const attempt = await getDb().attempt.create({
    data: { userId: user.id, caseId, caseVersionId, number: 1, currentNodeId: node, status, startedAt: at },
  });
  return { userId: user.id, attemptId: attempt.id };
}

describe("hotPathSql", () => {
  it("session: the session, its user and their grants, with the dates Prisma wrote", async () => {
    const user = await insertUser("hot-session@example.org", ["learner", "author"]);
    await getDb().session.create({
      data: { id: "s-hot", userId: user.id, csrfToken: "t", expiresAt: at, lastSeenAt: new Date(at.getTime() - 5) },
    });
    const row = await hotPathSql().session("s-hot");
    expect({ ...row, grants: row?.grants?.split(",").sort() }).toEqual({
      id: "s-hot",
      csrfToken: "t",
      expiresAt: at,
      lastSeenAt: new Date(at.getTime() - 5),
      userId: user.id,
      email: "hot-session@example.org",
      name: "hot-session",
      registrationNumber: "R-1",
      regulator: "coto",
      locale: "en",
      grants: ["author@*", "learner@*"],
    });
    expect(await hotPathSql().session("s-none")).toBeUndefined();
  });

  it("attempt: the owner's attempt decoded as Prisma reads it; nobody else's", async () => {
    const { userId, attemptId } = await attemptAt("q1");
    await getDb().attempt.update({ where: { id: attemptId }, data: { score: 0.75, passed: true, total: 3 } });
    const viaPrisma = await getDb().attempt.findUniqueOrThrow({ where: { id: attemptId } });
    // Every column the player reads; the analytics tally's flag is the catch-up's alone (ADR 026).
    const { caseId: _caseId, analyticsCounted: _counted, ...expected } = viaPrisma;
    expect(await hotPathSql().attempt(attemptId, userId)).toEqual(expected);
    expect(await hotPathSql().attempt(attemptId, "someone-else")).toBeUndefined();
  });

  it("steps and reflections: in order, with the dates Prisma wrote", async () => {
    const { attemptId } = await attemptAt("q2");
    await getDb().attemptStep.create({
      data: { attemptId, seq: 1, nodeId: "q1", choiceId: "decline", createdAt: new Date(at.getTime() + 1) },
    });
    await getDb().attemptStep.create({ data: { attemptId, seq: 0, nodeId: "context", choiceId: null, createdAt: at } });
    await getDb().reflection.create({ data: { attemptId, nodeId: "q1", text: "Because.", createdAt: at } });
    expect(await hotPathSql().steps(attemptId)).toEqual([
      { seq: 0, nodeId: "context", choiceId: null, createdAt: at },
      { seq: 1, nodeId: "q1", choiceId: "decline", createdAt: new Date(at.getTime() + 1) },
    ]);
    expect(await hotPathSql().reflections(attemptId)).toEqual([{ nodeId: "q1", text: "Because.", createdAt: at }]);
  });

  it("completion: with its certificate's code and revocation, or none", async () => {
    const { userId, attemptId } = await attemptAt("end-good", "completed");
    expect(await hotPathSql().completion(attemptId)).toBeUndefined();
    const completion = await getDb().completion.create({
      data: {
        attemptId,
        userId,
        learnerName: "L",
        registrationNumber: "R-1",
        regulator: "coto",
        caseSlug: "mini-case",
        caseVersion: 1,
        caseVersionId,
        caseTitle: "Mini",
        locale: "en",
        startedAt: at,
        completedAt: at,
        timeOnTaskSeconds: 60,
        score: 1,
        passed: true,
        creditHours: 1.5,
        attemptNumber: 1,
      },
    });
    expect(await hotPathSql().completion(attemptId)).toEqual({
      id: completion.id,
      creditHours: 1.5,
      completedAt: at,
      code: null,
      revokedAt: null,
    });
    await getDb().certificate.create({ data: { completionId: completion.id, code: "HOT-1", revokedAt: at } });
    expect(await hotPathSql().completion(attemptId)).toMatchObject({ code: "HOT-1", revokedAt: at });
  });

  it("position: the node, the status and the step count as a number", async () => {
    const { userId, attemptId } = await attemptAt("q1");
    await getDb().attemptStep.create({ data: { attemptId, seq: 0, nodeId: "context", createdAt: at } });
    expect(await hotPathSql().position(attemptId, userId)).toEqual({
      caseVersionId,
      status: "in_progress",
      currentNodeId: "q1",
      steps: 1,
    });
    expect(await hotPathSql().position(attemptId, "someone-else")).toBeUndefined();
  });

  it("recordStep: moves the attempt and writes the step and reflection, which Prisma reads back", async () => {
    const { userId, attemptId } = await attemptAt("q1");
    const step = { attemptId, userId, from: "q1", to: "q2", seq: 0, choiceId: "decline", at };
    expect(await hotPathSql().recordStep({ ...step, reflection: "Why." })).toBe("recorded");
    const db = getDb();
    expect((await db.attempt.findUniqueOrThrow({ where: { id: attemptId } })).currentNodeId).toBe("q2");
    expect(
      await db.attemptStep.findMany({ where: { attemptId }, select: { seq: true, nodeId: true, createdAt: true } }),
    ).toEqual([{ seq: 0, nodeId: "q1", createdAt: at }]);
    expect(await db.reflection.findMany({ where: { attemptId }, select: { text: true, createdAt: true } })).toEqual([
      { text: "Why.", createdAt: at },
    ]);
  });

  it("recordStep: a replay, another user's attempt or a step already there is stale, and writes nothing", async () => {
    const { userId, attemptId } = await attemptAt("q1");
    const step = { attemptId, userId, from: "q1", to: "q2", seq: 0, choiceId: "decline", at };
    expect(await hotPathSql().recordStep(step)).toBe("recorded");
    expect(await hotPathSql().recordStep(step)).toBe("stale");
    expect(await hotPathSql().recordStep({ ...step, from: "q2", to: "q3", userId: "someone-else", seq: 1 })).toBe(
      "stale",
    );
    // The attempt is at q2, but a step for q2 exists already (the seq is taken): nothing moves.
    await getDb().attemptStep.create({ data: { attemptId, seq: 1, nodeId: "q2", createdAt: at } });
    expect(await hotPathSql().recordStep({ ...step, from: "q2", to: "q3", seq: 1 })).toBe("stale");
    expect((await getDb().attempt.findUniqueOrThrow({ where: { id: attemptId } })).currentNodeId).toBe("q2");
    expect(await getDb().attemptStep.count({ where: { attemptId } })).toBe(2);
  });

  it("recordStep: of two concurrent POSTs from the same node, one is recorded", async () => {
    const { userId, attemptId } = await attemptAt("q1");
    const step = { attemptId, userId, from: "q1", to: "q2", seq: 0, choiceId: "decline", at };
    const results = await Promise.all([hotPathSql().recordStep(step), hotPathSql().recordStep(step)]);
    expect(results.sort()).toEqual(["recorded", "stale"]);
    expect(await getDb().attemptStep.count({ where: { attemptId } })).toBe(1);
  });
});

describe("numberedPlaceholders", () => {
  it("numbers each ? in order for PostgreSQL", () => {
    expect(numberedPlaceholders(`SELECT 1 WHERE "a" = ? AND "b" = ?`)).toBe(`SELECT 1 WHERE "a" = $1 AND "b" = $2`);
  });
});
