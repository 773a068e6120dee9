import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "./canonical";
import type { Catalog, CaseFile } from "./schema";
import { baseCase, baseCatalog, catalogMap, prng, randomCase } from "./test-fixtures";
import { localizedTexts } from "./texts";
import { validateCase } from "./validate";
import {
  exportXliff,
  importXliff,
  pointerOfUnitId,
  readXliff,
  sha256Hex,
  textBaseline,
  xliffBaseline,
  xliffUnitId,
  type XliffVersion,
} from "./xliff";

const ROOT = path.resolve(__dirname, "../..");
const json = (file: string) => JSON.parse(fs.readFileSync(path.join(ROOT, file), "utf8")) as unknown;
const jsonFiles = (dir: string) =>
  fs
    .readdirSync(path.join(ROOT, dir))
    .filter((f) => f.endsWith(".json"))
    .map((f) => path.join(dir, f));

const options = (version: XliffVersion = "2.1") => ({
  sourceLocale: "en" as const,
  targetLocale: "fr" as const,
  version,
  original: "case.json",
});

/** The imported value, asserting the import succeeded. */
function imported(xml: string, current: CaseFile | Catalog) {
  const result = importXliff(xml, current);
  if (!result.ok) throw new Error(`import failed: ${result.code} ${result.message}`);
  return result.value;
}

/** Replaces the target of the unit named `pointer` (2.1 export layout). */
function retarget(xml: string, pointer: string, target: string): string {
  const at = xml.indexOf(`name="${pointer}"`);
  expect(at).toBeGreaterThan(-1);
  const start = xml.indexOf("<target", at);
  const end = xml.indexOf("</target>", start) + "</target>".length;
  return `${xml.slice(0, start)}<target xml:space="preserve">${target}</target>${xml.slice(end)}`;
}

describe("XLIFF: the pieces", () => {
  it("hashes like node:crypto's SHA-256, over UTF-8", () => {
    for (const text of ["", "abc", "é — 😀", "x".repeat(55), "y".repeat(56), "z".repeat(64), "w".repeat(1000)]) {
      expect(sha256Hex(text)).toBe(createHash("sha256").update(text, "utf8").digest("hex"));
    }
  });

  it("turns a pointer into an NMTOKEN unit id and back", () => {
    const nmtoken = /^[A-Za-z0-9._:-]+$/;
    for (const pointer of ["/title", "/nodes/q1/choices/0/feedback", "/items/2/items/0/text", "/nodes/a~1b/x.y/é z"]) {
      const id = xliffUnitId(pointer);
      expect(id).toMatch(nmtoken);
      expect(pointerOfUnitId(id)).toBe(pointer);
    }
    expect(xliffUnitId("/nodes/q1/choices/0/label")).toBe("nodes.q1.choices.0.label");
    expect(pointerOfUnitId("bad/id")).toBeNull();
  });

  it("finds every localized text, including ones the format adds later, but not per-locale pictures", () => {
    const value = baseCase() as unknown as Record<string, any>;
    value.nodes.context.image = {
      src: "sha256:" + "a".repeat(64),
      alt: { en: "A ward", fr: "Une salle" },
      caption: { en: "Ward 3" },
      variants: { fr: "sha256:" + "b".repeat(64) },
    };
    const pointers = localizedTexts(value).map((e) => e.pointer);
    expect(pointers).toContain("/nodes/context/image/alt");
    expect(pointers).toContain("/nodes/context/image/caption");
    expect(pointers.some((p) => p.includes("variants"))).toBe(false);
    const feedback = localizedTexts(value).find((e) => e.field === "feedback")!;
    expect(feedback).toMatchObject({ node: { id: "q1", kind: "decision" }, choice: { id: "decline" } });
    const xml = exportXliff(value as CaseFile, options());
    expect(xml).toContain('name="/nodes/context/image/alt"');
    expect(xml).toContain('<target xml:space="preserve">Une salle</target>');
  });
});

