// Readiness: whether this instance should be sent traffic. Liveness (/healthz) only asks whether the
// process answers and can read its database; readiness also proves the database takes a write, the
// disk has room, the schema is this code's, and the server is not shutting down.
import fs from "node:fs";
import path from "node:path";
import { getDb } from "./db.server";
import { databaseEngine, databaseFilePath, getEnv } from "./env.server";
import { readMigrationsFor } from "./migrate.server";

/** Below this much free space on the database's disk an instance is not ready (READY_MIN_FREE_MB). */
export const DEFAULT_MIN_FREE_MB = 100;

const DRAINING = Symbol.for("vignette.draining");

/** Set by the server (scripts/serve.js) when a shutdown begins. */
export function isDraining(): boolean {
  return (globalThis as Record<symbol, unknown>)[DRAINING] === true;
}

export type Readiness =
  | { ready: true }
  | {
      ready: false;
      reason: "draining" | "database-missing" | "database-unwritable" | "disk-full" | "migrations-pending";
      detail?: string;
    };

let expectedMigrations: string[] | undefined;

export async function checkReadiness(): Promise<Readiness> {
  if (isDraining()) return { ready: false, reason: "draining" };
  const databaseUrl = getEnv().DATABASE_URL;
  // A SQLite file and its disk are this machine's to check; a PostgreSQL server's are its own.
  if (databaseEngine(databaseUrl) === "sqlite") {
    const file = databaseFilePath(databaseUrl);
    // An open handle keeps a deleted file readable: only its name tells that it is gone.
    if (!fs.existsSync(file)) return { ready: false, reason: "database-missing" };
    const minFree = Number(process.env.READY_MIN_FREE_MB ?? DEFAULT_MIN_FREE_MB) * 1024 * 1024;
    const disk = fs.statfsSync(path.dirname(file));
    const free = disk.bavail * disk.bsize;
    if (free < minFree) {
      return { ready: false, reason: "disk-full", detail: `${Math.floor(free / 1024 / 1024)} MB free` };
    }
  }
  const db = getDb();
  try {
    expectedMigrations ??= readMigrationsFor(databaseUrl).map((m) => m.name);
    const rows = await db.$queryRaw<{ migration_name: string }[]>`
      SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;
    const applied = new Set(rows.map((r) => r.migration_name));
    const pending = expectedMigrations.filter((name) => !applied.has(name));
    if (pending.length > 0) return { ready: false, reason: "migrations-pending", detail: pending.join(", ") };
    const now = new Date();
    await db.healthCheck.upsert({ where: { id: 1 }, create: { id: 1, checkedAt: now }, update: { checkedAt: now } });
  } catch (error) {
    return {
      ready: false,
      reason: "database-unwritable",
      detail: error instanceof Error ? error.message : String(error),
    };
  }
  return { ready: true };
}
