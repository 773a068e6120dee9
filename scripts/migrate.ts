import { UsageError } from "../app/utils/case-files.server";
import { getEnv } from "../app/utils/env.server";
import { migrateDatabase, MigrationError } from "../app/utils/migrate.server";
import { EXIT_CONTENT, EXIT_OK, runCli } from "./lib/cli";
import { describeDatabase } from "./lib/database";

const usage = `Usage: npm run db:migrate [-- --help]

Applies the pending migrations to the database named by DATABASE_URL (default
file:./data/vignette.db): prisma/migrations for a SQLite file, prisma/migrations-postgresql
for a postgresql:// URL, recording them in Prisma's _prisma_migrations table.
Exit codes: 0 ok, 1 a migration failed, 2 usage.`;

runCli(usage, {}, async ({ positionals }) => {
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const databaseUrl = getEnv().DATABASE_URL;
  try {
    const result = await migrateDatabase(databaseUrl);
    for (const name of result.applied) console.log(`applied  ${name}`);
    console.log(
      `${describeDatabase(databaseUrl)}: ${result.applied.length} applied, ${result.alreadyApplied.length} already applied`,
    );
    return EXIT_OK;
  } catch (error) {
    if (error instanceof MigrationError) {
      console.error(error.message);
      return EXIT_CONTENT;
    }
    throw error;
  }
});
