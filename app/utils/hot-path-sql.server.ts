// Every hand-written statement of the per-request hot path, behind one interface with one
// implementation per engine (ADR 017). On SQLite they are the prepared statements of ADR 007 (reads
// on the read-only WAL connection) and ADR 009 (the step, in one BEGIN IMMEDIATE transaction under
// Prisma's lock); on PostgreSQL the same statements run on the pool Prisma uses, where an ordinary
// transaction isolates them and no process-wide lock is needed. Callers get decoded values (Dates,
// booleans, numbers) whichever engine answered.
import pg from "pg";
import { getDb, poolOf } from "./db.server";
import { databaseEngine, getEnv } from "./env.server";
import { readAll, readOne, sqliteDate } from "./sqlite-read.server";
import { isDuplicate, sqliteDateText, writeTransaction } from "./sqlite-write.server";

/** The session with what every page needs of its user; `grants` as "role@regulator,…". */
export type SessionRow = {
  id: string;
  csrfToken: string;
  expiresAt: Date;
  lastSeenAt: Date;
  userId: string;
  email: string;
  name: string;
  registrationNumber: string;
  regulator: string;
  locale: string;
  grants: string | null;
};

export type AttemptRow = {
  id: string;
  userId: string;
  caseVersionId: number;
  number: number;
  currentNodeId: string;
  status: string;
  startedAt: Date;
  completedAt: Date | null;
  total: number | null;
  score: number | null;
  passed: boolean | null;
};
export type StepRow = { seq: number; nodeId: string; choiceId: string | null; createdAt: Date };
export type ReflectionRow = { nodeId: string; text: string; createdAt: Date };
export type CompletionRow = {
  id: string;
  creditHours: number;
  completedAt: Date;
  code: string | null;
  revokedAt: Date | null;
};
/** Where an attempt stands, for the choice POST's checks. */
export type AttemptPosition = { caseVersionId: number; status: string; currentNodeId: string; steps: number };

/** One step of an attempt that does not end it: the compare-and-set on the node, the step, the reflection. */
export type StepWrite = {
  attemptId: string;
  userId: string;
  /** The node the attempt must be on; the step is recorded for it. */
  from: string;
  to: string;
  seq: number;
  choiceId: string | null;
  reflection?: string;
  at: Date;
};

export interface HotPathSql {
  /** The session by id (expired or not: the caller decides), or undefined. */
  session(id: string): Promise<SessionRow | undefined>;
  /** The learner's own attempt (scoped by user), or undefined. */
  attempt(attemptId: string, userId: string): Promise<AttemptRow | undefined>;
  /** Its steps in order. */
  steps(attemptId: string): Promise<StepRow[]>;
  reflections(attemptId: string): Promise<ReflectionRow[]>;
  /** Its completion with the certificate's code and revocation, if any. */
  completion(attemptId: string): Promise<CompletionRow | undefined>;
  /** The learner's own attempt's position and step count, or undefined. */
  position(attemptId: string, userId: string): Promise<AttemptPosition | undefined>;
  /**
   * Records the step in one transaction; "stale" (nothing written) when the attempt was not at
   * `from` any more or the step already exists (a replayed or concurrent POST).
   */
  recordStep(step: StepWrite): Promise<"recorded" | "stale">;
}

// One statement for what every page needs: the session, its user and their role grants. Only the
// aggregate differs between the dialects. A deactivated account's sessions read as none, even one
// started in a race with the deactivation (models/admin.server.ts deletes them too).
const sessionSql = (concat: string) => `
SELECT s."id", s."csrfToken", s."expiresAt", s."lastSeenAt", u."id" AS "userId", u."email", u."name",
       u."registrationNumber", u."regulator", u."locale",
       (SELECT ${concat} FROM "UserRole" r WHERE r."userId" = u."id") AS "grants"
FROM "Session" s JOIN "User" u ON u."id" = s."userId"
WHERE s."id" = ? AND u."deactivatedAt" IS NULL`;
const sqliteSessionSql = sessionSql(`group_concat(r."roleId" || '@' || r."regulatorId")`);
const postgresqlSessionSql = sessionSql(`string_agg(r."roleId" || '@' || r."regulatorId", ',')`);

