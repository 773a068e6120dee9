// Analytics kept as attempts advance (docs/decisions/026-analytics-tally.md). Each case version's
// unfiltered figures live in the Analytics* tables; `catchUpAnalytics` counts what the attempt rows
// hold that is not counted yet (Attempt.analyticsCounted, AttemptStep.counted), in short batches,
// each one transaction that also sets the flags, so nothing is counted twice or lost whatever
// crashes. Attempts and steps only ever grow (a step is never changed, an attempt only completes),
// so a flag set stays true; closing an account or purging records takes a learner's contribution
// back first (`forgetLearners`). The learner's hot path is untouched: it writes no more than before.
//
// One catch-up at a time, across instances: each batch starts by updating the AnalyticsRefresh row,
// which PostgreSQL locks until the batch commits (SQLite has one writer anyway).
import {
  choiceKey,
  emptyDelta,
  FUNNEL_FIELDS,
  negateDelta,
  tallyLearner,
  type ChoiceRef,
  type CountedCompletion,
  type LearnerEvents,
  type LearnerTally,
  type VersionDelta,
} from "~/engine/analytics-tally";
import { Prisma } from "~/generated/prisma/client";
import { getDb, type Db } from "~/utils/db.server";
import { databaseEngine, getEnv } from "~/utils/env.server";
import { logger } from "~/utils/log.server";
import { MAX_STEP_GAP_SECONDS } from "./attempt.server";

type Tx = Prisma.TransactionClient;

/** Attempts and steps per batch: a batch holds the write lock for a few milliseconds. */
export const ATTEMPT_BATCH = 100;
export const STEP_BATCH = 800;
/** A batch's transaction: its own work takes milliseconds, its pauses whatever the load makes them. */
const BATCH_TRANSACTION = { timeout: 30_000 };

type StepTime = { seq: number; nodeId: string; choiceId: string | null; createdAt: Date };

/** Time on task in whole seconds, as the analytics query measured it: capped gaps summed in ms. */
export function attemptSeconds(startedAt: Date, steps: readonly StepTime[]): number {
  let ms = 0;
  let previous = startedAt.getTime();
  for (const s of [...steps].sort((a, b) => a.seq - b.seq)) {
    const t = s.createdAt.getTime();
    ms += Math.min(MAX_STEP_GAP_SECONDS * 1000, Math.max(0, t - previous));
    previous = t;
  }
  return Math.round(ms / 1000);
}

function completionOf(
  attempt: { number: number; passed: boolean | null; score: number | null; startedAt: Date },
  steps: readonly StepTime[],
): CountedCompletion {
  const ordered = [...steps].sort((a, b) => a.seq - b.seq);
  return {
    number: attempt.number,
    path: ordered.flatMap((s) => (s.choiceId === null ? [] : [{ nodeId: s.nodeId, choiceId: s.choiceId }])),
    passed: attempt.passed === true,
    score: attempt.score,
    seconds: attemptSeconds(attempt.startedAt, ordered),
  };
}

type Events = { starts: number; completions: CountedCompletion[]; choices: ChoiceRef[] };
/** Events by version, then by learner. */
type EventsByVersion = Map<number, Map<string, Events>>;

function eventsFor(all: EventsByVersion, versionId: number, userId: string): Events {
  let byUser = all.get(versionId);
  if (!byUser) all.set(versionId, (byUser = new Map()));
  let events = byUser.get(userId);
  if (!events) byUser.set(userId, (events = { starts: 0, completions: [], choices: [] }));
  return events;
}

/**
 * Lets the event loop run between the statements of a batch once it has had the thread for a
 * slice. Prisma on better-sqlite3 answers synchronously, so a batch's dozens of statements (each
 * compiled by Prisma first) would otherwise run as one task: up to 400 ms at a time without a
 * learner's request being read, measured on the server at 20,000 attempts. A pause only when the
 * slice is used up keeps the transaction about as short as its own work: other Prisma queries
 * still wait for it to end.
 */
