// The backup procedure README gives a regulator's IT staff, run for real: db:backup of the live
// database while learners are playing, then db:restore into a stopped deployment, and the restored
// service answering with the learners' records. Bad backups are refused and change nothing.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, text } from "../support/client";
import { startServer, type TestServer } from "../support/server";
import { makeTempDir } from "../support/temp-db";

const fixtures = path.resolve("tests/fixtures/valid");
const PASSWORD = "correct horse battery staple";
let dir: string;
let cleanup: () => void;
beforeAll(() => ({ dir, cleanup } = makeTempDir("vignette-backup-")));
afterAll(() => cleanup());

/** Runs an npm script's command (tsx scripts/NAME.ts) against DATABASE_URL=file:dbFile. */
function run(script: string, args: string[], dbFile: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(path.resolve("node_modules/.bin/tsx"), [`scripts/${script}.ts`, ...args], {
      env: { ...process.env, DATABASE_URL: `file:${dbFile}` },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr.on("data", (c: Buffer) => (output += c.toString()));
    child.on("exit", (code) => resolve({ code, output }));
  });
}

const rowsOf = (file: string) => {
  const db = new Database(file, { readonly: true });
  try {
    const count = (table: string) => db.prepare(`SELECT COUNT(*) FROM "${table}"`).pluck().get() as number;
    return { users: count("User"), steps: count("AttemptStep"), completions: count("Completion") };
  } finally {
    db.close();
  }
};

async function learner(server: TestServer, n: number) {
  const client = new Client(server.url);
  const joined = await client.join({
    name: `Backup Learner ${n}`,
    email: `backup-${n}@learners.test`,
    password: PASSWORD,
    registrationNumber: `B-${n}`,
    regulator: "coto",
    locale: "en",
  });
  expect(joined.status).toBe(302);
  return client;
}

/** Plays mini-case to its good ending; returns how many choice posts were acknowledged. */
async function play(client: Client): Promise<number> {
  await client.get("/cases/mini-case");
  const started = await client.post("/cases/mini-case", {});
  if (started.status !== 302) return 0;
  const url = started.location!;
  let acknowledged = 0;
  for (const [from, fields] of [
    ["context", {}],
    ["q1", { choice: "decline" }],
    ["q2", { choice: "explain" }],
    ["reflect", { reflection: "What I would do next time." }],
  ] as const) {
    await client.get(url);
    const page = await client.post(url, { from, ...fields });
    if (page.status === 302) acknowledged++;
  }
  return acknowledged;
}

describe("db:backup and db:restore", () => {
  let backup: string;
  let restored: string;
  let backupRows: ReturnType<typeof rowsOf>;

  it("backs up the live database while learners play, and verifies the copy", async () => {
    const server = await startServer({ content: [fixtures] });
    try {
      const learners = await Promise.all([1, 2, 3, 4, 5, 6].map((n) => learner(server, n)));
      let playing = true;
      let acknowledged = 0;
      const load = learners.map(async (client) => {
        // Bounded: a handful of attempts each, stopped early once the backup is done.
        for (let round = 0; playing && round < 40; round++) acknowledged += await play(client);
      });
      await new Promise((resolve) => setTimeout(resolve, 500));
      backup = path.join(dir, "vignette-backup.db.gz");
      const result = await run("db-backup", [backup], server.dbFile);
      playing = false;
      await Promise.all(load);
      expect(result.code, result.output).toBe(0);
      expect(result.output).toMatch(/Backed up .* in [\d.]+ s: integrity ok, \d+ migration\(s\)\./);
      expect(acknowledged).toBeGreaterThan(0);
      // gzip, and a consistent snapshot taken while writes went on: no more than the live file has.
      expect(fs.readFileSync(backup).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
      const unpacked = path.join(dir, "unpacked.db");
      expect((await run("db-restore", [backup], unpacked)).code).toBe(0);
      backupRows = rowsOf(unpacked);
      const live = rowsOf(server.dbFile);
      expect(backupRows.users).toBe(6);
      expect(backupRows.steps).toBeGreaterThan(0);
      expect(backupRows.steps).toBeLessThanOrEqual(live.steps);
      // Every attempt in the copy is whole: a step's attempt is there too.
      const db = new Database(unpacked, { readonly: true });
      expect(
        db
          .prepare(`SELECT COUNT(*) FROM AttemptStep s LEFT JOIN Attempt a ON a.id = s.attemptId WHERE a.id IS NULL`)
          .pluck()
          .get(),
      ).toBe(0);
      db.close();
      expect(await run("db-backup", [backup], server.dbFile)).toMatchObject({ code: 1 });
    } finally {
      await server.stop();
    }
  }, 120_000);

  it("restores into a stopped deployment, keeps the database it replaces, and the service runs on it", async () => {
    restored = path.join(dir, "deploy", "vignette.db");
    const first = await run("db-restore", [backup], restored);
    expect(first.code, first.output).toBe(0);
    expect(rowsOf(restored)).toEqual(backupRows);
    const again = await run("db-restore", [backup], restored);
    expect(again.code, again.output).toBe(0);
    const kept = /kept at (.+)\.\n/.exec(again.output)![1]!;
    expect(rowsOf(kept)).toEqual(backupRows);

    const server = await startServer({ dbFile: restored });
    try {
      const client = new Client(server.url);
      expect((await client.login("backup-1@learners.test", PASSWORD)).status).toBe(302);
      expect(text((await client.get("/me/transcript")).html)).toContain("Backup Learner 1");
      // While it serves, the database is open: a restore is refused and changes nothing.
      const refused = await run("db-restore", [backup], restored);
      expect(refused.code).toBe(1);
      expect(refused.output).toContain("looks in use");
    } finally {
      await server.stop();
    }
  }, 120_000);

  it("refuses a file that is not a whole Vignette database, changing nothing", async () => {
    const before = fs.readFileSync(restored);
    const notSqlite = path.join(dir, "notes.txt");
    fs.writeFileSync(notSqlite, "not a database");
    const truncated = path.join(dir, "truncated.db");
    const whole = path.join(dir, "whole.db");
    expect((await run("db-restore", [backup], whole)).code).toBe(0);
    fs.writeFileSync(truncated, fs.readFileSync(whole).subarray(0, 8192));
    for (const [file, message] of [
      [notSqlite, "is not an SQLite database"],
      [truncated, "integrity"],
      [path.join(dir, "absent.db"), "No backup at"],
    ] as const) {
      const result = await run("db-restore", [file], restored);
      expect(result.code, result.output).toBe(1);
      expect(result.output).toContain(message);
      expect(result.output).toContain("Nothing was changed.");
    }
    expect(fs.readFileSync(restored).equals(before)).toBe(true);
  }, 120_000);
});
