import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { loadContent } from "~/utils/case-files.server";
import { createDb } from "~/utils/db.server";
import { makeMigratedDb, makeTempDir } from "../../tests/support/temp-db";
import { publishContent, PublishError } from "./content.server";

const fixtures = path.resolve("tests/fixtures/valid");
const isolated = { fallbackCatalogDir: path.join(fixtures, "standards") };

const database = makeMigratedDb();
const db = createDb(database.file);
afterAll(async () => {
  await db.$disconnect();
  await database.cleanup();
});

beforeEach(async () => {
  await db.caseVersionCatalog.deleteMany();
  await db.caseVersion.deleteMany();
  await db.case.deleteMany();
  await db.catalogVersion.deleteMany();
  await db.catalog.deleteMany();
});

/** A copy of the fixtures that a test may edit. */
function editableFixtures() {
  const { dir, cleanup } = makeTempDir();
  fs.cpSync(fixtures, dir, { recursive: true });
  const caseFile = path.join(dir, "mini-case.json");
  const edit = (mutate: (value: Record<string, any>) => void, file = caseFile) => {
    const value = JSON.parse(fs.readFileSync(file, "utf8"));
    mutate(value);
    fs.writeFileSync(file, JSON.stringify(value, null, 2));
  };
  return { dir, caseFile, edit, cleanup };
}

async function snapshot() {
  return {
    cases: await db.case.findMany({ orderBy: { id: "asc" } }),
    versions: await db.caseVersion.findMany({ orderBy: { id: "asc" } }),
    catalogs: await db.catalogVersion.findMany({ orderBy: { id: "asc" } }),
    links: await db.caseVersionCatalog.findMany(),
  };
}