const SLICE_MS = 10;
let sliceStart = performance.now();
async function breathe(): Promise<void> {
  if (performance.now() - sliceStart < SLICE_MS) return;
  await new Promise<void>((resolve) => setImmediate(resolve));
  sliceStart = performance.now();
}

/** Takes the lock that serializes catching up (and forgetting) across instances. */
async function lock(tx: Tx) {
  await tx.analyticsRefresh.update({ where: { id: 1 }, data: { runs: { increment: 1 }, refreshedAt: new Date() } });
}

/** Counts `events` against what was counted before for those learners, and writes the result. */
async function count(tx: Tx, all: EventsByVersion, sign: 1 | -1 = 1) {
  for (const [versionId, byUser] of all) {
    const users = [...byUser.keys()];
    const [tallies, seenRows] =
      sign === 1
        ? await Promise.all([
            tx.analyticsLearner.findMany({ where: { caseVersionId: versionId, userId: { in: users } } }),
            tx.analyticsLearnerChoice.findMany({ where: { caseVersionId: versionId, userId: { in: users } } }),
          ])
        : [[], []];
    await breathe();
    const tallyOf = new Map(tallies.map((t) => [t.userId, t as LearnerTally]));
    const seenOf = new Map<string, Map<string, boolean>>();
    for (const r of seenRows) {
      let seen = seenOf.get(r.userId);
      if (!seen) seenOf.set(r.userId, (seen = new Map()));
      seen.set(choiceKey(r.nodeId, r.choiceId), r.completed);
    }
    const delta = emptyDelta();
    const learnerRows: Array<{ userId: string; tally: LearnerTally }> = [];
    // New choice rows and rows now seen in a completed attempt: one upsert writes both.
    const choiceRows: Array<{ userId: string } & ChoiceRef & { completed: boolean }> = [];
    for (const [userId, events] of byUser) {
      const seen = seenOf.get(userId) ?? new Map<string, boolean>();
      const result = tallyLearner(tallyOf.get(userId) ?? null, seen, events satisfies LearnerEvents, delta);
      learnerRows.push({ userId, tally: result.tally });
      for (const row of result.choiceRows) choiceRows.push({ userId, ...row });
    }
    if (sign === 1) {
      await writeLearners(tx, versionId, learnerRows);
      await breathe();
      await writeLearnerChoices(tx, versionId, choiceRows);
      await breathe();
      await writeDelta(tx, versionId, delta);
    } else {
      await writeDelta(tx, versionId, negateDelta(delta));
    }
  }
}

// Multi-row upserts, written once for both engines (INSERT … ON CONFLICT … DO UPDATE is the same in
// SQLite and PostgreSQL): a batch writes each table in one statement per 400 rows.
type Cell = string | number | boolean | null;

async function upsert(
  tx: Tx,
  table: string,
  keys: readonly string[],
  columns: readonly string[],
  rows: ReadonlyArray<readonly Cell[]>,
  mode: "add" | "set" | "or",
) {
  const q = (name: string) => `"${name}"`;
  const all = [...keys, ...columns];
  const set = columns
    .map((c) =>
      mode === "add"
        ? `${q(c)} = ${q(table)}.${q(c)} + excluded.${q(c)}`
        : mode === "or"
          ? `${q(c)} = ${q(table)}.${q(c)} OR excluded.${q(c)}`
          : `${q(c)} = excluded.${q(c)}`,
    )
    .join(", ");
  for (let i = 0; i < rows.length; i += 400) {
    const values = rows
      .slice(i, i + 400)
      .map((row) => Prisma.sql`(${Prisma.join(row.map((cell) => Prisma.sql`${cell}`))})`);
    await tx.$executeRaw`INSERT INTO ${Prisma.raw(q(table))} (${Prisma.raw(all.map(q).join(", "))})
      VALUES ${Prisma.join(values)}
      ON CONFLICT (${Prisma.raw(keys.map(q).join(", "))}) DO UPDATE SET ${Prisma.raw(set)}`;
    await breathe();
  }
}

