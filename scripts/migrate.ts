import { parseArgs } from "node:util";
import { databaseFilePath, getEnv } from "../app/utils/env.server";
import { migrate, MigrationError } from "../app/utils/migrate.server";

const usage = `Usage: npm run db:migrate [-- --help]

Applies the pending migrations in prisma/migrations to the SQLite database named by
DATABASE_URL (default file:./data/vignette.db), recording them in Prisma's
_prisma_migrations table. Exit codes: 0 ok, 1 a migration failed, 2 usage.`;

function main(): number {
  let values;
  try {
    ({ values } = parseArgs({ options: { help: { type: "boolean", short: "h" } } }));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${usage}`);
    return 2;
  }
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const file = databaseFilePath(getEnv().DATABASE_URL);
  try {
    const result = migrate(file);
    for (const name of result.applied) console.log(`applied  ${name}`);
    console.log(
      `${file}: ${result.applied.length} applied, ${result.alreadyApplied.length} already applied`,
    );
    return 0;
  } catch (error) {
    if (error instanceof MigrationError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  }
}

process.exitCode = main();
