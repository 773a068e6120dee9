import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { migrate } from "../../app/utils/migrate.server";
import { makeMigratedPostgresqlSync, onPostgresql } from "./postgres";

/** A fresh directory under the OS temp dir, removed by the returned cleanup. */
export function makeTempDir(prefix = "vignette-"): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
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
