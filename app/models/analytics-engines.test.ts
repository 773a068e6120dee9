// The analytics statements on the engine of this run (SQLite in `npm test`, PostgreSQL in
// `npm run test:pg`): a few attempts written with Prisma, whose figures are worked out by hand.
// analytics.test.ts checks the arithmetic at length, on SQLite.
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadContent } from "~/utils/case-files.server";
import { getDb } from "~/utils/db.server";
import { databaseEngine, getEnv } from "~/utils/env.server";
import { ALL_REGULATORS } from "~/utils/roles";
import { insertUser, setupModelDb } from "../../tests/support/model-db";
import { catchUpAnalytics } from "./analytics-tally.server";
import { listVersionsForAnalytics, versionAnalytics } from "./analytics.server";
import { MAX_STEP_GAP_SECONDS } from "./attempt.server";
import { publishContent } from "./content.server";

setupModelDb();
const fixtures = path.resolve("tests/fixtures/valid");
const start = new Date(Date.UTC(2026, 10, 23, 9, 0, 0));
let versionId: number;
let learner = 0;

/** A learner's attempt through `steps` ([node, choice, seconds since the previous step]). */
async function attempt(steps: Array<[string, string | null, number]>, end?: { node: string; score: number }) {
  const user = await insertUser(`analytics-${++learner}@example.org`);
  const version = await getDb().caseVersion.findUniqueOrThrow({ where: { id: versionId } });
  let at = start.getTime();
  const rows = steps.map(([nodeId, choiceId, seconds], seq) => ({
    seq,
    nodeId,
    choiceId,
    createdAt: new Date((at += seconds * 1000)),
  }));
  await getDb().attempt.create({
    data: {
      userId: user.id,
      caseId: version.caseId,
      caseVersionId: versionId,
      number: 1,
      currentNodeId: end?.node ?? "q2",
      status: end ? "completed" : "in_progress",
      startedAt: start,
      completedAt: end ? new Date(at) : null,
      score: end?.score ?? null,
      passed: end ? end.score >= 0.7 : null,
      steps: { create: rows },
    },
  });
}

beforeAll(async () => {
  await publishContent(getDb(), loadContent([fixtures], { fallbackCatalogDir: path.join(fixtures, "standards") }));
  versionId = (await getDb().caseVersion.findFirstOrThrow({ where: { case: { slug: "mini-case" } } })).id;
  // Passes in 4 minutes.
  await attempt(
    [
      ["context", null, 60],
      ["q1", "decline", 60],
      ["q2", "explain", 60],
      ["reflect", null, 60],
    ],
    { node: "end-good", score: 1 },
  );
  // Fails in 4.5 minutes.
  await attempt(
    [
      ["context", null, 90],
      ["q1", "accept", 90],
      ["q2", "ignore", 90],
    ],
    { node: "end-poor", score: 0 },
  );
  // Passes, with a two-hour gap before the last step that counts as MAX_STEP_GAP_SECONDS.
  await attempt(
    [
      ["context", null, 30],
      ["q1", "decline", 30],
      ["q2", "explain", 30],
      ["reflect", null, 7200],
    ],
    { node: "end-good", score: 1 },
  );
  // Still playing.
  await attempt([
    ["context", null, 10],
    ["q1", "decline", 10],
  ]);
});

describe("analytics statements", () => {
  it("count the funnel, the choices, the paths and the time on task", async () => {
    const report = (await versionAnalytics(versionId, {}, { minLearners: 1 }))!;
    expect(report.funnel).toMatchObject({
      started: 4,
      completed: 3,
      passed: 2,
      meanScore: 2 / 3,
      // 240, 270 and 90 + MAX_STEP_GAP_SECONDS (the gap is capped).
      medianSeconds: Math.min(270, 90 + MAX_STEP_GAP_SECONDS),
    });
    const q1 = report.decisions.find((d) => d.nodeId === "q1")!;
    expect(Object.fromEntries(q1.choices.map((c) => [c.choiceId, c.count]))).toEqual({ decline: 3, accept: 1 });
    // Two distinct completed paths; the standards are scored over all three completed attempts.
    expect(report.standards.scored).toBe(3);
    expect(report.firstAttempts.scored).toBe(3);
  });

  it("filter by date range with bound parameters", async () => {
    const none = (await versionAnalytics(versionId, { from: new Date(start.getTime() + 1) }, { minLearners: 1 }))!;
    expect(none.suppressed).toBe(true);
    const all = (await versionAnalytics(versionId, { from: start, to: start }, { minLearners: 1 }))!;
    expect(all.funnel.started).toBe(4);
  });

  it("list every version with its counts", async () => {
    // A fifth learner: SMALL_GROUP_MIN_LEARNERS may see the counts.
    await attempt([["context", null, 10]]);
    const versions = await listVersionsForAnalytics(ALL_REGULATORS);
    expect(versions.find((v) => v.id === versionId)).toMatchObject({ started: 5 });
  });

  it("have PostgreSQL take the attempt tables' statistics again after a large catch-up, and SQLite none", async () => {
    await attempt([
      ["context", null, 10],
      ["q1", "accept", 10],
    ]);
    // Enough rows counted (a bound of 1 here, 10,000 in the server): ANALYZE once it is done.
    await catchUpAnalytics({ analyzeAfter: 1 });
    if (databaseEngine(getEnv().DATABASE_URL) === "postgresql") {
      const [steps] = await getDb().$queryRaw<Array<{ reltuples: number; rows: bigint }>>`
        SELECT c.reltuples::float8 AS "reltuples", (SELECT COUNT(*) FROM "AttemptStep") AS "rows"
        FROM pg_class c WHERE c.relname = 'AttemptStep'`;
      // A table this small is read whole: the planner's row count is exact.
      expect(steps!.reltuples).toBe(Number(steps!.rows));
      // The joint statistics of the pending-attempt probe (its migration) are there to plan with.
      const joint = await getDb().$queryRaw<Array<{ name: string }>>`
        SELECT statistics_name AS "name" FROM pg_stats_ext
        WHERE statistics_name = 'Attempt_analyticsCounted_status_stx' AND most_common_vals IS NOT NULL`;
      expect(joint).toHaveLength(1);
    } else {
      const stat = await getDb().$queryRaw<Array<{ name: string }>>`
        SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'`;
      expect(stat).toEqual([]);
    }
  });
});
