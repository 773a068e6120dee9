// cases:convert as an author runs it: a real process, real files in a temporary directory.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { strToU8, zipSync } from "fflate";
import { afterAll, describe, expect, it } from "vitest";
import { makeTempDir } from "../tests/support/temp-db";

const tsx = path.resolve("node_modules/.bin/tsx");
const fixtures = path.resolve("app/engine/convert/fixtures");
const temp = makeTempDir();
afterAll(() => temp.cleanup());

function run(args: string[]) {
  const result = spawnSync(tsx, [path.resolve("scripts/cases-convert.ts"), ...args], { encoding: "utf8" });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("cases:convert", () => {
  it("writes a Twee story as a case file, prints each warning with its passage and line, and exits 0", () => {
    const out = path.join(temp.dir, "cases", "the-shared-post.json");
    const { code, stdout, stderr } = run([
      path.join(fixtures, "sugarcube-story.twee"),
      "--out",
      out,
      "--regulator",
      "demo",
      "--locales",
      "en,fr",
    ]);
    expect(code).toBe(0);
    const value = JSON.parse(fs.readFileSync(out, "utf8"));
    expect(value).toMatchObject({
      slug: "the-shared-post",
      regulator: "demo",
      locales: ["en", "fr"],
      start: "opening",
    });
    expect(stderr).toMatch(
      /sugarcube-story\.twee: passage "Debrief", line 3 \(file line 45\): unsupported: <<back>> goes back/,
    );
    expect(stderr).toMatch(/the-shared-post\.json: \/release: to-fill: write the month of publication/);
    expect(stderr).toMatch(/the-shared-post\.json:\d+:\d+: \/nodes\/opening\/prompt: missing the "fr" text/);
    expect(stdout).toMatch(/^Wrote .*the-shared-post\.json from .*sugarcube-story\.twee: \d+ warning\(s\)/);
  });

  it("refuses to overwrite without --force, and overwrites with it", () => {
    const out = path.join(temp.dir, "existing.json");
    fs.writeFileSync(out, "mine");
    const input = path.join(fixtures, "harlowe-story.html");
    const refused = run([input, "--out", out]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("exists; nothing was written (add --force to overwrite it)");
    expect(fs.readFileSync(out, "utf8")).toBe("mine");
    const forced = run([input, "--out", out, "--force", "--slug", "existing"]);
    expect(forced.code).toBe(0);
    expect(JSON.parse(fs.readFileSync(out, "utf8")).slug).toBe("existing");
  });

  it("converts an .h5p package, reading its language", () => {
    const files = JSON.parse(fs.readFileSync(path.join(fixtures, "branching-scenario.h5p.json"), "utf8"));
    const input = path.join(temp.dir, "scenario.h5p");
    fs.writeFileSync(
      input,
      zipSync(Object.fromEntries(Object.entries(files).map(([name, v]) => [name, strToU8(JSON.stringify(v))]))),
    );
    const out = path.join(temp.dir, "limites-a-la-clinique.json");
    const { code, stderr } = run([input, "--out", out]);
    expect(code).toBe(0);
    expect(JSON.parse(fs.readFileSync(out, "utf8")).locales).toEqual(["fr"]);
    expect(stderr).toContain(
      "scenario.h5p: content 4 (content.json /branchingScenario/content/4/type/params/branchingQuestion/alternatives/1): loop: this goes back",
    );
  });

  it("exits 1 and writes nothing when the file cannot be converted, 2 on usage errors", () => {
    const input = path.join(temp.dir, "not-a-story.html");
    fs.writeFileSync(input, "<html><body>hello</body></html>");
    const out = path.join(temp.dir, "nothing.json");
    const failed = run([input, "--out", out]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain("not-a-story.html: the HTML has no <tw-storydata> element");
    expect(fs.existsSync(out)).toBe(false);
    expect(run([input]).code).toBe(2);
    expect(run([input, "--out", out, "--locale", "de"]).stderr).toContain('--locale "de" is not a supported locale');
    expect(run(["--help"]).code).toBe(0);
  });
});
