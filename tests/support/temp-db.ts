import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { defaultMigrationsDir, migrate } from "../../app/utils/migrate.server";
import { makeMigratedPostgresqlSync, onPostgresql } from "./postgres";

/** A fresh directory under the OS temp dir, removed by the returned cleanup. */
export function makeTempDir(prefix = "vignette-"): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Runs the real migrations on a SQLite file up to `stamp`, that one included or not. */
function migrateUpTo(file: string, stamp: string, including: boolean): string[] {
  const migrations = makeTempDir("vignette-mig-");
  try {
    for (const name of fs.readdirSync(defaultMigrationsDir)) {
      if (!fs.statSync(path.join(defaultMigrationsDir, name)).isDirectory()) continue;
      if (including ? name > stamp : name >= stamp) continue;
      fs.cpSync(path.join(defaultMigrationsDir, name), path.join(migrations.dir, name), { recursive: true });
    }
    return migrate(file, migrations.dir).applied;
  } finally {
    migrations.cleanup();
  }
}

/**
 * A SQLite database as it was before migration `stamp`, for tests of what that migration does to
 * existing rows: `apply` then runs that migration alone (not the later ones, which would change the
 * rows again) and says what it applied.
 */
export function makeDbBefore(stamp: string): { file: string; apply: () => string[]; cleanup: () => void } {
  const database = makeTempDir("vignette-db-");
  const file = path.join(database.dir, "app.db");
  migrateUpTo(file, stamp, false);
  return { file, apply: () => migrateUpTo(file, stamp, true), cleanup: database.cleanup };
}

/**
 * A new database migrated by the real runner: each test file gets its own, so files running in
 * parallel never see each other's rows and every test runs against the schema production gets.
 * A SQLite file, or with TEST_DATABASE_ENGINE=postgresql a PostgreSQL database, whose URL is then
 * `file` too (what createDb takes).
 */
export function makeMigratedDb(): { file: string; url: string; cleanup: () => void | Promise<void> } {
  if (onPostgresql) {
    const { url, drop } = makeMigratedPostgresqlSync();
    return { file: url, url, cleanup: drop };
  }
  const { dir, cleanup } = makeTempDir();
  const file = path.join(dir, "test.db");
  migrate(file);
  return { file, url: `file:${file}`, cleanup };
}