async function writeLearners(tx: Tx, versionId: number, rows: Array<{ userId: string; tally: LearnerTally }>) {
  await upsert(
    tx,
    "AnalyticsLearner",
    ["caseVersionId", "userId"],
    ["started", "completed", "passed", "firstNumber", "firstPath"],
    rows.map(({ userId, tally: t }) => [
      versionId,
      userId,
      t.started,
      t.completed,
      t.passed,
      t.firstNumber,
      t.firstPath,
    ]),
    "set",
  );
}

// A row known before is written only when its choice is now seen in a completed attempt
// (completed false → true); an unknown one is inserted. "or": a row is never made uncompleted.
async function writeLearnerChoices(
  tx: Tx,
  versionId: number,
  rows: ReadonlyArray<{ userId: string } & ChoiceRef & { completed: boolean }>,
) {
  if (rows.length === 0) return;
  await upsert(
    tx,
    "AnalyticsLearnerChoice",
    ["caseVersionId", "userId", "nodeId", "choiceId"],
    ["completed"],
    rows.map((r) => [versionId, r.userId, r.nodeId, r.choiceId, r.completed]),
    "or",
  );
}

async function writeDelta(tx: Tx, versionId: number, delta: VersionDelta) {
  await upsert(
    tx,
    "AnalyticsVersion",
    ["caseVersionId"],
    FUNNEL_FIELDS,
    [[versionId, ...FUNNEL_FIELDS.map((f) => delta.funnel[f])]],
    "add",
  );
  const choices = [...delta.choices.values()].map((c) => [
    versionId,
    c.nodeId,
    c.choiceId,
    c.taken,
    c.learners,
    c.completedLearners,
  ]);
  if (choices.length > 0) {
    await upsert(
      tx,
      "AnalyticsChoice",
      ["caseVersionId", "nodeId", "choiceId"],
      ["taken", "learners", "completedLearners"],
      choices,
      "add",
    );
  }
  const nodes = [...delta.nodes].map(([nodeId, n]) => [versionId, nodeId, n]);
  if (nodes.length > 0) await upsert(tx, "AnalyticsNode", ["caseVersionId", "nodeId"], ["learners"], nodes, "add");
  const paths = [...delta.paths].map(([path, p]) => [versionId, path, p.attempts, p.firstAttempts]);
  if (paths.length > 0)
    await upsert(tx, "AnalyticsPath", ["caseVersionId", "path"], ["attempts", "firstAttempts"], paths, "add");
  const durations = [...delta.durations].map(([seconds, n]) => [versionId, seconds, n]);
  if (durations.length > 0)
    await upsert(tx, "AnalyticsDuration", ["caseVersionId", "seconds"], ["attempts"], durations, "add");
}

const PENDING_ATTEMPTS: Prisma.AttemptWhereInput = {
  OR: [{ analyticsCounted: 0 }, { analyticsCounted: 1, status: "completed" }],
};