// Statements both dialects accept; only the placeholders differ (? for SQLite, $n for PostgreSQL).
const attemptSql = `SELECT "id", "userId", "caseVersionId", "number", "currentNodeId", "status", "startedAt", "completedAt",
       "total", "score", "passed"
FROM "Attempt" WHERE "id" = ? AND "userId" = ?`;
const stepsSql = `SELECT "seq", "nodeId", "choiceId", "createdAt" FROM "AttemptStep" WHERE "attemptId" = ? ORDER BY "seq"`;
const reflectionsSql = `SELECT "nodeId", "text", "createdAt" FROM "Reflection" WHERE "attemptId" = ?`;
const completionSql = `SELECT c."id", c."creditHours", c."completedAt", k."code", k."revokedAt"
FROM "Completion" c LEFT JOIN "Certificate" k ON k."completionId" = c."id" WHERE c."attemptId" = ?`;
const positionSql = `SELECT a."caseVersionId", a."status", a."currentNodeId",
       (SELECT COUNT(*) FROM "AttemptStep" s WHERE s."attemptId" = a."id") AS "steps"
FROM "Attempt" a WHERE a."id" = ? AND a."userId" = ?`;
const moveSql = `UPDATE "Attempt" SET "currentNodeId" = ? WHERE "id" = ? AND "userId" = ? AND "status" = 'in_progress' AND "currentNodeId" = ?`;
const insertStepSql = `INSERT INTO "AttemptStep" ("attemptId", "seq", "nodeId", "choiceId", "createdAt") VALUES (?, ?, ?, ?, ?)`;
const insertReflectionSql = `INSERT INTO "Reflection" ("attemptId", "nodeId", "text", "createdAt") VALUES (?, ?, ?, ?)`;

// ---------------------------------------------------------------------------------------------
// SQLite: DATETIME columns are text, booleans 0/1.

type Text<T, K extends keyof T> = Omit<T, K> & { [P in K]: T[P] extends Date ? string : string | null };
const optionalDate = (value: string | null) => (value === null ? null : sqliteDate(value));

const sqlite: HotPathSql = {
  async session(id) {
    const row = readOne<Text<SessionRow, "expiresAt" | "lastSeenAt">>(sqliteSessionSql, id);
    if (!row) return undefined;
    return { ...row, expiresAt: sqliteDate(row.expiresAt), lastSeenAt: sqliteDate(row.lastSeenAt) };
  },
  async attempt(attemptId, userId) {
    const row = readOne<Text<AttemptRow, "startedAt" | "completedAt"> & { passed: number | null }>(
      attemptSql,
      attemptId,
      userId,
    );
    if (!row) return undefined;
    return {
      ...row,
      startedAt: sqliteDate(row.startedAt),
      completedAt: optionalDate(row.completedAt),
      passed: row.passed === null ? null : row.passed === 1,
    };
  },
  async steps(attemptId) {
    return readAll<Text<StepRow, "createdAt">>(stepsSql, attemptId).map((s) => ({
      ...s,
      createdAt: sqliteDate(s.createdAt),
    }));
  },
  async reflections(attemptId) {
    return readAll<Text<ReflectionRow, "createdAt">>(reflectionsSql, attemptId).map((r) => ({
      ...r,
      createdAt: sqliteDate(r.createdAt),
    }));
  },
  async completion(attemptId) {
    const row = readOne<Text<CompletionRow, "completedAt" | "revokedAt">>(completionSql, attemptId);
    if (!row) return undefined;
    return { ...row, completedAt: sqliteDate(row.completedAt), revokedAt: optionalDate(row.revokedAt) };
  },
  async position(attemptId, userId) {
    return readOne<AttemptPosition>(positionSql, attemptId, userId);
  },
  async recordStep(step) {
    try {
      return await writeTransaction((run) => {
        if (run(moveSql, step.to, step.attemptId, step.userId, step.from).changes !== 1) return "stale" as const;
        const at = sqliteDateText(step.at);
        run(insertStepSql, step.attemptId, step.seq, step.from, step.choiceId, at);
        if (step.reflection !== undefined) run(insertReflectionSql, step.attemptId, step.from, step.reflection, at);
        return "recorded" as const;
      });
    } catch (error) {
      if (isDuplicate(error)) return "stale";
      throw error;
    }
  },
};

