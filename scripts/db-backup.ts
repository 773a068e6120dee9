import { BackupError, backupDatabase } from "../app/utils/backup.server";
import { UsageError } from "../app/utils/case-files.server";
import { databaseEngine, databaseFilePath, getEnv } from "../app/utils/env.server";
import { EXIT_CONTENT, EXIT_OK, runCli } from "./lib/cli";

const usage = `Usage: npm run db:backup -- FILE

Copies the database named by DATABASE_URL (default file:./data/vignette.db) to FILE while the
server keeps running (SQLite's online backup: a consistent snapshot), then checks the copy
(SQLite's integrity_check, the migrations it records, rows per table) before giving it its name.
FILE ending in .gz is gzip-compressed. FILE must not exist yet.

Exit codes: 0 backed up and verified, 1 the backup failed (nothing left at FILE), 2 usage.`;

runCli(usage, {}, async ({ positionals }) => {
  if (positionals.length !== 1) throw new UsageError("name one backup FILE");
  if (databaseEngine(getEnv().DATABASE_URL) === "postgresql") {
    // A PostgreSQL server has its own tools for this, which see everything a copy must hold.
    console.error("DATABASE_URL names a PostgreSQL database: back it up and restore it with pg_dump and pg_restore.");
    return EXIT_CONTENT;
  }
  const source = databaseFilePath(getEnv().DATABASE_URL);
  const target = positionals[0]!;
  try {
    const started = Date.now();
    const check = await backupDatabase(source, target);
    for (const [table, rows] of Object.entries(check.rows)) console.log(`${String(rows).padStart(10)}  ${table}`);
    console.log(
      `Backed up ${source} to ${target} in ${((Date.now() - started) / 1000).toFixed(1)} s: integrity ok, ` +
        `${check.migrations.length} migration(s).`,
    );
    return EXIT_OK;
  } catch (error) {
    if (error instanceof BackupError) {
      console.error(`${error.message}\nNo backup was written.`);
      return EXIT_CONTENT;
    }
    throw error;
  }
});
