// cases:xliff as translators' coordinators run it: real processes, real files.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { canonicalJson } from "~/engine";
import { makeTempDir } from "../tests/support/temp-db";

const tsx = path.resolve("node_modules/.bin/tsx");
const fixtures = path.resolve("tests/fixtures/valid");
const temp = makeTempDir();
afterAll(() => temp.cleanup());

function run(args: string[]) {
  const result = spawnSync(tsx, [path.resolve("scripts/cases-xliff.ts"), ...args], { encoding: "utf8" });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function copyFixtures(name: string): string {
  const dir = path.join(temp.dir, name);
  fs.cpSync(fixtures, dir, { recursive: true });
  return dir;
}

const read = (file: string) => fs.readFileSync(file, "utf8");

describe("cases:xliff", () => {
  it("exports a case, and importing the untouched file gives the same case", () => {
    const dir = copyFixtures("round-trip");
    const caseFile = path.join(dir, "mini-case.json");
    const xlf = path.join(dir, "mini-case.fr.xlf");
    const exported = run(["export", caseFile, "--target", "fr", "--out", xlf]);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toMatch(/XLIFF 2\.1, en → fr, \d+ unit\(s\)/);
    expect(read(xlf)).toContain('name="/nodes/q1/choices/0/feedback"');
    const out = path.join(dir, "new.json");
    const imported = run(["import", xlf, "--case", caseFile, "--out", out]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toContain("0 text(s) changed");
    expect(canonicalJson(JSON.parse(read(out)))).toBe(canonicalJson(JSON.parse(read(caseFile))));
  });

  it("applies a translation, marks changed sources from a baseline, and works for catalogs in 1.2", () => {
    const dir = copyFixtures("translate");
    const caseFile = path.join(dir, "mini-case.json");
    const xlf = path.join(dir, "a.xlf");
    expect(run(["export", caseFile, "--target", "fr", "--out", xlf, "--xliff", "1.2"]).code).toBe(0);
    const original = JSON.parse(read(caseFile));
    const titleFr = original.title.fr as string;
    fs.writeFileSync(xlf, read(xlf).replace(`>${titleFr}</target>`, ">Un titre traduit</target>"));
    const out = path.join(dir, "new.json");
    const imported = run(["import", xlf, "--case", caseFile, "--out", out]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toContain("1 text(s) changed");
    expect(JSON.parse(read(out)).title.fr).toBe("Un titre traduit");

    // The author rewrites the English title: the next export marks that unit for review.
    const changed = { ...JSON.parse(read(out)), title: { en: "A rewritten title", fr: "Un titre traduit" } };
    fs.writeFileSync(caseFile, JSON.stringify(changed, null, 2));
    const next = path.join(dir, "b.xlf");
    const again = run(["export", caseFile, "--target", "fr", "--out", next, "--baseline", xlf]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain("1 marked for review");
    expect(read(next).match(/state="initial"/g)).toHaveLength(1);

    // Importing the old translation into the changed case lists the unit for review.
    const review = run(["import", xlf, "--case", caseFile, "--out", path.join(dir, "c.json")]);
    expect(review.code, review.stderr).toBe(0);
    expect(review.stderr).toMatch(/a\.xlf:\d+: review: \/title: translated from a source that has changed/);

    const catalog = path.join(dir, "standards", "mini-standards.json");
    const catalogXlf = path.join(dir, "cat.xlf");
    expect(run(["export", catalog, "--target", "fr", "--out", catalogXlf, "--xliff", "1.2"]).code).toBe(0);
    expect(read(catalogXlf)).toContain('<trans-unit id="/items/0/title"');
    const catalogOut = path.join(dir, "cat.json");
    expect(run(["import", catalogXlf, "--case", catalog, "--out", catalogOut]).code).toBe(0);
    expect(canonicalJson(JSON.parse(read(catalogOut)))).toBe(canonicalJson(JSON.parse(read(catalog))));
  });

  it("writes nothing when the translation brings raw HTML, or the file is not XLIFF, and exits 1", () => {
    const dir = copyFixtures("refuse");
    const caseFile = path.join(dir, "mini-case.json");
    const xlf = path.join(dir, "a.xlf");
    expect(run(["export", caseFile, "--target", "fr", "--out", xlf]).code).toBe(0);
    const titleFr = JSON.parse(read(caseFile)).title.fr as string;
    fs.writeFileSync(xlf, read(xlf).replace(`>${titleFr}</target>`, ">Salut &lt;b&gt;toi&lt;/b&gt;</target>"));
    const out = path.join(dir, "new.json");
    const html = run(["import", xlf, "--case", caseFile, "--out", out]);
    expect(html.code).toBe(1);
    expect(html.stderr).toMatch(/\/title\/fr: .*raw HTML/);
    expect(html.stderr).toContain("was not written");
    expect(fs.existsSync(out)).toBe(false);

    fs.writeFileSync(xlf, "<xliff version='2.1'><file>");
    const broken = run(["import", xlf, "--case", caseFile, "--out", out]);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/a\.xlf(:\d+)?: error: .*nothing was applied/);
    expect(fs.existsSync(out)).toBe(false);
  });

  it("explains its usage and exits 2", () => {
    expect(run(["export", path.join(fixtures, "mini-case.json"), "--out", "x.xlf"]).code).toBe(2);
    expect(run(["translate", "x"]).code).toBe(2);
    const bad = run(["export", path.join(fixtures, "mini-case.json"), "--target", "de", "--out", "x.xlf"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--target must be one of en, fr");
  });
});
