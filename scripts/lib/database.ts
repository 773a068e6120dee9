// The database DATABASE_URL names, as the command-line tools show it and check it (either engine).
import { databaseEngine, databaseFilePath } from "../../app/utils/env.server";
import { databaseMigrationStatus } from "../../app/utils/migrate.server";

/** The database as a person may be shown it: the SQLite file, or the PostgreSQL URL without its password. */
export function describeDatabase(databaseUrl: string): string {
  if (databaseEngine(databaseUrl) === "sqlite") return databaseFilePath(databaseUrl);
  const url = new URL(databaseUrl);
  if (url.password) url.password = "***";
  return url.toString();
}

/** Why the database cannot be used yet (missing, or lacking migrations), or null when it can. */
export async function unmigratedReason(databaseUrl: string): Promise<string | null> {
  const status = await databaseMigrationStatus(databaseUrl);
  const name = describeDatabase(databaseUrl);
  if (status.missing) return `No database at ${name}.`;
  if (status.pending.length > 0) {
    return `${name} lacks migrations (${status.pending.join(", ")}): run npm run db:migrate first.`;
  }
  return null;
}
