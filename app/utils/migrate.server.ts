// The project's own migration runner. Prisma 7's `migrate deploy` needs a native schema engine that
// cannot be downloaded on this project's machines, so this applies the committed SQL in Prisma's
// layout and keeps Prisma's `_prisma_migrations` bookkeeping the way `migrate deploy` does, so that
// both agree on any database. See docs/decisions/003-migrations-without-schema-engine.md.
import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";

export const defaultMigrationsDir = path.resolve("prisma/migrations");

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
 * Applies every pending migration, each in its own transaction together with its bookkeeping row,
 * so a failing migration leaves the database as it was before it. Refuses to run when an applied
 * migration was edited afterwards, failed earlier, or is unknown to this checkout.
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

    const result: MigrateResult = { applied: [], alreadyApplied: [] };
    const insert = db.prepare(
      `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count)
       VALUES (?, ?, ?, ?, NULL, NULL, ?, 1)`,
    );
    for (const migration of migrations) {
      const done = applied.get(migration.name);
      if (done) {
        if (done.checksum !== migration.checksum) {
          throw new MigrationError(
            `Migration ${migration.name} was changed after it was applied (checksum differs). ` +
              `Never edit an applied migration: add a new one.`,
          );
        }
        result.alreadyApplied.push(migration.name);
        continue;
      }
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
