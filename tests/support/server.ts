// A real server for integration tests: a fresh SQLite file (or, with TEST_DATABASE_ENGINE=postgresql,
// a fresh PostgreSQL database) migrated by the real runner, content published by the real importer,
// and scripts/serve.js (the production server) on a free port.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { publishContent } from "~/models/content.server";
import { loadContent } from "~/utils/case-files.server";
import { createDb } from "~/utils/db.server";
import { migrate } from "~/utils/migrate.server";
import { publishFiles } from "../../scripts/lib/publish";
import { makeMigratedPostgresql, onPostgresql } from "./postgres";
import { makeTempDir } from "./temp-db";

const TEST_SESSION_SECRET = "integration-tests-secret-0123456789-abcdef";

export type TestServer = {
  url: string;
  /** The SQLite file, or on PostgreSQL the database's URL: what createDb and publish take. */
  dbFile: string;
  /** The DATABASE_URL the server was given (`file:…` or `postgresql://…`), for CLIs run beside it. */
  databaseUrl: string;
  stop: () => Promise<void>;
  output: () => string;
  /** Sends a signal to the server process. */
  kill: (signal: NodeJS.Signals) => void;
  /** Settles with the exit code (or signal) when the server process ends. */
  exited: Promise<number | string | null>;
};

/**
 * Publishes the content at `paths` (case files or directories) into the database file, with the
 * demo regulators' profiles (cases/regulators/), so learners may register with any of them.
 */
export async function publish(dbFile: string, paths: string[]): Promise<void> {
  // The running server writes to the same file: on a loaded machine its writes held this one past
  // the default 5 s busy wait once (clean-clone CI); a test's publication may wait 30 s.
  const db = createDb(dbFile, { busyTimeoutMs: 30_000 });
  try {
    await publishFiles(db, paths);
    const { regulators } = loadContent([path.resolve("cases")]);
    await publishContent(db, { regulators, catalogs: [], cases: [] });
  } finally {
    await db.$disconnect();
  }
}

/** Publishes a second version of the fixture mini-case, whose q1 prompt (English) reads `q1Prompt`. */
export async function publishMiniCaseVersion(dbFile: string, q1Prompt: string): Promise<void> {
  const { dir, cleanup } = makeTempDir("vignette-v2-");
  try {
    fs.cpSync(path.resolve("tests/fixtures/valid"), dir, { recursive: true });
    const file = path.join(dir, "mini-case.json");
    const value = JSON.parse(fs.readFileSync(file, "utf8"));
    value.nodes.q1.prompt.en = q1Prompt;
    fs.writeFileSync(file, JSON.stringify(value));
    await publish(dbFile, [dir]);
  } finally {
    cleanup();
  }
}

/**
 * The production server on a fresh database with `content` published, or on the existing
 * database `dbFile` as it is (which stop() then leaves in place).
 */
export async function startServer(
  options: { content?: string[]; env?: Record<string, string>; dbFile?: string } = {},
): Promise<TestServer> {
  const { dir, cleanup: removeDir } = makeTempDir("vignette-it-");
  let cleanup = removeDir;
  let dbFile = options.dbFile ?? path.join(dir, "app.db");
  if (!options.dbFile && onPostgresql) {
    const database = await makeMigratedPostgresql();
    dbFile = database.url;
    cleanup = () => {
      removeDir();
      return database.drop();
    };
    await publish(dbFile, options.content ?? [path.resolve("cases")]);
  } else if (!options.dbFile) {
    migrate(dbFile);
    await publish(dbFile, options.content ?? [path.resolve("cases")]);
  }
  const databaseUrl = dbFile.startsWith("postgres") ? dbFile : `file:${dbFile}`;
  // Models used directly by a test talk to the same database.
  process.env.DATABASE_URL = databaseUrl;

  let output = "";
  const child: ChildProcess = spawn(process.execPath, [path.resolve("scripts/serve.js")], {
    env: {
      ...process.env,
      PORT: "0",
      HOST: "127.0.0.1",
      DATABASE_URL: databaseUrl,
      NODE_ENV: "production",
      SESSION_SECRET: TEST_SESSION_SECRET,
      VIGNETTE_INSECURE_COOKIES: "1",
      LOG_REQUESTS: "0",
      // Suites sign up many people from one address; throttle.test.ts tests the real limit.
      JOIN_LIMIT_PER_HOUR: "100000",
      // Due-date reminders would queue mail into other suites' mailboxes; reminders.test.ts turns them on.
      REMINDER_SWEEP_MINUTES: "0",
      // The analytics suites clear attempts between tests; a background catch-up would race them.
      // The page catches up before it reads; analytics-sweep.test.ts turns the background one on.
      ANALYTICS_TALLY_MINUTES: "0",
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    // Generous: on a busy 2-core machine (four agents, builds, other servers) a start can take a minute.
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 90_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /serving on (http:\/\/localhost:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!.replace("localhost", "127.0.0.1"));
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("exit", (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
  const exited = new Promise<number | string | null>((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once("exit", (code, signal) => resolve(code ?? signal));
  });
  return {
    url,
    dbFile,
    databaseUrl,
    output: () => output,
    kill: (signal) => child.kill(signal),
    exited,
    stop: async () => {
      await new Promise<void>((resolve) => {
        // A child killed by a signal has signalCode set and exitCode null; it will not exit again.
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      });
      await cleanup();
    },
  };
}
