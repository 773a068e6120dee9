// Completed attempts for `npm run bench -- --scale N`: a regulator's year of learners who played a
// published case version to its end, written straight into the database (a million attempts
// through the player would take hours) with the rows the app writes when an attempt completes
// (models/attempt.server.ts advanceAttempt + completeAttempt): the Attempt completed with the
// engine's score of its path (replayPath, as completeAttempt does), one AttemptStep per node left
// (seq 0, 1, 2…, the choice at decisions), a Reflection per reflection node, and for a passing
// attempt its Completion (credit and a Certificate for the learner's first pass, practice after
// it) and the "certificate issued" mail, as the sender leaves it once sent. Learners are users as
// createUser makes them (a registration with the case's regulator, the learner role), without a
// password or session: nobody signs in as them. scale-seed.test.ts checks the rows against an
// attempt played through the app's own code.
import { randomBytes } from "node:crypto";
import type Database from "better-sqlite3";
import type pg from "pg";
import { analyzeCase, replayPath, type CaseFile, type RecordedStep } from "~/engine";
import { newCertificateCode, timeOnTaskSeconds } from "~/models/attempt.server";
import type { ParsedVersion } from "~/models/case.server";
import { outboxPolicy } from "~/models/mail-outbox.server";
import type { Db } from "~/utils/db.server";
import { numberedPlaceholders, postgresqlDateText } from "~/utils/hot-path-sql.server";
import { sqliteDateText } from "~/utils/sqlite-write.server";

/** What the rows copy from the published version (the subset of case.server's ParsedVersion used). */
export type SeedVersion = Omit<ParsedVersion, "clauses">;

/** The case's newest version, parsed and analysed as getParsedVersion does. */
export async function loadSeedVersion(db: Db, slug: string): Promise<SeedVersion> {
  const row = await db.caseVersion.findFirst({
    where: { case: { slug } },
    orderBy: { version: "desc" },
    include: { case: true },
  });
  if (!row) throw new Error(`case ${slug} is not published`);
  const caseFile = JSON.parse(row.content) as CaseFile;
  return {
    id: row.id,
    caseId: row.caseId,
    slug: row.case.slug,
    version: row.version,
    regulator: row.case.regulator,
    caseFile,
    analysis: analyzeCase(caseFile),
  };
}

type Value = string | number | boolean | Date | null;
type Table = { name: string; columns: string[] };

const table = (name: string, ...columns: string[]): Table => ({ name, columns });
// In foreign-key order. Column lists name every column the app's inserts fill in.
const TABLES = {
  user: table("User", "id", "email", "name", "registrationNumber", "regulator", "locale", "createdAt", "updatedAt"),
  registration: table("Registration", "userId", "regulatorId", "number", "createdAt", "updatedAt"),
  userRole: table("UserRole", "userId", "roleId", "regulatorId"),
  attempt: table(
    "Attempt",
    "id",
    "userId",
    "caseId",
    "caseVersionId",
    "number",
    "currentNodeId",
    "status",
    "startedAt",
    "completedAt",
    "total",
    "score",
    "passed",
  ),
  step: table("AttemptStep", "attemptId", "seq", "nodeId", "choiceId", "createdAt"),
  reflection: table("Reflection", "attemptId", "nodeId", "text", "createdAt"),
  completion: table(
    "Completion",
    "id",
    "attemptId",
    "userId",
    "learnerName",
    "registrationNumber",
    "regulator",
    "caseSlug",
    "caseVersion",
    "caseVersionId",
    "caseTitle",
    "locale",
    "startedAt",
    "completedAt",
    "timeOnTaskSeconds",
    "score",
    "passed",
    "creditHours",
    "attemptNumber",
    "creditKey",
    "createdAt",
  ),
  certificate: table("Certificate", "id", "completionId", "code", "issuedAt"),
  mail: table(
    "MailMessage",
    "id",
    "kind",
    "to",
    "locale",
    "regulator",
    "userId",
    "params",
    "status",
    "attempts",
    "leaseUntil",
    "createdAt",
    "sentAt",
  ),
} as const;
type TableKey = keyof typeof TABLES;
type Batch = Record<TableKey, Value[][]>;
const emptyBatch = (): Batch => Object.fromEntries(Object.keys(TABLES).map((k) => [k, []])) as unknown as Batch;

/** Writes batches of rows in one transaction each. */
export type RowSink = { write(batch: Batch): Promise<void>; close(): Promise<void> };

/** better-sqlite3 on the SQLite file: one prepared INSERT per table, a transaction per batch. */
export function sqliteSink(db: Database.Database): RowSink {
  const encode = (v: Value) => (v instanceof Date ? sqliteDateText(v) : typeof v === "boolean" ? (v ? 1 : 0) : v);
  const statements = Object.fromEntries(
    Object.entries(TABLES).map(([key, t]) => [
      key,
      db.prepare(
        `INSERT INTO "${t.name}" (${t.columns.map((c) => `"${c}"`).join(", ")}) VALUES (${t.columns.map(() => "?").join(", ")})`,
      ),
    ]),
  ) as Record<TableKey, Database.Statement>;
  const writeAll = db.transaction((batch: Batch) => {
    for (const key of Object.keys(TABLES) as TableKey[]) {
      const statement = statements[key];
      for (const row of batch[key]) statement.run(row.map(encode));
    }
  });
  return {
    async write(batch) {
      writeAll(batch);
    },
    async close() {},
  };
}