// ---------------------------------------------------------------------------------------------
// PostgreSQL: TIMESTAMP(3) columns hold UTC without a zone, as Prisma writes them.

/** `?` placeholders as PostgreSQL's `$1, $2, …` (none of these statements has a `?` in a literal). */
export function numberedPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

const TIMESTAMP = 1114;
const INT8 = 20;
/**
 * pg reads TIMESTAMP as local time and COUNT(*)'s bigint as a string; these statements want UTC
 * instants and numbers. Per query, so Prisma's own parsing on the same pool is left alone.
 */
const types = {
  getTypeParser: ((oid: number, format?: "text" | "binary") => {
    if (oid === TIMESTAMP) return (value: string) => new Date(`${value.replace(" ", "T")}Z`);
    if (oid === INT8) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format as "text");
  }) as pg.CustomTypesConfig["getTypeParser"],
};

/** A Date as TIMESTAMP(3) text in UTC, the way Prisma writes it to PostgreSQL. */
export function postgresqlDateText(date: Date): string {
  return date.toISOString().replace("T", " ").replace(/Z$/, "");
}

/** PostgreSQL's unique_violation (a UNIQUE index or primary key). */
const UNIQUE_VIOLATION = "23505";

function postgresql(pool: pg.Pool): HotPathSql {
  const rows = async <T>(sql: string, params: unknown[]): Promise<T[]> =>
    (await pool.query({ text: numberedPlaceholders(sql), values: params, types })).rows as T[];
  return {
    async session(id) {
      return (await rows<SessionRow>(postgresqlSessionSql, [id]))[0];
    },
    async attempt(attemptId, userId) {
      return (await rows<AttemptRow>(attemptSql, [attemptId, userId]))[0];
    },
    steps: (attemptId) => rows<StepRow>(stepsSql, [attemptId]),
    reflections: (attemptId) => rows<ReflectionRow>(reflectionsSql, [attemptId]),
    async completion(attemptId) {
      return (await rows<CompletionRow>(completionSql, [attemptId]))[0];
    },
    async position(attemptId, userId) {
      return (await rows<AttemptPosition>(positionSql, [attemptId, userId]))[0];
    },
    async recordStep(step) {
      const client = await pool.connect();
      const run = (sql: string, params: unknown[]) => client.query(numberedPlaceholders(sql), params);
      try {
        await client.query("BEGIN");
        // A concurrent POST's UPDATE waits for this row's lock, then finds the node moved: stale.
        const moved = await run(moveSql, [step.to, step.attemptId, step.userId, step.from]);
        if (moved.rowCount !== 1) {
          await client.query("ROLLBACK");
          return "stale";
        }
        const at = postgresqlDateText(step.at);
        await run(insertStepSql, [step.attemptId, step.seq, step.from, step.choiceId, at]);
        if (step.reflection !== undefined) {
          await run(insertReflectionSql, [step.attemptId, step.from, step.reflection, at]);
        }
        await client.query("COMMIT");
        return "recorded";
      } catch (error) {
        await client.query("ROLLBACK").catch(() => undefined);
        if ((error as { code?: unknown }).code === UNIQUE_VIOLATION) return "stale";
        throw error;
      } finally {
        client.release();
      }
    },
  };
}

/** The hot path's statements for the current DATABASE_URL's engine. */
export function hotPathSql(): HotPathSql {
  if (databaseEngine(getEnv().DATABASE_URL) === "sqlite") return sqlite;
  const pool = poolOf(getDb());
  let forPool = byPool.get(pool);
  if (!forPool) {
    forPool = postgresql(pool);
    byPool.set(pool, forPool);
  }
  return forPool;
}
const byPool = new WeakMap<pg.Pool, HotPathSql>();
