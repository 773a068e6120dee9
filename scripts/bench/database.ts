// The bench's database: a fresh SQLite file in the run's directory, or with
// `--database postgresql://…` a fresh database on that server (created by the bench, migrated by
// the real runner, dropped at the end), so the two engines' figures can be put side by side.
import { randomBytes } from "node:crypto";
import path from "node:path";
import pg from "pg";
import { databaseEngine } from "~/utils/env.server";
import { migrate, migratePostgresql } from "~/utils/migrate.server";
import { describeDatabase } from "../lib/database";

export type BenchDatabase = {
  engine: "sqlite" | "postgresql";
  /** What the server takes as DATABASE_URL and createDb takes. */
  url: string;
  /** The SQLite file, for the bare server (which reads it with better-sqlite3); null on PostgreSQL. */
  file: string | null;
  /** Where it is, as a person may be shown it (no password). */
  label: string;
  drop: () => Promise<void>;
};

/**
 * `server` is a PostgreSQL URL whose role may create databases (its database is only used to
 * connect, e.g. `postgres`); undefined for SQLite.
 */
export async function createBenchDatabase(dir: string, server: string | undefined): Promise<BenchDatabase> {
  if (!server) {
    const file = path.join(dir, "bench.db");
    migrate(file);
    return { engine: "sqlite", url: `file:${file}`, file, label: file, drop: async () => {} };
  }
  if (databaseEngine(server) !== "postgresql") {
    throw new Error(`--database must be a postgresql:// URL (got "${describeDatabase(server)}")`);
  }
  const name = `vignette_bench_${randomBytes(5).toString("hex")}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: server });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  // C collation: text sorts by code point, as in SQLite (tests/support/postgres.ts does the same).
  await admin(`CREATE DATABASE "${name}" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C'`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  const drop = () => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  try {
    await migratePostgresql(url.toString());
  } catch (error) {
    await drop();
    throw error;
  }
  return { engine: "postgresql", url: url.toString(), file: null, label: describeDatabase(url.toString()), drop };
}