/** PostgreSQL: multi-row INSERTs (at most 1,000 rows or 30,000 values each) in one transaction per batch. */
export function postgresqlSink(client: pg.ClientBase): RowSink {
  const encode = (v: Value) => (v instanceof Date ? postgresqlDateText(v) : v);
  return {
    async write(batch) {
      await client.query("BEGIN");
      try {
        for (const key of Object.keys(TABLES) as TableKey[]) {
          const t = TABLES[key];
          const rows = batch[key];
          const per = Math.min(1000, Math.floor(30_000 / t.columns.length));
          for (let i = 0; i < rows.length; i += per) {
            const chunk = rows.slice(i, i + per);
            const tuple = `(${t.columns.map(() => "?").join(", ")})`;
            const sql = `INSERT INTO "${t.name}" (${t.columns.map((c) => `"${c}"`).join(", ")}) VALUES ${chunk.map(() => tuple).join(", ")}`;
            await client.query(numberedPlaceholders(sql), chunk.flat().map(encode));
          }
        }
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw error;
      }
    },
    async close() {},
  };
}

/** A seeded pseudo-random generator (mulberry32): the same seed seeds the same year. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let counter = 0;
const fingerprint = randomBytes(2).readUInt16BE(0).toString(36).padStart(4, "0").slice(-4);
/** An id in the shape of Prisma's `@default(cuid())` (cuid v1: "c", time, counter, fingerprint, random). */
export function cuid(now = Date.now()): string {
  counter = (counter + 1) % 36 ** 4;
  const random = randomBytes(6).readUIntBE(0, 6).toString(36).padStart(8, "0").slice(-8);
  return `c${now.toString(36).padStart(8, "0")}${counter.toString(36).padStart(4, "0")}${fingerprint}${random}`;
}

const REFLECTIONS = [
  "I should have checked the standard before answering.",
  "Keeping the relationship professional protects the client.",
  "Next time I will explain my policy at the first contact.",
  "I realise the boundary was blurred from the start.",
];

/**
 * A learner's path through the case from its start: scenes and reflections passed, and at each
 * decision with probability `skill` the choice earning most points, else any choice.
 */
export function randomPath(caseFile: CaseFile, random: () => number, skill: number): RecordedStep[] {
  const steps: RecordedStep[] = [];
  let at = caseFile.start;
  for (let node = caseFile.nodes[at]; node && node.kind !== "outcome"; node = caseFile.nodes[at]) {
    if (node.kind === "decision") {
      const points = (c: (typeof node.choices)[number]) => (c.effects ?? []).reduce((n, e) => n + e.points, 0);
      const best = node.choices.reduce((a, b) => (points(b) > points(a) ? b : a));
      const choice = random() < skill ? best : node.choices[Math.floor(random() * node.choices.length)]!;
      steps.push({ nodeId: at, choiceId: choice.id });
      at = choice.next;
    } else {
      steps.push({ nodeId: at, choiceId: null });
      at = node.next;
    }
    if (steps.length > Object.keys(caseFile.nodes).length) throw new Error(`${caseFile.slug}: the case loops`);
  }
  return steps;
}

export type SeedOptions = {
  attempts: number;
  /** Names the learners (emails `scale-<prefix>-<i>@bench.invalid`); unique per database. */
  prefix: string;
  /** The year ends here. */
  now?: Date;
  seed?: number;
  /** Learners per batch (one transaction each). */
  batch?: number;
  /** Every attempt takes this path instead of a random one (for the tests). */
  path?: RecordedStep[];
  /** Called after each batch with the attempts written so far. */
  progress?: (attempts: number) => void;
};

export type SeedSummary = {
  learners: number;
  attempts: number;
  passed: number;
  steps: number;
  reflections: number;
  completions: number;
  certificates: number;
  paths: number;
  seconds: number;
};

const DAY = 86_400_000;

