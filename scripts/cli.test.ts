// The command-line tools as authors run them: real processes, real files, a real SQLite file.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { makeTempDir } from "../tests/support/temp-db";

const tsx = path.resolve("node_modules/.bin/tsx");
const fixtures = path.resolve("tests/fixtures/valid");
const temp = makeTempDir();
afterAll(() => temp.cleanup());

function run(script: string, args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(tsx, [path.resolve("scripts", script), ...args], {
    encoding: "utf8",
    env: { ...process.env, DATABASE_URL: `file:${path.join(temp.dir, "cli.db")}`, ...env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A copy of the valid fixtures with the case file edited as text. */
function brokenCopy(name: string, edit: (text: string) => string, extraFiles: Record<string, string> = {}) {
  const dir = path.join(temp.dir, name);
  fs.cpSync(fixtures, dir, { recursive: true });
  const file = path.join(dir, "mini-case.json");
  fs.writeFileSync(file, edit(fs.readFileSync(file, "utf8")));
  for (const [extra, text] of Object.entries(extraFiles)) fs.writeFileSync(path.join(dir, extra), text);
  return dir;
}

describe("cases:check", () => {
  it("prints a scoring report for valid content and exits 0", () => {
    const { code, stdout } = run("cases-check.ts", [fixtures]);
    expect(code).toBe(0);
    expect(stdout).toContain("best total 3, worst total -2, pass mark 0.7");
    expect(stdout).toContain("2 decision(s), longest path 2 decision(s)");
    expect(stdout).toMatch(/mini-standards:1\.1\s+2\s+-2/);
  });

  it("gives machines JSON with --json", () => {
    const { code, stdout } = run("cases-check.ts", ["--json", fixtures]);
    expect(code).toBe(0);
    const output = JSON.parse(stdout);
    expect(output.ok).toBe(true);
    expect(output.cases[0]).toMatchObject({ slug: "mini-case", bestTotal: 3, decisions: 2, longestPath: 2 });
    expect(output.cases[0].expertPath).toEqual(["q1=decline", "q2=explain"]);
  });

  it("reports every error with file, line, JSON path and a fix, and exits 1", () => {
    const dir = brokenCopy(
      "broken",
      (text) =>
        text
          .replace(
            '"next": "q2",\n          "effects": [{ "standard": "mini-standards:1.1", "points": 2 }]',
            '"next": "q3",\n          "effects": [{ "standard": "mini-standards:1.1", "points": 2 }]',
          )
          .replace('"passMark": 0.7', '"passMark": 7'),
      { "other-case.json": '{ "format": 1,\n  "slug": "other-case",\n  "title": }' },
    );
    const { code, stderr } = run("cases-check.ts", [dir]);
    expect(code).toBe(1);
    // Files outside the working directory are named by their absolute path.
    const file = path.join(dir, "mini-case.json").replace(/[.]/g, "\\.");
    expect(stderr).toMatch(
      new RegExp(`^${file}:29:11: /nodes/q1/choices/0/next: no node "q3" \\(did you mean "q[12]"\\?\\)$`, "m"),
    );
    expect(stderr).toMatch(/mini-case\.json:\d+:\d+: \/passMark: /);
    expect(stderr).toMatch(/other-case\.json:3:12: /);
  });

  it("rejects a case whose file name is not its slug", () => {
    const dir = brokenCopy("renamed", (text) => text.replace('"slug": "mini-case"', '"slug": "another-slug"'));
    const { code, stderr } = run("cases-check.ts", [dir]);
    expect(code).toBe(1);
    expect(stderr).toContain('/slug: the slug "another-slug" must match the file name');
  });

  it("exits 2 on usage errors and 0 on --help", () => {
    expect(run("cases-check.ts", ["--nope"]).code).toBe(2);
    expect(run("cases-check.ts", [path.join(temp.dir, "missing")]).code).toBe(2);
    const help = run("cases-check.ts", ["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: npm run cases:check");
  });
});

describe("cases:import", () => {
  const dbFile = path.join(temp.dir, "import.db");
  const env = { DATABASE_URL: `file:${dbFile}` };
  const versions = () => {
    const db = new Database(dbFile, { readonly: true });
    const rows = db
      .prepare(`SELECT c.slug, v.version FROM "CaseVersion" v JOIN "Case" c ON c.id = v.caseId ORDER BY v.id`)
      .all();
    db.close();
    return rows;
  };

  it("publishes, then reports an unchanged re-import as unchanged", () => {
    const first = run("cases-import.ts", [fixtures], env);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/new\s+case\s+mini-case v1/);
    const second = run("cases-import.ts", [fixtures], env);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/unchanged case\s+mini-case v1/);
    expect(versions()).toEqual([{ slug: "mini-case", version: 1 }]);
  });

  it("imports nothing when one file of the run is invalid", () => {
    const dir = brokenCopy("one-bad", (text) => text.replace('"passMark": 0.7', '"passMark": 0.8'), {
      "bad-case.json": '{ "format": 1 }',
    });
    const before = versions();
    const result = run("cases-import.ts", [dir], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("Nothing was imported");
    expect(versions()).toEqual(before);
  });
});

describe("cases:play", () => {
  const file = path.join(fixtures, "mini-case.json");

  it("plays the expert path to a pass", () => {
    const { code, stdout } = run("cases-play.ts", [file, "--expert"]);
    expect(code).toBe(0);
    expect(stdout).toContain("decision   q1 -> decline");
    expect(stdout).toContain("Total 3 of 3: score 100.0%");
    expect(stdout).toContain("PASSED");
  });

  it("fails a path with a critical choice, whatever its score, and says why", () => {
    const { code, stdout } = run("cases-play.ts", [file, "--choose", "q1=accept,q2=explain"]);
    expect(code).toBe(0);
    expect(stdout).toContain("q1 -> accept  [critical]");
    expect(stdout).toContain("FAILED: critical choice q1=accept");
  });

  it("prints JSON with --json", () => {
    const { stdout } = run("cases-play.ts", [file, "--choose", "q1=decline,q2=ignore", "--json"]);
    const output = JSON.parse(stdout);
    expect(output).toMatchObject({ total: 2, passed: false, reason: "below-pass-mark", outcomeId: "end-poor" });
    expect(output.earned).toEqual({ "mini-standards:1.1": 2, "mini-standards:1.2": 0 });
  });

  it("rejects an impossible path with exit 1 and usage mistakes with exit 2", () => {
    const wrong = run("cases-play.ts", [file, "--choose", "q1=maybe"]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/maybe/);
    expect(run("cases-play.ts", [file]).code).toBe(2);
    expect(run("cases-play.ts", [file, "--choose", "q1"]).code).toBe(2);
  });
});

describe("db:migrate", () => {
  it("migrates the DATABASE_URL file and is idempotent", () => {
    const env = { DATABASE_URL: `file:${path.join(temp.dir, "migrate.db")}` };
    expect(run("migrate.ts", [], env).stdout).toMatch(/[1-9]\d* applied, 0 already applied/);
    expect(run("migrate.ts", [], env).stdout).toMatch(/0 applied, [1-9]\d* already applied/);
  });
});