describe("XLIFF export", () => {
  it("writes XLIFF 2.1 units named by pointer, with context notes and the existing targets", () => {
    const xml = exportXliff(baseCase(), options());
    expect(xml).toContain(
      '<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.1" srcLang="en" trgLang="fr">',
    );
    expect(xml).toContain(`<file id="case.${baseCase().slug}" original="case.json">`);
    expect(xml).toMatch(
      /<unit id="nodes\.q1\.choices\.0\.feedback" name="\/nodes\/q1\/choices\/0\/feedback" canResegment="no">/,
    );
    const unit = xml.slice(xml.indexOf('name="/nodes/q1/choices/0/feedback"'));
    const notes = unit.slice(0, unit.indexOf("</notes>"));
    expect(notes).toContain('<note category="node">decision q1</note>');
    expect(notes).toContain('<note category="field">feedback</note>');
    expect(notes).toContain('<note category="choice">choice decline: Decline</note>');
    expect(unit.slice(0, unit.indexOf("</unit>"))).toContain('<segment state="translated">');
    const read = readXliff(xml);
    expect(read.ok).toBe(true);
  });

  it("writes XLIFF 1.2 with the pointer as trans-unit id and resname", () => {
    const xml = exportXliff(baseCatalog(), options("1.2"));
    expect(xml).toContain('<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2">');
    expect(xml).toContain('source-language="en" target-language="fr" datatype="plaintext"');
    expect(xml).toMatch(/<trans-unit id="\/items\/0\/title" resname="\/items\/0\/title" xml:space="preserve">/);
    expect(xml).toContain('<note from="item">standard');
  });

  it("marks units whose source changed since the baseline as needing review", () => {
    const before = baseCase();
    const baseline = textBaseline(before, "en");
    const after = structuredClone(before) as any;
    after.nodes.q1.prompt.en = "A new prompt";
    const xml = exportXliff(after, { ...options(), baseline });
    const unit = xml.slice(xml.indexOf('name="/nodes/q1/prompt"'));
    expect(unit.slice(0, unit.indexOf("</unit>"))).toContain('<segment state="initial">');
    expect(unit).toContain('category="review"');
    expect(xml.match(/state="initial"/g)).toHaveLength(1);
    const old = exportXliff(after, { ...options("1.2"), baseline });
    expect(old.match(/state="needs-review-translation"/g)).toHaveLength(1);
    // The baseline a file's import sets is the one its own sources give.
    expect(xliffBaseline(exportXliff(before, options()))).toEqual({ ok: true, value: baseline });
  });
});

describe("XLIFF round trip: export, translate nothing, import gives the same canonical file", () => {
  const cases = jsonFiles("cases").map((f) => [f, json(f)] as const);
  const catalogs = jsonFiles("cases/standards").map((f) => [f, json(f)] as const);
  const fixtures = [
    json("tests/fixtures/valid/mini-case.json"),
    json("tests/fixtures/valid/standards/mini-standards.json"),
  ];
  const random = prng(20261214);
  const seeded = Array.from({ length: 25 }, (_, i) => [`seed ${i}`, randomCase(random)] as const);
  const all = [...cases, ...catalogs, ...fixtures.map((f, i) => [`fixture ${i}`, f] as const), ...seeded];

  it("covers the demo cases and catalogs", () => {
    expect(cases.length).toBeGreaterThanOrEqual(2);
    expect(catalogs.length).toBeGreaterThanOrEqual(2);
  });

  for (const version of ["2.1", "1.2"] as const) {
    it(`keeps every file identical (XLIFF ${version})`, () => {
      for (const [name, value] of all) {
        const file = value as CaseFile;
        const xml = exportXliff(file, options(version));
        const result = imported(xml, file);
        expect(canonicalJson(result.value), name).toBe(canonicalJson(value));
        expect(result.applied, name).toBe(0);
        expect(result.diagnostics, name).toEqual([]);
        expect(result.needsReview, name).toEqual([]);
        // and back the other way
        const back = imported(exportXliff(file, { ...options(version), sourceLocale: "fr", targetLocale: "en" }), file);
        expect(canonicalJson(back.value), name).toBe(canonicalJson(value));
      }
    });
  }

  it("keeps characters XML treats specially", () => {
    const value = baseCase() as any;
    value.nodes.context.body.fr = "  a & b < c > d \"q\" 'a' ]]> \r\n line\ttab 😀 \\ &amp; trailing  ";
    value.title.fr = "<b>not html here</b>";
    for (const version of ["2.1", "1.2"] as const) {
      const result = imported(exportXliff(value, options(version)), value);
      expect(canonicalJson(result.value)).toBe(canonicalJson(value));
    }
  });
});

