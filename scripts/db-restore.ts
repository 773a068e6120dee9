import { BackupError, restoreDatabase } from "../app/utils/backup.server";
import { UsageError } from "../app/utils/case-files.server";
import { databaseEngine, databaseFilePath, getEnv } from "../app/utils/env.server";
import { EXIT_CONTENT, EXIT_OK, runCli } from "./lib/cli";

const usage = `Usage: npm run db:restore -- FILE [--force]

Replaces the database named by DATABASE_URL (default file:./data/vignette.db) with the backup FILE
(plain or .gz, as db:backup writes it). Stop the server first: the restore refuses while the
database looks open. The backup is checked (SQLite's integrity_check, migrations this version knows)
before anything is touched; the database it replaces is kept beside it as
<name>.before-restore-<time>. Then start the server (npm start, which applies any newer migrations
outside production; in production run npm run db:migrate first).

  --force   restore although the database looks open (only when the server is surely stopped
            but did not shut down cleanly)

Exit codes: 0 restored, 1 the backup was refused (nothing changed), 2 usage.`;

runCli(usage, { force: { type: "boolean" } }, async ({ positionals, values }) => {
  if (positionals.length !== 1) throw new UsageError("name one backup FILE");
  if (databaseEngine(getEnv().DATABASE_URL) === "postgresql") {
    // A PostgreSQL server has its own tools for this, which see everything a copy must hold.
    console.error("DATABASE_URL names a PostgreSQL database: back it up and restore it with pg_dump and pg_restore.");
    return EXIT_CONTENT;
  }
  const target = databaseFilePath(getEnv().DATABASE_URL);
  try {
    const result = await restoreDatabase(positionals[0]!, target, { force: values.force === true });
    for (const [table, rows] of Object.entries(result.rows)) console.log(`${String(rows).padStart(10)}  ${table}`);
    console.log(`Restored ${positionals[0]} to ${target}: integrity ok, ${result.migrations.length} migration(s).`);
    if (result.previous) console.log(`The database it replaced is kept at ${result.previous}.`);
    return EXIT_OK;
  } catch (error) {
    if (error instanceof BackupError) {
      console.error(`${error.message}\nNothing was changed.`);
      return EXIT_CONTENT;
    }
    throw error;
  }
});
