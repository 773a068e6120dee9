// PostgreSQL for tests: TEST_POSTGRES_URL names a role that may create databases (CI makes one, see
// .ci/run); each test file gets its own fresh, migrated database, dropped after it. With
// TEST_DATABASE_ENGINE=postgresql (npm run test:pg) the model and integration suites run on it.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { migratePostgresql } from "../../app/utils/migrate.server";

/** Whether this run puts the app's database on PostgreSQL (npm run test:pg). */
export const onPostgresql = process.env.TEST_DATABASE_ENGINE === "postgresql";

/**
 * The PostgreSQL server tests may use, or undefined when there is none. In CI (CI=true) a missing
 * server is a failure, not a reason to skip: CI installs and starts one.
 */
export function testPostgresUrl(): string | undefined {
  const url = process.env.TEST_POSTGRES_URL;
  if (!url && (process.env.CI === "true" || onPostgresql)) {
    throw new Error(
      "TEST_POSTGRES_URL is not set: tests that need PostgreSQL cannot run (e.g. postgresql://vignette:vignette@127.0.0.1:5432/postgres)",
    );
  }
  return url || undefined;
}

function requireUrl(): string {
  const url = testPostgresUrl();
  if (!url) throw new Error("TEST_POSTGRES_URL is not set");
  return url;
}

/** `base` with its database name replaced. */
function withDatabase(base: string, name: string): string {
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Creates an empty database; C collation, so text sorts by code point as in SQLite. */
export async function createDatabase(name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: requireUrl() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C'`);
  } finally {
    await admin.end();
  }
  return withDatabase(requireUrl(), name);
}

/**
 * Drops a database made by createDatabase, closing whatever connections are still open on it. The
 * server's autovacuum worker may be visiting the new database: it runs as the superuser, whom the
 * test role may not terminate (42501), and it leaves within moments, so that refusal is tried again.
 */
export async function dropDatabase(name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: requireUrl() });
  await admin.connect();
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        return;
      } catch (error) {
        if ((error as { code?: string }).code !== "42501" || attempt === 40) throw error;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  } finally {
    await admin.end();
  }
}

/** A new database name no other test file uses. */
export function newDatabaseName(): string {
  return `vignette_test_${randomBytes(6).toString("hex")}`;
}

/** A fresh migrated database: its URL and an async drop. */
export async function makeMigratedPostgresql(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = newDatabaseName();
  const url = await createDatabase(name);
  await migratePostgresql(url);
  return { url, drop: () => dropDatabase(name) };
}

const self = fileURLToPath(import.meta.url);

/**
 * The same, synchronously, for helpers that must answer at a test file's top level: a child
 * process creates and migrates the database.
 */
export function makeMigratedPostgresqlSync(): { url: string; drop: () => Promise<void> } {
  const name = newDatabaseName();
  execFileSync(process.execPath, ["--import", "tsx", self, "create", name], { stdio: ["ignore", "ignore", "inherit"] });
  return { url: withDatabase(requireUrl(), name), drop: () => dropDatabase(name) };
}

if (process.argv[1] === self && process.argv[2] === "create") {
  const name = process.argv[3]!;
  const url = await createDatabase(name);
  await migratePostgresql(url);
}
