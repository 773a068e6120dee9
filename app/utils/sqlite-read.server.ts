// A read-only better-sqlite3 connection for the reads on every page (the session, the attempt). Prisma
// spends ~0.3 ms of JavaScript per query; a prepared statement here costs a few microseconds. In
// WAL mode a reader never waits for the writer and sees only committed data, so reads here cannot
// observe another request's open transaction. Writes go through Prisma (db.server.ts), except the
// choice POST's step (sqlite-write.server.ts). The statements themselves are in hot-path-sql.server.ts,
// beside their PostgreSQL form.
import { sqliteConnection } from "./sqlite-connection.server";

/** Runs a read-only statement (prepared once per connection) and returns its first row. */
export function readOne<T>(sql: string, ...params: unknown[]): T | undefined {
  return sqliteConnection("read")
    .prepared(sql)
    .get(...params) as T | undefined;
}

/** The same, returning every row. */
export function readAll<T>(sql: string, ...params: unknown[]): T[] {
  return sqliteConnection("read")
    .prepared(sql)
    .all(...params) as T[];
}

/**
 * A DATETIME column as a Date. Prisma writes ISO 8601 text; SQL defaults (CURRENT_TIMESTAMP) write
 * "YYYY-MM-DD HH:MM:SS" in UTC without a zone, which JavaScript would read as local time.
 */
export function sqliteDate(value: string | number): Date {
  if (typeof value === "number") return new Date(value);
  return new Date(value.includes("T") ? value : `${value.replace(" ", "T")}Z`);
}
