// The choice POST's write, the one write on the hot path, with prepared statements on a second
// better-sqlite3 connection: Prisma's transaction machinery cost more than half of that request.
// SQLite's busy wait is synchronous (ADR 006), so a write here must never meet a Prisma transaction
// of this process half-way: it first takes the lock every Prisma query holds, then runs its whole
// transaction synchronously, so nothing else can start in between. See docs/decisions/009-hot-path-write.md.
import type Database from "better-sqlite3";
import { getDb, lockOf } from "./db.server";
import { sqliteConnection } from "./sqlite-connection.server";

export type Run = (sql: string, ...params: unknown[]) => Database.RunResult;

/**
 * Runs `work` in one IMMEDIATE transaction on the write connection, while no Prisma query or
 * transaction of this process is open. `work` is synchronous; throwing rolls everything back.
 * Never call it inside a Prisma transaction: it would wait for that transaction to end, which
 * waits for it (the lock's 15 s timeout then fails it).
 */
export async function writeTransaction<T>(work: (run: Run) => T): Promise<T> {
  const release = await lockOf(getDb()).acquire();
  try {
    const { db, prepared } = sqliteConnection("write");
    const run: Run = (sql, ...params) => prepared(sql).run(...params);
    return db.transaction(() => work(run)).immediate();
  } finally {
    release();
  }
}

/** A Date as Prisma writes DateTime to SQLite ("2026-11-23T06:27:43.254+00:00"), so both read the same. */
export function sqliteDateText(date: Date): string {
  return date.toISOString().replace(/Z$/, "+00:00");
}

/** SQLite's error for a row that already exists (a UNIQUE or PRIMARY KEY constraint), as better-sqlite3 reports it. */
export function isDuplicate(error: unknown): boolean {
  const code = typeof error === "object" && error !== null ? (error as { code?: unknown }).code : undefined;
  return code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY";
}
