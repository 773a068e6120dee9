import { UsageError } from "../app/utils/case-files.server";
import { databaseFilePath, getEnv } from "../app/utils/env.server";
import { migrate, MigrationError } from "../app/utils/migrate.server";
import { EXIT_CONTENT, EXIT_OK, runCli } from "./lib/cli";

const usage = `Usage: npm run db:migrate [-- --help]

Applies the pending migrations in prisma/migrations to the SQLite database named by
DATABASE_URL (default file:./data/vignette.db), recording them in Prisma's
_prisma_migrations table. Exit codes: 0 ok, 1 a migration failed, 2 usage.`;

runCli(usage, {}, ({ positionals }) => {
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const file = databaseFilePath(getEnv().DATABASE_URL);
  try {
    const result = migrate(file);
    for (const name of result.applied) console.log(`applied  ${name}`);
    console.log(`${file}: ${result.applied.length} applied, ${result.alreadyApplied.length} already applied`);
    return EXIT_OK;
  } catch (error) {
    if (error instanceof MigrationError) {
      console.error(error.message);
      return EXIT_CONTENT;
    }
    throw error;
  }
});
