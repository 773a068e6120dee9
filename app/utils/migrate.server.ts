// The project's own migration runner. Prisma 7's `migrate deploy` needs a native schema engine that
// cannot be downloaded on this project's machines, so this applies the committed SQL in Prisma's
// layout and keeps Prisma's `_prisma_migrations` bookkeeping the way `migrate deploy` does, so that
// both agree on any database. See docs/decisions/003-migrations-without-schema-engine.md.
// Each engine has its own directory of migrations with the same names (ADR 017): prisma/migrations
// for SQLite, prisma/migrations-postgresql for PostgreSQL; the same checks decide what to apply.
import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { databaseEngine, databaseFilePath, type Engine } from "./env.server";

export const defaultMigrationsDir = path.resolve("prisma/migrations");

/** Where each engine's migrations live. */
export const migrationsDirs: Record<Engine, string> = {
  sqlite: defaultMigrationsDir,
  postgresql: path.resolve("prisma/migrations-postgresql"),
};

export type Migration = { name: string; sql: string; checksum: string };

export type MigrateResult = {
  applied: string[];
  alreadyApplied: string[];
};

export class MigrationError extends Error {
  override name = "MigrationError";
}

/** The migrations in `dir`, in name (timestamp) order, each with Prisma's checksum (sha256 hex). */
export function readMigrations(dir: string = defaultMigrationsDir): Migration[] {
  if (!fs.existsSync(dir)) throw new MigrationError(`No migrations directory at ${dir}`);
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const file = path.join(dir, name, "migration.sql");
      if (!fs.existsSync(file)) throw new MigrationError(`${name}: missing migration.sql`);
      const sql = fs.readFileSync(file, "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

// The table exactly as Prisma's schema engine creates it for SQLite.
const bookkeepingTable = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;

type AppliedRow = {
  migration_name: string;
  checksum: string;
  finished_at: unknown;
  rolled_back_at: unknown;
};

/** Opens (creating if needed) the SQLite file with the pragmas the app relies on. */
export function openSqlite(filePath: string): Database.Database {
  fs.mkdirSync(path.dirname(filePath), { recursive: true });
  const db = new Database(filePath);
  db.pragma("journal_mode = WAL");
  db.pragma("foreign_keys = ON");
  db.pragma("busy_timeout = 5000");
  return db;
}

/**
 * Which of `migrations` to apply, given the bookkeeping rows: refuses (MigrationError) when an
 * applied migration was edited afterwards, failed earlier, or is unknown to this checkout.
 */
function plan(migrations: Migration[], rows: AppliedRow[]): { pending: Migration[]; alreadyApplied: string[] } {
  const applied = new Map<string, AppliedRow>();
  for (const row of rows) {
    if (row.rolled_back_at !== null) continue;
    if (row.finished_at === null) {
      throw new MigrationError(
        `Migration ${row.migration_name} failed earlier and is recorded as unfinished; ` +
          `repair the database, then mark it rolled back.`,
      );
    }
    applied.set(row.migration_name, row);
  }
  const known = new Set(migrations.map((m) => m.name));
  const unknown = [...applied.keys()].filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new MigrationError(
      `The database has migrations this checkout does not: ${unknown.join(", ")}. ` +
        `Update the code before migrating.`,
    );
  }
  const result = { pending: [] as Migration[], alreadyApplied: [] as string[] };
  for (const migration of migrations) {
    const done = applied.get(migration.name);
    if (!done) {
      result.pending.push(migration);
    } else if (done.checksum !== migration.checksum) {
      throw new MigrationError(
        `Migration ${migration.name} was changed after it was applied (checksum differs). ` +
          `Never edit an applied migration: add a new one.`,
      );
    } else {
      result.alreadyApplied.push(migration.name);
    }
  }
  return result;
}

/**
 * Applies every pending migration to the SQLite file, each in its own transaction together with its
 * bookkeeping row, so a failing migration leaves the database as it was before it. Refuses to run
 * when an applied migration was edited afterwards, failed earlier, or is unknown to this checkout.
 */
export function migrate(filePath: string, dir: string = defaultMigrationsDir): MigrateResult {
  const migrations = readMigrations(dir);
  const db = openSqlite(filePath);
  try {
    db.exec(bookkeepingTable);
    const rows = db
      .prepare(
        `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at`,
      )
      .all() as AppliedRow[];
    const { pending, alreadyApplied } = plan(migrations, rows);

    const result: MigrateResult = { applied: [], alreadyApplied };
    const insert = db.prepare(
      `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count)
       VALUES (?, ?, ?, ?, NULL, NULL, ?, 1)`,
    );
    for (const migration of pending) {
      const startedAt = Date.now();
      const apply = db.transaction(() => {
        db.exec(migration.sql);
        insert.run(randomUUID(), migration.checksum, Date.now(), migration.name, startedAt);
      });
      try {
        apply();
      } catch (error) {
        throw new MigrationError(`Migration ${migration.name} failed and was rolled back: ${(error as Error).message}`);
      }
      result.applied.push(migration.name);
    }
    return result;
  } finally {
    db.close();
  }
}

export type MigrationStatus = { missing: true } | { missing: false; pending: string[] };

/**
 * Whether the database file exists and which of this checkout's migrations it lacks, without
 * creating or changing anything (a production server refuses to start on a missing or stale file).
 */
export function migrationStatus(filePath: string, dir: string = defaultMigrationsDir): MigrationStatus {
  if (!fs.existsSync(filePath)) return { missing: true };
  const db = new Database(filePath, { readonly: true, fileMustExist: true });
  try {
    const hasTable = db
      .prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'`)
      .get();
    const applied = new Set(
      hasTable
        ? (db
            .prepare(
              `SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
            )
            .pluck()
            .all() as string[])
        : [],
    );
    return {
      missing: false,
      pending: readMigrations(dir)
        .map((m) => m.name)
        .filter((name) => !applied.has(name)),
    };
  } finally {
    db.close();
  }
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL

// The table exactly as Prisma's schema engine creates it for PostgreSQL.
const postgresqlBookkeepingTable = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

/**
 * The session-level advisory lock every runner takes before reading the bookkeeping: two instances
 * starting together migrate one after the other, and the second finds nothing left to do. The key
 * is arbitrary but fixed ("vignette" in ASCII, truncated to fit a bigint).
 */
export const MIGRATION_LOCK_KEY = 0x76_69_67_6e_65_74_74;

/**
 * Applies every pending migration to the PostgreSQL database at `url`, under the advisory lock,
 * each in its own transaction with its bookkeeping row (PostgreSQL's DDL is transactional), with
 * the same refusals as `migrate`.
 */
export async function migratePostgresql(url: string, dir: string = migrationsDirs.postgresql): Promise<MigrateResult> {
  const migrations = readMigrations(dir);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`SET client_min_messages = warning`);
    await client.query(`SELECT pg_advisory_lock($1)`, [MIGRATION_LOCK_KEY]);
    await client.query(postgresqlBookkeepingTable);
    const { rows } = await client.query<AppliedRow>(
      `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at`,
    );
    const { pending, alreadyApplied } = plan(migrations, rows);
    const result: MigrateResult = { applied: [], alreadyApplied };
    for (const migration of pending) {
      const startedAt = new Date();
      try {
        await client.query("BEGIN");
        // No parameters: the simple protocol runs every statement of the file.
        await client.query(migration.sql);
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count)
           VALUES ($1, $2, $3, $4, NULL, NULL, $5, 1)`,
          [randomUUID(), migration.checksum, new Date(), migration.name, startedAt],
        );
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw new MigrationError(`Migration ${migration.name} failed and was rolled back: ${(error as Error).message}`);
      }
      result.applied.push(migration.name);
    }
    return result;
  } finally {
    // Ending the session releases the advisory lock too, also when a query above failed.
    await client.end();
  }
}

/** PostgreSQL's "database does not exist". */
const INVALID_CATALOG_NAME = "3D000";

/** migrationStatus for a PostgreSQL database: missing when the server has no such database. */
export async function postgresqlMigrationStatus(
  url: string,
  dir: string = migrationsDirs.postgresql,
): Promise<MigrationStatus> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch (error) {
    if ((error as { code?: unknown }).code === INVALID_CATALOG_NAME) return { missing: true };
    throw error;
  }
  try {
    const { rows } = await client
      .query<{ migration_name: string }>(
        `SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
      )
      .catch((error: { code?: unknown }) => {
        // 42P01: no bookkeeping table yet, so nothing is applied.
        if (error.code === "42P01") return { rows: [] };
        throw error;
      });
    const applied = new Set(rows.map((r) => r.migration_name));
    return {
      missing: false,
      pending: readMigrations(dir)
        .map((m) => m.name)
        .filter((name) => !applied.has(name)),
    };
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------------------------------------
// Either engine, by DATABASE_URL

/** Applies the pending migrations of the engine `databaseUrl` names (a `file:` URL, a path, or a PostgreSQL URL). */
export async function migrateDatabase(databaseUrl: string): Promise<MigrateResult> {
  return databaseEngine(databaseUrl) === "postgresql"
    ? migratePostgresql(databaseUrl)
    : migrate(sqliteFile(databaseUrl));
}

/** migrationStatus of the engine `databaseUrl` names. */
export async function databaseMigrationStatus(databaseUrl: string): Promise<MigrationStatus> {
  return databaseEngine(databaseUrl) === "postgresql"
    ? postgresqlMigrationStatus(databaseUrl)
    : migrationStatus(sqliteFile(databaseUrl));
}

/** The migrations this checkout has for the engine `databaseUrl` names. */
export function readMigrationsFor(databaseUrl: string): Migration[] {
  return readMigrations(migrationsDirs[databaseEngine(databaseUrl)]);
}

const sqliteFile = (databaseUrl: string) =>
  databaseUrl.startsWith("file:") ? databaseFilePath(databaseUrl) : databaseUrl;