/** Counts one batch; how many attempts and steps it counted (0 and 0: nothing was left). */
async function countBatch(db: Db): Promise<{ attempts: number; steps: number }> {
  // Nothing to do is the common case: found without a write (and so without the write lock).
  const [attempt, step] = await Promise.all([
    db.attempt.findFirst({ where: PENDING_ATTEMPTS, select: { id: true } }),
    db.attemptStep.findFirst({ where: { counted: false }, select: { id: true } }),
  ]);
  if (!attempt && !step) return { attempts: 0, steps: 0 };
  // The pauses make a batch's wall time depend on the load beside it: past Prisma's default 5 s
  // the batch would be rolled back and counted again by the next one, for nothing.
  return db.$transaction(async (tx) => {
    await lock(tx);
    await breathe();
    const [attempts, steps] = await Promise.all([
      tx.attempt.findMany({
        where: PENDING_ATTEMPTS,
        take: ATTEMPT_BATCH,
        select: {
          id: true,
          userId: true,
          caseVersionId: true,
          number: true,
          status: true,
          startedAt: true,
          score: true,
          passed: true,
          analyticsCounted: true,
        },
      }),
      tx.attemptStep.findMany({
        where: { counted: false },
        take: STEP_BATCH,
        select: { id: true, nodeId: true, choiceId: true, attempt: { select: { userId: true, caseVersionId: true } } },
      }),
    ]);
    await breathe();
    const completing = attempts.filter((a) => a.status === "completed");
    const pathSteps = completing.length
      ? await tx.attemptStep.findMany({
          where: { attemptId: { in: completing.map((a) => a.id) } },
          select: { attemptId: true, seq: true, nodeId: true, choiceId: true, createdAt: true },
        })
      : [];
    await breathe();
    const stepsOf = new Map<string, StepTime[]>();
    for (const s of pathSteps) {
      const list = stepsOf.get(s.attemptId);
      if (list) list.push(s);
      else stepsOf.set(s.attemptId, [s]);
    }

    const all: EventsByVersion = new Map();
    for (const a of attempts) {
      const events = eventsFor(all, a.caseVersionId, a.userId);
      if (a.analyticsCounted === 0) events.starts += 1;
      if (a.status === "completed") events.completions.push(completionOf(a, stepsOf.get(a.id) ?? []));
    }
    for (const s of steps) {
      if (s.choiceId === null) continue;
      eventsFor(all, s.attempt.caseVersionId, s.attempt.userId).choices.push({
        nodeId: s.nodeId,
        choiceId: s.choiceId,
      });
    }
    await count(tx, all);

    await breathe();
    const startsOnly = attempts.filter((a) => a.status !== "completed").map((a) => a.id);
    if (startsOnly.length > 0)
      await tx.attempt.updateMany({ where: { id: { in: startsOnly } }, data: { analyticsCounted: 1 } });
    await breathe();
    if (completing.length > 0) {
      await tx.attempt.updateMany({
        where: { id: { in: completing.map((a) => a.id) } },
        data: { analyticsCounted: 2 },
      });
      await breathe();
    }
    if (steps.length > 0)
      await tx.attemptStep.updateMany({ where: { id: { in: steps.map((s) => s.id) } }, data: { counted: true } });
    return { attempts: attempts.length, steps: steps.length };
  }, BATCH_TRANSACTION);
}

/** Rows counted by this process since PostgreSQL last took the attempt tables' statistics. */
let countedSinceAnalyze = 0;
/**
 * How many rows (attempts and steps) counted by this process since its last ANALYZE make the
 * statistics worth taking again once a catch-up is done. In memory: a restart starts from 0.
 */
export const ANALYZE_AFTER_ROWS = 10_000;

/**
 * PostgreSQL plans the "anything left to count?" probes from its statistics of "Attempt" and
 * "AttemptStep". Taken by autovacuum in the middle of a bulk catch-up, they say a large share of
 * the rows is uncounted, and the planner then reads the whole table to find none: 20 ms at
 * 200,000 steps, and an analytics view on the bench's 100,000 attempts took 175-180 ms against 60
 * at 20,000. Autovacuum may not look again for a long time (it waits for a tenth of the table to
 * change), so once a catch-up that counted many rows is done, they are taken again (ANALYZE reads
 * a sample; it blocks no reads or writes). SQLite keeps no statistics: nothing to do there.
 */
async function refreshStatistics(db: Db, after: number) {
  if (countedSinceAnalyze < after || databaseEngine(getEnv().DATABASE_URL) !== "postgresql") return;
  countedSinceAnalyze = 0;
  try {
    await db.$executeRaw`ANALYZE "Attempt", "AttemptStep"`;
  } catch (error) {
    // Statistics are an optimization: a failed ANALYZE (cancelled, or beside another instance's)
    // must not fail the page view or the sweep that asked for it; autovacuum takes them later.
    logger.warn({ err: error }, "ANALYZE of the attempt tables failed");
  }
}

/**
 * Counts everything not counted yet, batch by batch, yielding to other requests between batches.
 * `maxBatches` bounds one call (the rest is left for the next).
 */