describe("publishContent", () => {
  it("schedules versions for later when asked, and says so in the audit log", async () => {
    const now = new Date("2026-01-10T12:00:00Z");
    const publishAt = new Date("2026-02-01T05:00:00Z");
    await publishContent(db, loadContent([fixtures], isolated), { now, publishAt, actorId: null });
    const version = await db.caseVersion.findFirstOrThrow();
    expect(version.publishedAt).toEqual(publishAt);
    const entry = await db.auditEntry.findFirstOrThrow({ where: { subject: "mini-case" }, orderBy: { id: "desc" } });
    expect(entry.action).toBe("scheduled");
  });

  it("publishes cases and catalogs as version 1 with their source, hash and scoring figures", async () => {
    const content = loadContent([fixtures], isolated);
    const report = await publishContent(db, content);
    expect(report).toEqual([
      expect.objectContaining({ kind: "regulator", id: "demo", version: 1 }),
      expect.objectContaining({ kind: "catalog", id: "mini-standards", version: 1, status: "new" }),
      expect.objectContaining({ kind: "case", id: "mini-case", version: 1, status: "new" }),
    ]);
    const version = await db.caseVersion.findFirstOrThrow({ include: { case: true, catalogs: true } });
    expect(version.case.slug).toBe("mini-case");
    expect(version.source).toBe(fs.readFileSync(path.join(fixtures, "mini-case.json"), "utf8"));
    expect(version.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(version.bestTotal).toBe(3);
    expect(version.decisionCount).toBe(2);
    expect(JSON.parse(version.title)).toEqual({ en: "A follow request", fr: "Une demande d'abonnement" });
    expect(version.catalogs).toHaveLength(1);
  });

  it("reports an unchanged re-import as unchanged and writes nothing (idempotence)", async () => {
    await publishContent(db, loadContent([fixtures], isolated));
    const before = await snapshot();
    const again = await publishContent(db, loadContent([fixtures], isolated));
    expect(again.map((r) => r.status)).toEqual(["unchanged", "unchanged", "unchanged"]);
    expect(await snapshot()).toEqual(before);
  });

  it("treats formatting-only edits as unchanged: versions are named by canonical content", async () => {
    const copy = editableFixtures();
    await publishContent(db, loadContent([copy.dir], isolated));
    const text = fs.readFileSync(copy.caseFile, "utf8");
    fs.writeFileSync(copy.caseFile, JSON.stringify(JSON.parse(text)));
    const report = await publishContent(db, loadContent([copy.dir], isolated));
    expect(report.find((r) => r.kind === "case")?.status).toBe("unchanged");
    copy.cleanup();
  });

  it("makes a changed case a new immutable version and leaves the old one as it was", async () => {
    const copy = editableFixtures();
    await publishContent(db, loadContent([copy.dir], isolated));
    const v1 = await db.caseVersion.findFirstOrThrow();
    copy.edit((value) => {
      value.passMark = 0.5;
    });
    const report = await publishContent(db, loadContent([copy.dir], isolated));
    expect(report.find((r) => r.kind === "case")).toMatchObject({ status: "updated", version: 2 });
    expect(await db.caseVersion.findUniqueOrThrow({ where: { id: v1.id } })).toEqual(v1);
    const v2 = await db.caseVersion.findFirstOrThrow({ where: { version: 2 } });
    expect(v2.passMark).toBe(0.5);
    expect(v2.contentHash).not.toBe(v1.contentHash);
    // The audit log has the publication and the scoring change.
    const audit = await db.auditEntry.findMany({ where: { subject: "mini-case" }, orderBy: { id: "desc" }, take: 2 });
    expect(audit.map((a) => a.action).sort()).toEqual(["published", "scoring_changed"]);
    const change = JSON.parse(audit.find((a) => a.action === "scoring_changed")!.detail);
    expect(change).toEqual({ version: 2, changes: [{ kind: "passMark", from: 0.7, to: 0.5 }] });

    // Going back to the first content is a third version: the latest always matches the file.
    copy.edit((value) => {
      value.passMark = 0.7;
    });
    const back = await publishContent(db, loadContent([copy.dir], isolated));
    expect(back.find((r) => r.kind === "case")).toMatchObject({ status: "updated", version: 3 });
    copy.cleanup();
  });

  it("is all-or-nothing: a failure on the last item rolls back the items before it", async () => {
    const copy = editableFixtures();
    await publishContent(db, loadContent([copy.dir], isolated));
    // Someone else's case already owns this slug under another regulator.
    const second = path.join(copy.dir, "second-case.json");
    fs.copyFileSync(copy.caseFile, second);
    copy.edit((value) => {
      value.slug = "second-case";
    }, second);
    await db.case.create({ data: { slug: "second-case", regulator: "another-college" } });
    copy.edit((value) => {
      value.passMark = 0.9;
    });
    const before = await snapshot();
    await expect(publishContent(db, loadContent([copy.dir], isolated))).rejects.toThrow(PublishError);
    expect(await snapshot()).toEqual(before);
    copy.cleanup();
  });

  it("publishes a changed regulator profile as a new version, the old one kept as it was", async () => {
    const copy = editableFixtures();
    await publishContent(db, loadContent([copy.dir], isolated));
    const profile = path.join(copy.dir, "regulators", "demo.json");
    const before = await db.regulatorVersion.findMany({ where: { regulatorId: "demo" }, orderBy: { sequence: "asc" } });
    copy.edit((value) => {
      value.timeZone = "America/Halifax";
    }, profile);
    const report = await publishContent(db, loadContent([copy.dir], isolated));
    expect(report[0]).toMatchObject({ kind: "regulator", id: "demo", status: "updated" });
    const after = await db.regulatorVersion.findMany({ where: { regulatorId: "demo" }, orderBy: { sequence: "asc" } });
    expect(after.slice(0, before.length)).toEqual(before);
    expect(JSON.parse(after.at(-1)!.content)).toMatchObject({ timeZone: "America/Halifax", retentionYears: 6 });
    copy.cleanup();
  });
});

describe("loadContent and regulator profiles", () => {
  it("refuses a case and a catalog whose regulator has no profile, naming each file", async () => {
    const copy = editableFixtures();
    fs.rmSync(path.join(copy.dir, "regulators"), { recursive: true });
    const content = loadContent([copy.dir], { fallbackCatalogDir: path.join(copy.dir, "standards") });
    const errors = content.diagnostics.filter((d) => d.severity === "error");
    expect(errors.map((d) => [path.basename(d.file), d.path])).toEqual([
      ["mini-standards.json", "/regulator"],
      ["mini-case.json", "/regulator"],
    ]);
    expect(errors[0]!.message).toContain('no regulator profile "demo": add regulators/demo.json');
    expect(content.cases).toEqual([]);
    copy.cleanup();
  });

  it("reports a profile with errors at their paths, and one whose file name is not its id", async () => {
    const copy = editableFixtures();
    const profile = path.join(copy.dir, "regulators", "demo.json");
    copy.edit((value) => {
      value.timeZone = "Mars/Olympus";
      value.name = { en: "Demo regulator" };
    }, profile);
    fs.writeFileSync(
      path.join(copy.dir, "regulators", "other.json"),
      JSON.stringify({ format: 1, id: "wrong", name: { en: "W", fr: "W" }, timeZone: "UTC" }),
    );
    const errors = loadContent([copy.dir], isolated).diagnostics.filter((d) => d.severity === "error");
    const at = (file: string) => errors.filter((d) => path.basename(d.file) === file).map((d) => [d.path, d.message]);
    expect(at("demo.json")).toEqual([
      ["/name", expect.stringContaining('"fr"')],
      ["/timeZone", 'timeZone is an IANA time zone such as "America/Toronto" or "America/Vancouver"'],
    ]);
    expect(at("other.json")).toEqual([
      ["/id", expect.stringContaining("must match the file name: rename the file to wrong.json")],
    ]);
    copy.cleanup();
  });
});
