// The Prisma client for the configured engine (ADR 017): SQLite through better-sqlite3 and the
// serialized adapter (ADR 006), or PostgreSQL through @prisma/adapter-pg on one pg pool. Both
// clients are generated from prisma/schema.prisma and answer the same queries, so the rest of the
// app sees one type, `Db`.
import fs from "node:fs";
import path from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "../generated/prisma/client";
import { PrismaClient as PostgresqlPrismaClient } from "../generated/prisma-pg/client";
import { databaseEngine, databaseFilePath, getEnv } from "./env.server";
import { Lock, serializedAdapterFactory } from "./serialized-adapter.server";

export type Db = PrismaClient;

const LOCK = Symbol.for("vignette.db.lock");
const POOL = Symbol.for("vignette.db.pool");

/**
 * A client on `target`: a PostgreSQL URL, or a SQLite file (a `file:` URL or a path). For SQLite,
 * WAL is set by the migration runner and persists in the file.
 */
export function createDb(target: string, options: { busyTimeoutMs?: number } = {}): Db {
  return databaseEngine(target) === "postgresql"
    ? createPostgresqlDb(target)
    : createSqliteDb(target, options.busyTimeoutMs ?? 5000);
}

function createSqliteDb(target: string, busyTimeoutMs: number): Db {
  const filePath = target.startsWith("file:") ? databaseFilePath(target) : target;
  fs.mkdirSync(path.dirname(filePath), { recursive: true });
  const lock = new Lock();
  // timeout: wait for a concurrent writer instead of failing with SQLITE_BUSY (Prisma reports it as
  // "Operation has timed out"). A writer beside a busy server (a test's publication) may wait longer.
  const adapter = serializedAdapterFactory(new PrismaBetterSqlite3({ url: filePath, timeout: busyTimeoutMs }), lock);
  const client = new PrismaClient({ adapter });
  // On the client itself (a global symbol), so the process-wide client keeps it across dev rebuilds.
  Object.defineProperty(client, LOCK, { value: lock });
  return client;
}

function createPostgresqlDb(url: string): Db {
  // One pool for Prisma and the hand-written statements (sql.server.ts); $disconnect ends it.
  const pool = new pg.Pool({ connectionString: url });
  const adapter = new PrismaPg(pool, { disposeExternalPool: true });
  // The PostgreSQL client is generated from the same models, so it has the same API; only the
  // provider differs (a few PostgreSQL-only options that the app does not use).
  // Every statement is a round trip to the server: an import that publishes hundreds of cases in
  // one transaction takes longer than in-process SQLite, past Prisma's default 5 s.
  const client = new PostgresqlPrismaClient({ adapter, transactionOptions: { timeout: 60_000 } }) as unknown as Db;
  Object.defineProperty(client, POOL, { value: pool });
  return client;
}

/** The lock every query of this SQLite client holds (serialized-adapter.server.ts): while you hold it, Prisma has nothing open. */
export function lockOf(db: Db): Lock {
  const lock = (db as unknown as Record<symbol, Lock | undefined>)[LOCK];
  if (!lock) throw new Error("not a SQLite client made by createDb");
  return lock;
}

/** The pg pool of a PostgreSQL client made by createDb. */
export function poolOf(db: Db): pg.Pool {
  const pool = (db as unknown as Record<symbol, pg.Pool | undefined>)[POOL];
  if (!pool) throw new Error("not a PostgreSQL client made by createDb");
  return pool;
}

declare global {
  var __vignetteDb: Db | undefined;
}

/** The process-wide client, created once so dev rebuilds do not open new connections. */
export function getDb(): Db {
  globalThis.__vignetteDb ??= createDb(getEnv().DATABASE_URL);
  return globalThis.__vignetteDb;
}

/**
 * One query before the server listens: Prisma's query compiler (WebAssembly) loads on the first
 * query, ~250 ms on the one thread every request waits on (measured on the bench machine). A
 * database that cannot answer yet (or not within `timeoutMs`) is not an error here: /readyz says
 * so, and the first request pays the load instead.
 */
export async function warmDatabase(timeoutMs = 5000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  // A database server that does not answer must not hold the server's start (nor /readyz).
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, timeoutMs);
    timer.unref();
  });
  try {
    await Promise.race([getDb().$queryRaw`SELECT 1`, timeout]);
  } catch {
    // Reported by /readyz and by the requests that need the database.
  } finally {
    clearTimeout(timer);
  }
}