describe("XLIFF import", () => {
  it("applies translated targets and leaves the source alone", () => {
    const file = baseCase();
    const xml = retarget(exportXliff(file, options()), "/nodes/q1/prompt", "Nouvelle question &amp; plus");
    const result = imported(xml, file);
    const before = file.nodes.q1 as { prompt: { en: string } };
    expect((result.value as CaseFile).nodes.q1).toMatchObject({
      prompt: { en: before.prompt.en, fr: "Nouvelle question & plus" },
    });
    expect(result.applied).toBe(1);
    expect(file.nodes.q1).toEqual(baseCase().nodes.q1); // the input is not changed
  });

  it("reads segments, groups and inline markers that wrap text; refuses placeholders", () => {
    const file = baseCase();
    const xml = `<?xml version="1.0"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en-CA" trgLang="fr-CA">
 <file id="case.${file.slug}">
  <group id="g1">
   <unit id="u1" name="/title"><segment><source>${file.title.en}</source><target>Une <mrk id="m1" translate="no">demande</mrk> </target></segment><segment><source></source><target>d'ami</target></segment></unit>
  </group>
  <unit id="u2" name="/summary"><segment><source>${file.summary.en}</source><target>Avec <ph id="p1"/> code</target></segment></unit>
 </file>
</xliff>`;
    const result = imported(xml, file);
    expect((result.value as CaseFile).title.fr).toBe("Une demande d'ami");
    expect(result.diagnostics.find((d) => d.code === "inline-codes")).toMatchObject({
      unit: "u2",
      pointer: "/summary",
      line: 7,
    });
    expect((result.value as CaseFile).summary.fr).toBe(file.summary.fr);
  });

  it("lists units translated from a changed source as needing review", () => {
    const exported = baseCase();
    const xml = retarget(exportXliff(exported, options()), "/nodes/q1/prompt", "Traduit de l'ancienne");
    const now = structuredClone(exported) as any;
    now.nodes.q1.prompt.en = "The prompt, rewritten";
    const result = imported(xml, now);
    expect(result.needsReview).toEqual([
      expect.objectContaining({
        pointer: "/nodes/q1/prompt",
        unit: "nodes.q1.prompt",
        current: "The prompt, rewritten",
        line: expect.any(Number),
      }),
    ]);
    expect(result.needsReview[0]!.line).toBeGreaterThan(1);
    // The baseline keeps what the translator translated from: the next export still asks for review.
    expect(result.baseline["/nodes/q1/prompt"]).toBe(
      sha256Hex((exported.nodes.q1 as { prompt: { en: string } }).prompt.en),
    );
    const next = exportXliff(result.value, { ...options(), baseline: result.baseline });
    expect(next.match(/state="initial"/g)).toHaveLength(1);
    expect(next.slice(next.indexOf('name="/nodes/q1/prompt"'))).toMatch(/^[^]*?<segment state="initial">/);
  });

  it("never writes a target outside the file's localized texts, and says where each skipped unit is", () => {
    const file = baseCase();
    const xml = exportXliff(file, options()).replace(
      "  </file>",
      [
        '    <unit id="x1" name="/slug"><segment><source>a</source><target>pirate</target></segment></unit>',
        '    <unit id="x2" name="/nodes/q1/choices/0/next"><segment><source>a</source><target>q9</target></segment></unit>',
        '    <unit id="x3" name="/nodes/q9/title"><segment><source>a</source><target>t</target></segment></unit>',
        '    <unit id="x4" name="/nodes/q1/prompt"><segment><source>a</source><target>twice</target></segment></unit>',
        '    <unit id="x5" name="/__proto__/polluted"><segment><source>a</source><target>x</target></segment></unit>',
        '    <unit id="x6" name="/nodes/q1/title"><segment><source>a</source><target xml:lang="de">Titel</target></segment></unit>',
        "  </file>",
      ].join("\n"),
    );
    const result = imported(xml, file);
    expect(canonicalJson(result.value)).toBe(canonicalJson(file));
    expect(result.diagnostics.map((d) => [d.code, d.unit])).toEqual([
      ["unknown-pointer", "x1"],
      ["unknown-pointer", "x2"],
      ["unknown-pointer", "x3"],
      ["duplicate-unit", "x4"],
      ["unknown-pointer", "x5"],
      ["unknown-pointer", "x6"],
    ]);
    const lines = xml.split("\n");
    for (const d of result.diagnostics) expect(lines[d.line! - 1]).toContain(`id="${d.unit}"`);
    // Windows and old Mac line ends count one line each, as in the JSON source.
    for (const end of ["\r\n", "\r"]) {
      expect(imported(xml.replaceAll("\n", end), file).diagnostics.map((d) => d.line)).toEqual(
        result.diagnostics.map((d) => d.line),
      );
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("reports a target in another language, and the file's texts the translation lacks", () => {
    const file = baseCase();
    let xml = exportXliff(file, options("1.2"));
    xml = xml.replace('<target state="translated">', '<target state="translated" xml:lang="de">');
    const units = xml.split("<trans-unit");
    xml = [units[0], ...units.slice(1, -1)].join("<trans-unit") + "</body>\n  </file>\n</xliff>\n";
    const result = imported(xml, file);
    expect(result.diagnostics[0]).toMatchObject({ code: "wrong-language", unit: "/title" });
    expect(result.diagnostics.at(-1)).toMatchObject({ code: "missing-unit", unit: null, line: null });
    expect(canonicalJson(result.value)).toBe(canonicalJson(file));
  });

  it("refuses the whole file when it is not XML, not XLIFF, another version, other languages or another case", () => {
    const file = baseCase();
    const good = exportXliff(file, options());
    const cases: [string, string, number?][] = [
      [good.replace("</file>", "</fil>"), "malformed", 0],
      ["{}", "malformed"],
      ["<html><body/></html>", "not-xliff"],
      [good.replace('version="2.1"', 'version="3.0"'), "unsupported-version"],
      [good.replace("document:2.0", "document:2.2"), "unsupported-version"],
      [good.replace('trgLang="fr"', 'trgLang="de"'), "languages"],
      [good.replace('trgLang="fr"', 'trgLang="en"'), "languages"],
      [good.replace(`id="case.${file.slug}"`, 'id="case.another"'), "other-file"],
      ['<!DOCTYPE x [<!ENTITY a "aaaa">]>' + good.slice(good.indexOf("<xliff")), "doctype"],
    ];
    for (const [xml, code, line] of cases) {
      const result = importXliff(xml, file);
      expect(result.ok ? "ok" : result.code, xml.slice(0, 80)).toBe(code);
      if (!result.ok) expect(result.message.length).toBeGreaterThan(5);
      if (line !== undefined && !result.ok) expect(result.line).toBeGreaterThan(1);
    }
    const englishOnly = { ...file, locales: ["en"] } as CaseFile;
    const onlyEn = importXliff(good, englishOnly);
    expect(onlyEn.ok ? "ok" : onlyEn.code).toBe("languages");
  });

  it("leaves raw HTML in a target for the normal validator to report, at the text's pointer", () => {
    const file = baseCase();
    const xml = retarget(exportXliff(file, options()), "/nodes/q1/prompt", "Bonjour &lt;script&gt;x=1&lt;/script&gt;");
    const result = imported(xml, file);
    const check = validateCase({ file: "case.json", value: result.value }, catalogMap());
    const errors = check.diagnostics.filter((d) => d.severity === "error");
    expect(errors.map((d) => d.path)).toEqual(["/nodes/q1/prompt/fr"]);
    expect(errors[0]!.message).toMatch(/raw HTML/);
  });
});
