// `npm start`: what a new person runs after `npm install`. Builds when the build is missing or older
// than the sources; outside production migrates, publishes the demo content when the database has
// no cases and seeds the demo accounts; in production checks that the database exists and is
// migrated. Then serves with scripts/serve.js (PORT, default 3000), restarting it if it crashes.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { getDb } from "../app/utils/db.server";
import { DEFAULT_DATABASE_URL, databaseEngine, databaseFilePath, getEnv } from "../app/utils/env.server";
import { databaseMigrationStatus, migrate, migrateDatabase } from "../app/utils/migrate.server";
import { buildIfNeeded } from "./lib/build";
import { describeDatabase } from "./lib/database";
import { seed } from "./lib/seed";
import { SERVER_NODE_FLAGS } from "./lib/server-flags";

/** A random secret kept beside the database (in data/ for PostgreSQL), so local sessions survive restarts. */
function localSessionSecret(databaseUrl: string): string {
  const dir =
    databaseEngine(databaseUrl) === "sqlite" ? path.dirname(databaseFilePath(databaseUrl)) : path.resolve("data");
  const file = path.join(dir, ".session-secret");
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, randomBytes(48).toString("base64url"), { mode: 0o600 });
  }
  return fs.readFileSync(file, "utf8").trim();
}

/** A crashed server is restarted after this long, doubling up to 30 s (SUPERVISOR_BACKOFF_MS). */
const BACKOFF_MS = Number(process.env.SUPERVISOR_BACKOFF_MS ?? 1000);
const MAX_BACKOFF_MS = 30_000;
/** A server that ran this long before it stopped is taken as healthy: the back-off starts over. */
const HEALTHY_RUN_MS = 60_000;
/** Starts in a row that never reached "serving" before the supervisor gives up and exits 1. */
const MAX_FAILED_STARTS = 5;

/** Refuses a missing or stale database in production, naming the command that fixes it. */
async function checkProductionDatabase(databaseUrl: string): Promise<void> {
  const status = await databaseMigrationStatus(databaseUrl);
  const name = describeDatabase(databaseUrl);
  if (status.missing) {
    throw new Error(
      `No database at ${name}. Create it with "npm run db:migrate", then publish your content with "npm run cases:import".`,
    );
  }
  if (status.pending.length > 0) {
    const backup = databaseEngine(databaseUrl) === "sqlite" ? '"npm run db:backup -- FILE"' : "pg_dump";
    throw new Error(
      `The database at ${name} lacks ${status.pending.length} migration(s) (${status.pending.join(", ")}). ` +
        `Back it up (${backup}), then apply them with "npm run db:migrate".`,
    );
  }
}

/**
 * Runs scripts/serve.js and restarts it when it dies, with back-off, saying why; passes SIGINT and
 * SIGTERM on and exits with the server's code then. Exits 1 only when the server cannot start.
 */
function supervise(env: NodeJS.ProcessEnv): void {
  let backoff = BACKOFF_MS;
  let failedStarts = 0;
  let stopping = false;
  let child: ChildProcess | undefined;

  const run = () => {
    const startedAt = Date.now();
    let serving = false;
    let head = "";
    child = spawn(process.execPath, [...SERVER_NODE_FLAGS, path.resolve("scripts/serve.js")], {
      stdio: ["ignore", "pipe", "inherit"],
      env,
    });
    console.log(`Server process ${child.pid} started.`);
    child.stdout!.on("data", (chunk: Buffer) => {
      process.stdout.write(chunk);
      if (serving) return;
      head = (head + chunk.toString()).slice(-4096);
      if (/is serving on /.test(head)) {
        serving = true;
        failedStarts = 0;
      }
    });
    child.on("exit", (code, signal) => {
      child = undefined;
      if (stopping) process.exit(code ?? 0);
      const ranMs = Date.now() - startedAt;
      const why = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      if (!serving && ++failedStarts >= MAX_FAILED_STARTS) {
        console.error(`The server ${why} before serving, ${failedStarts} times in a row: giving up.`);
        process.exit(1);
      }
      if (ranMs >= HEALTHY_RUN_MS) backoff = BACKOFF_MS;
      console.error(
        `The server ${why} after ${(ranMs / 1000).toFixed(1)} s; restarting in ${(backoff / 1000).toFixed(1)} s.`,
      );
      setTimeout(run, backoff);
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
    });
  };

  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      stopping = true;
      if (child) child.kill(signal);
      else process.exit(0);
    });
  }
  run();
}

async function main() {
  // A person running `npm start` locally gets the database made and filled with the demo content;
  // NODE_ENV=production means a real deployment: the database must exist and be migrated (no demo
  // content, no demo accounts), and SESSION_SECRET must be given.
  const production = process.env.NODE_ENV === "production";
  const databaseUrl = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
  if (!production && !process.env.SESSION_SECRET) process.env.SESSION_SECRET = localSessionSecret(databaseUrl);
  const env = getEnv();
  buildIfNeeded();
  if (production) {
    await checkProductionDatabase(env.DATABASE_URL);
  } else {
    // SQLite's runner is synchronous; PostgreSQL's is not.
    const migrated =
      databaseEngine(env.DATABASE_URL) === "sqlite"
        ? migrate(databaseFilePath(env.DATABASE_URL))
        : await migrateDatabase(env.DATABASE_URL);
    console.log(`Database ${describeDatabase(env.DATABASE_URL)}: ${migrated.applied.length} migration(s) applied.`);
    await seed({ demoAccounts: true });
    await getDb().$disconnect();
  }

  supervise({
    ...process.env,
    PORT: String(env.PORT),
    // The server always runs the production build in production mode; secure cookies need HTTPS,
    // which a local run does not have.
    NODE_ENV: "production",
    // Locally, mail without SMTP_URL goes to data/outbox/ so the links can be clicked (README, Email).
    ...(production ? {} : { VIGNETTE_INSECURE_COOKIES: "1", MAIL_OUTBOX: "1" }),
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