/** Writes `attempts` completed attempts of `version` by learners of its regulator through `sink`. */
export async function seedCompletedAttempts(
  sink: RowSink,
  version: SeedVersion,
  options: SeedOptions,
): Promise<SeedSummary> {
  const t0 = performance.now();
  const random = seededRandom(options.seed ?? 12);
  const now = options.now ?? new Date();
  const yearStart = now.getTime() - 365 * DAY;
  const { caseFile, analysis } = version;
  const maxAttempts = caseFile.maxAttempts ?? 3;
  const caseTitle = JSON.stringify(caseFile.title);
  // Each distinct path is replayed and scored once, as completeAttempt would score it.
  const scored = new Map<string, { outcomeId: string; total: number; score: number; passed: boolean }>();
  const scoreOf = (path: RecordedStep[]) => {
    const key = path.map((s) => `${s.nodeId}:${s.choiceId ?? ""}`).join(",");
    let result = scored.get(key);
    if (!result) {
      const replay = replayPath(caseFile, analysis, path);
      if (!(replay.ok && replay.status === "completed" && replay.score))
        throw new Error(`${version.slug}: a seeded path does not complete the case`);
      const { total, score, passed } = replay.score;
      result = { outcomeId: replay.outcomeId, total, score, passed };
      scored.set(key, result);
    }
    return result;
  };
  const gap = () =>
    // Reading and thinking: 20 s and about a minute more; now and then a learner leaves and comes back.
    random() < 0.02 ? (45 * 60 + random() * 2 * DAY) * 1000 : (20 + -Math.log(1 - random()) * 60) * 1000;

  const summary: SeedSummary = {
    learners: 0,
    attempts: 0,
    passed: 0,
    steps: 0,
    reflections: 0,
    completions: 0,
    certificates: 0,
    paths: 0,
    seconds: 0,
  };
  const perBatch = options.batch ?? 5000;
  let batch = emptyBatch();
  let learnersInBatch = 0;
  const flush = async () => {
    await sink.write(batch);
    batch = emptyBatch();
    learnersInBatch = 0;
    options.progress?.(summary.attempts);
  };

  while (summary.attempts < options.attempts) {
    const i = summary.learners++;
    const userId = cuid();
    const fr = random() < 0.2;
    const locale = fr ? "fr" : "en";
    const name = `Learner ${options.prefix} ${i}`;
    const email = `scale-${options.prefix}-${i}@bench.invalid`;
    const registrationNumber = `S${String(100000 + i)}`;
    let start = yearStart + random() * 335 * DAY;
    const joined = new Date(start - random() * 30 * DAY);
    batch.user.push([userId, email, name, registrationNumber, version.regulator, locale, joined, joined]);
    batch.registration.push([userId, version.regulator, registrationNumber, joined, joined]);
    batch.userRole.push([userId, "learner", "*"]);
    let skill = 0.3 + random() * 0.6;
    let credited = false;
    for (let number = 1; number <= maxAttempts && summary.attempts < options.attempts; number++) {
      const attemptId = cuid();
      const path = options.path ?? randomPath(caseFile, random, skill);
      const result = scoreOf(path);
      const startedAt = new Date(start);
      let t = start;
      const times = path.map(() => new Date((t += gap())));
      const completedAt = times[times.length - 1] ?? startedAt;
      batch.attempt.push([
        attemptId,
        userId,
        version.caseId,
        version.id,
        number,
        result.outcomeId,
        "completed",
        startedAt,
        completedAt,
        result.total,
        result.score,
        result.passed,
      ]);
      path.forEach((step, seq) => {
        batch.step.push([attemptId, seq, step.nodeId, step.choiceId ?? null, times[seq]!]);
        if (caseFile.nodes[step.nodeId]?.kind === "reflection") {
          batch.reflection.push([attemptId, step.nodeId, REFLECTIONS[seq % REFLECTIONS.length]!, times[seq]!]);
          summary.reflections++;
        }
      });
      summary.attempts++;
      summary.steps += path.length;
      if (result.passed) {
        summary.passed++;
        const completionId = cuid();
        const creditKey = credited ? null : `${userId}:${version.slug}`;
        batch.completion.push([
          completionId,
          attemptId,
          userId,
          name,
          registrationNumber,
          version.regulator,
          version.slug,
          version.version,
          version.id,
          caseTitle,
          locale,
          startedAt,
          completedAt,
          timeOnTaskSeconds(startedAt, times),
          result.score,
          true,
          credited ? 0 : caseFile.credit.hours,
          number,
          creditKey,
          completedAt,
        ]);
        summary.completions++;
        if (!credited) {
          const certificateId = cuid();
          batch.certificate.push([certificateId, completionId, newCertificateCode(), completedAt]);
          summary.certificates++;
          // Queued with the certificate; the row as markSent leaves it (params emptied), a few seconds on.
          const sentAt = new Date(completedAt.getTime() + 2000 + random() * 8000);
          batch.mail.push([
            cuid(),
            "certificate_issued",
            email,
            locale,
            version.regulator,
            userId,
            "{}",
            "sent",
            1,
            new Date(sentAt.getTime() + outboxPolicy.leaseMs),
            completedAt,
            sentAt,
          ]);
          credited = true;
        }
      }
      // Who plays again: most of those who failed, a few who passed (practice).
      if (random() > (result.passed ? 0.05 : 0.6)) break;
      skill = Math.min(1, skill + 0.25);
      start = completedAt.getTime() + (1 + random() * 10 * 24) * 3_600_000;
      if (start > now.getTime() - 3 * DAY) break; // the year is over for them
    }
    if (++learnersInBatch >= perBatch) await flush();
  }
  if (learnersInBatch > 0) await flush();
  summary.paths = scored.size;
  summary.seconds = (performance.now() - t0) / 1000;
  return summary;
}
