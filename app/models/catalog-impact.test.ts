import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { validateCatalog, type Catalog } from "~/engine";
import { loadContent } from "~/utils/case-files.server";
import { getDb } from "~/utils/db.server";
import { insertUser, setupModelDb } from "../../tests/support/model-db";
import { catalogImpactFor, catalogImpactOfFile } from "./catalog-impact.server";
import { publishContent } from "./content.server";
import { onlyRegulator, retireCase } from "./studio.server";

setupModelDb();
const fixtures = path.resolve("tests/fixtures/valid");
const catalogText = fs.readFileSync(path.join(fixtures, "standards/mini-standards.json"), "utf8");
const caseText = fs.readFileSync(path.join(fixtures, "mini-case.json"), "utf8");
const demo = onlyRegulator("demo");

/** mini-standards without clause 1.2. */
const withoutChannels = (): Catalog => {
  const value = JSON.parse(catalogText);
  value.items[0].items.pop();
  const { catalog } = validateCatalog({ file: "mini-standards.json", value });
  return catalog!;
};

let author: string;
async function draft(status: string, regulator = "demo", slug = "mini-case") {
  const source = caseText.replace('"regulator": "demo"', `"regulator": "${regulator}"`);
  return getDb().caseDraft.create({
    data: { slug, regulator, source, status, createdById: author, updatedById: author },
    select: { id: true },
  });
}

beforeAll(async () => {
  await publishContent(getDb(), loadContent([fixtures], { fallbackCatalogDir: path.join(fixtures, "standards") }));
  author = (await insertUser("impact@example.test", ["author"])).id;
});

describe("catalogImpactFor", () => {
  it("has nothing to say about a catalog's first version, or a file that does not validate", async () => {
    const value = JSON.parse(catalogText);
    value.id = "brand-new";
    expect(await catalogImpactOfFile("new.json", JSON.stringify(value), demo)).toBeNull();
    expect(await catalogImpactOfFile("bad.json", "{", demo)).toBeNull();
  });

  it("lists the latest version and the open drafts of the viewer's regulators, and counts the others", async () => {
    const editing = await draft("editing");
    const inReview = await draft("in_review");
    await draft("approved");
    await draft("editing", "coto", "coto-copy");
    const impact = (await catalogImpactFor(withoutChannels(), demo))!;
    expect(impact.changes.map((c) => [c.code, c.kinds])).toEqual([["1.2", ["removed"]]]);
    expect(impact.cases.map((c) => c.ref)).toEqual([{ version: 1 }, { draftId: editing.id }, { draftId: inReview.id }]);
    expect(impact.cases[0]!.choices.map((c) => [c.nodeId, c.choiceId, c.points])).toEqual([["q2", "explain", 1]]);
    expect(impact.otherCases).toBe(1);
    // Seen from coto: its draft is listed, demo's case and two open drafts are only counted.
    const fromCoto = (await catalogImpactFor(withoutChannels(), onlyRegulator("coto")))!;
    expect(fromCoto.cases.map((c) => c.slug)).toEqual(["coto-copy"]);
    expect(fromCoto.otherCases).toBe(3);
  });

  it("leaves out a retired case, and lists no case when no clause changed", async () => {
    expect((await retireCase("mini-case", author, demo)).ok).toBe(true);
    const impact = (await catalogImpactFor(withoutChannels(), demo))!;
    expect(impact.cases.some((c) => "version" in c.ref)).toBe(false);
    const same = validateCatalog({ file: "mini-standards.json", text: catalogText.replace('"1"', '"2"') }).catalog!;
    expect(await catalogImpactFor(same, demo)).toEqual({ changes: [], cases: [], otherCases: 0 });
  });
});