export async function catchUpAnalytics(
  options: { db?: Db; maxBatches?: number; analyzeAfter?: number } = {},
): Promise<{ done: boolean; attempts: number; steps: number; batches: number }> {
  const db = options.db ?? getDb();
  const maxBatches = options.maxBatches ?? Number.POSITIVE_INFINITY;
  let attempts = 0;
  let steps = 0;
  let batches = 0;
  while (batches < maxBatches) {
    const counted = await countBatch(db);
    if (counted.attempts === 0 && counted.steps === 0) {
      await refreshStatistics(db, options.analyzeAfter ?? ANALYZE_AFTER_ROWS);
      return { done: true, attempts, steps, batches };
    }
    countedSinceAnalyze += counted.attempts + counted.steps;
    attempts += counted.attempts;
    steps += counted.steps;
    batches += 1;
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { done: false, attempts, steps, batches };
}

/**
 * Takes these learners' whole contribution out of the figures, inside the caller's transaction,
 * before their rows are erased (account closure, records purge): it is counted again from nothing
 * and subtracted, their per-learner rows are deleted, and whatever of theirs remains is marked
 * uncounted, for the next catch-up to count as it stands.
 */
export async function forgetLearners(tx: Tx, userIds: readonly string[]) {
  if (userIds.length === 0) return;
  await lock(tx);
  const attempts = await tx.attempt.findMany({
    where: { userId: { in: [...userIds] } },
    select: {
      userId: true,
      caseVersionId: true,
      number: true,
      startedAt: true,
      score: true,
      passed: true,
      analyticsCounted: true,
      steps: { select: { seq: true, nodeId: true, choiceId: true, createdAt: true, counted: true } },
    },
  });
  const all: EventsByVersion = new Map();
  for (const a of attempts) {
    const events = eventsFor(all, a.caseVersionId, a.userId);
    if (a.analyticsCounted >= 1) events.starts += 1;
    if (a.analyticsCounted === 2) events.completions.push(completionOf(a, a.steps));
    for (const s of a.steps)
      if (s.counted && s.choiceId !== null) events.choices.push({ nodeId: s.nodeId, choiceId: s.choiceId });
  }
  await count(tx, all, -1);
  const versions = [...all.keys()];
  const mine = { userId: { in: [...userIds] } };
  await tx.analyticsLearner.deleteMany({ where: mine });
  await tx.analyticsLearnerChoice.deleteMany({ where: mine });
  await tx.attempt.updateMany({ where: { ...mine, analyticsCounted: { gt: 0 } }, data: { analyticsCounted: 0 } });
  await tx.attemptStep.updateMany({ where: { counted: true, attempt: mine }, data: { counted: false } });
  // Rows nobody is counted in any more, as if they had never been written.
  const inVersions = { caseVersionId: { in: versions } };
  await tx.analyticsChoice.deleteMany({ where: { ...inVersions, taken: 0, learners: 0, completedLearners: 0 } });
  await tx.analyticsNode.deleteMany({ where: { ...inVersions, learners: 0 } });
  await tx.analyticsPath.deleteMany({ where: { ...inVersions, attempts: 0, firstAttempts: 0 } });
  await tx.analyticsDuration.deleteMany({ where: { ...inVersions, attempts: 0 } });
}

/** A version's figures as counted so far (run catchUpAnalytics first for figures as of now). */
export async function readTally(versionId: number, db: Db = getDb()) {
  const [funnel, choices, nodes, paths, durations] = await Promise.all([
    db.analyticsVersion.findUnique({ where: { caseVersionId: versionId } }),
    db.analyticsChoice.findMany({ where: { caseVersionId: versionId, taken: { gt: 0 } } }),
    db.analyticsNode.findMany({ where: { caseVersionId: versionId, learners: { gt: 0 } } }),
    db.analyticsPath.findMany({ where: { caseVersionId: versionId } }),
    db.analyticsDuration.findMany({ where: { caseVersionId: versionId, attempts: { gt: 0 } } }),
  ]);
  return { funnel, choices, nodes, paths, durations };
}

/** Every version's funnel as counted so far. */
export async function readFunnels(db: Db = getDb()) {
  return db.analyticsVersion.findMany();
}
