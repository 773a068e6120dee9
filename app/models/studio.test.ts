import fs from "node:fs";
import path from "node:path";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { analyzeCase, formatDiagnostic, type CaseFile } from "~/engine";
import { getDb, type Db } from "~/utils/db.server";
import { setupModelDb } from "../../tests/support/model-db";
import { getCurrentVersion, listPublishedCases, clauseTitles } from "./case.server";
import { buildDiagram, caseTexts, previewModel, simulatePath } from "./studio-view.server";
import * as studio from "./studio.server";
import { onlyRegulator, publishAtFor, releaseMonthStart, type PublishMode } from "./studio.server";

// Every studio operation takes the regulators the person works for; the fixtures are all of "demo".
const scope = onlyRegulator("demo");
const checkCaseSource = (source: string, file: string) => studio.checkCaseSource(source, file, scope);
async function createDraft(source: string, actorId: string, detail?: Record<string, unknown>) {
  const result = await studio.createDraft(source, actorId, scope, detail);
  if (!result.ok) throw new Error(`createDraft: ${result.code}`);
  return result.value;
}
const updateDraft = (id: string, source: string, actorId: string) => studio.updateDraft(id, source, actorId, scope);
const submitDraft = (id: string, actorId: string, now?: Date) => studio.submitDraft(id, actorId, scope, now);
const withdrawDraft = (id: string, actorId: string) => studio.withdrawDraft(id, actorId, scope);
const rejectDraft = (id: string, actorId: string, note: string, now?: Date) =>
  studio.rejectDraft(id, actorId, scope, note, now);
const approveDraft = (id: string, actorId: string, mode: PublishMode, now?: Date) =>
  studio.approveDraft(id, actorId, scope, mode, now);
const reviewQueue = (userId: string) => studio.reviewQueue(userId, scope);
const listStudioCases = (now?: Date) => studio.listStudioCases(scope, now);
async function draftFromVersion(slug: string, version: number, actorId: string) {
  const result = await studio.draftFromVersion(slug, version, actorId, scope);
  return result?.ok ? result.value : null;
}
const retireCase = (slug: string, actorId: string, now?: Date) => studio.retireCase(slug, actorId, scope, now);
const importCaseUpload = (file: string, text: string, actorId: string) =>
  studio.importCaseUpload(file, text, actorId, scope);
const publishCatalogUpload = (file: string, text: string, actorId: string) =>
  studio.publishCatalogUpload(file, text, actorId, scope);

const fixtures = path.resolve("tests/fixtures/valid");
const caseText = fs.readFileSync(path.join(fixtures, "mini-case.json"), "utf8");
const catalogText = fs.readFileSync(path.join(fixtures, "standards/mini-standards.json"), "utf8");

setupModelDb();
let db: Db;
beforeAll(() => {
  db = getDb();
});

let alice: string;
let bob: string;
let carol: string;
let dave: string;
// The audit log is append-only (triggers refuse deletes): each test reads only its own entries.
let auditFrom = 0;
beforeEach(async () => {
  auditFrom = (await db.auditEntry.findFirst({ orderBy: { id: "desc" } }))?.id ?? 0;
  await db.caseDraft.deleteMany();
  await db.caseVersionCatalog.deleteMany();
  await db.caseVersion.deleteMany();
  await db.case.deleteMany();
  await db.catalogVersion.deleteMany();
  await db.catalog.deleteMany();
  await db.user.deleteMany();
  const user = (name: string) =>
    db.user.create({
      data: {
        email: `${name}-${Math.random()}@example.test`,
        name,
        registrationNumber: "X",
        regulator: "demo",
        roles: { create: [{ roleId: "author" }] },
      },
    });
  [alice, bob, carol, dave] = await Promise.all([user("Alice"), user("Bob"), user("Carol"), user("Dave")]).then((u) =>
    u.map((x) => x.id),
  );
  await publishCatalogUpload("mini-standards.json", catalogText, alice);
});

const edit = (mutate: (value: any) => void, text = caseText) => {
  const value = JSON.parse(text);
  mutate(value);
  return `${JSON.stringify(value, null, 2)}\n`;
};

async function auditActions(subject: string) {
  return (await db.auditEntry.findMany({ where: { subject, id: { gt: auditFrom } }, orderBy: { id: "asc" } })).map(
    (e) => e.action,
  );
}

describe("release month", () => {
  it("is the first day of the month at midnight in Toronto, daylight saving or not", () => {
    expect(releaseMonthStart("2026-01").toISOString()).toBe("2026-01-01T05:00:00.000Z");
    expect(releaseMonthStart("2026-07").toISOString()).toBe("2026-07-01T04:00:00.000Z");
    expect(releaseMonthStart("2026-11").toISOString()).toBe("2026-11-01T04:00:00.000Z");
  });
  it("publishes now when the release month has begun", () => {
    const now = new Date("2026-05-10T12:00:00Z");
    expect(publishAtFor("release_month", "2026-04", now)).toEqual(now);
    expect(publishAtFor("release_month", "2026-06", now).toISOString()).toBe("2026-06-01T04:00:00.000Z");
    expect(publishAtFor("publish_now", "2030-01", now)).toEqual(now);
  });
});

describe("checking a source", () => {
  it("pins every error to a line like cases:check", async () => {
    const broken = caseText.replace('"next": "q2"', '"next": "q9"');
    const check = await checkCaseSource(broken, "mini-case.json");
    expect(check.caseFile).toBeUndefined();
    const lines = check.diagnostics.map(formatDiagnostic);
    expect(lines.some((l) => /^mini-case\.json:\d+:\d+: \/nodes\/q1\/choices\/0\/next: no node "q9"/.test(l))).toBe(
      true,
    );
  });

  it("refuses a slug that belongs to another regulator's case", async () => {
    await db.case.create({ data: { slug: "mini-case", regulator: "someone-else" } });
    const check = await checkCaseSource(caseText, "mini-case.json");
    expect(check.caseFile).toBeUndefined();
    const slugError = check.diagnostics.find((d) => d.path === "/slug");
    expect(slugError?.message).toContain('belongs to a case of regulator "someone-else"');
    expect(slugError?.line).toBe(3);
  });
});

describe("the review workflow", () => {
  it("takes a draft from errors to published, approved by someone else, with every step audited", async () => {
    const draft = await createDraft(caseText.replace('"start": "context"', '"start": "contxt"'), alice);
    const invalid = await submitDraft(draft.id, alice);
    expect(invalid).toMatchObject({ ok: false, code: "invalid" });
    expect((invalid as { diagnostics: unknown[] }).diagnostics.length).toBeGreaterThan(0);

    expect(await updateDraft(draft.id, caseText, alice)).toEqual({ ok: true, value: { revision: 1 } });
    expect(await submitDraft(draft.id, alice)).toEqual({ ok: true, value: null });
    // In review: nobody edits it.
    expect(await updateDraft(draft.id, caseText + " ", bob)).toMatchObject({ ok: false, code: "not-editable" });
    // The submitter (and last editor) may not approve.
    expect(await approveDraft(draft.id, alice, "publish_now")).toMatchObject({ ok: false, code: "own-submission" });
    expect(await db.caseVersion.count()).toBe(0);

    const approved = await approveDraft(draft.id, bob, "publish_now");
    expect(approved).toMatchObject({ ok: true, value: { version: 1, status: "new" } });
    const version = await getCurrentVersion("mini-case");
    expect(version?.source).toBe(caseText);
    expect((await db.caseDraft.findUniqueOrThrow({ where: { id: draft.id } })).status).toBe("approved");
    expect(await auditActions("mini-case")).toEqual([
      "draft_created",
      "draft_updated",
      "submitted",
      "approved",
      "published",
    ]);
    // A second approval of the same draft does nothing.
    expect(await approveDraft(draft.id, carol, "publish_now")).toMatchObject({ ok: false, code: "not-in-review" });
  });

  it("refuses approval by anyone who wrote any version of the draft, even if someone else submitted", async () => {
    const draft = await createDraft(caseText, alice);
    await updateDraft(draft.id, caseText.replace("Decline", "Decline politely"), bob);
    await submitDraft(draft.id, carol);
    expect(await approveDraft(draft.id, bob, "publish_now")).toMatchObject({ ok: false, code: "own-submission" });
    expect(await approveDraft(draft.id, carol, "publish_now")).toMatchObject({ ok: false, code: "own-submission" });
    // Alice wrote the first version: hers to write, not to approve.
    expect(await approveDraft(draft.id, alice, "publish_now")).toMatchObject({ ok: false, code: "own-submission" });
    expect(await approveDraft(draft.id, dave, "publish_now")).toMatchObject({ ok: true });
  });

  it("cannot be bypassed by a colleague re-saving and submitting someone's change", async () => {
    // Alice lowers the pass mark; Bob re-saves it with one more newline and submits it.
    const lowered = edit((value) => (value.passMark = 0.1));
    const draft = await createDraft(caseText, alice);
    expect(await updateDraft(draft.id, lowered, alice)).toEqual({ ok: true, value: { revision: 1 } });
    expect(await updateDraft(draft.id, `${lowered}\n`, bob)).toEqual({ ok: true, value: { revision: 2 } });
    expect(await submitDraft(draft.id, bob)).toEqual({ ok: true, value: null });
    expect(await approveDraft(draft.id, alice, "publish_now")).toMatchObject({ ok: false, code: "own-submission" });
    expect(await rejectDraft(draft.id, alice, "looks fine to me")).toMatchObject({
      ok: false,
      code: "own-submission",
    });
    expect(await db.caseVersion.count()).toBe(0);
    const queue = await reviewQueue(alice);
    expect(queue.find((d) => d.id === draft.id)?.canReview).toBe(false);
    expect((await reviewQueue(carol)).find((d) => d.id === draft.id)?.canReview).toBe(true);
    expect(await approveDraft(draft.id, carol, "publish_now")).toMatchObject({ ok: true });
  });

  it("never lets a save made from an older revision overwrite a newer one", async () => {
    const draft = await createDraft(caseText, alice);
    const bobs = caseText.replace("Decline", "Decline politely");
    const alices = caseText.replace("Good.", "Good (1.1).");
    // Both opened revision 0; Bob saves first.
    expect(await studio.updateDraft(draft.id, bobs, bob, scope, 0)).toEqual({ ok: true, value: { revision: 1 } });
    const refused = await studio.updateDraft(draft.id, alices, alice, scope, 0);
    expect(refused).toMatchObject({ ok: false, code: "conflict", newer: { revision: 1, source: bobs } });
    expect((await db.caseDraft.findUniqueOrThrow({ where: { id: draft.id } })).source).toBe(bobs);
    // Alice has seen Bob's save and keeps hers: a save based on revision 1 goes through.
    expect(await studio.updateDraft(draft.id, alices, alice, scope, 1)).toEqual({ ok: true, value: { revision: 2 } });
    // Saving the same text again from an old revision is not a conflict: nothing would be lost.
    expect(await studio.updateDraft(draft.id, alices, bob, scope, 1)).toEqual({ ok: true, value: { revision: 2 } });
    expect(await auditActions("mini-case")).toEqual(["draft_created", "draft_updated", "draft_updated"]);
  });

  it("sends a draft back with a note, which the author can edit and resubmit", async () => {
    const draft = await createDraft(caseText, alice);
    await submitDraft(draft.id, alice);
    expect(await rejectDraft(draft.id, bob, "   ")).toMatchObject({ ok: false, code: "note-required" });
    expect(await rejectDraft(draft.id, alice, "mine")).toMatchObject({ ok: false, code: "own-submission" });
    expect(await rejectDraft(draft.id, bob, "Cite the clause in the feedback.")).toEqual({ ok: true, value: null });
    const row = await db.caseDraft.findUniqueOrThrow({ where: { id: draft.id } });
    expect(row).toMatchObject({ status: "rejected", reviewNote: "Cite the clause in the feedback." });
    expect(await updateDraft(draft.id, caseText.replace("Good.", "Good (1.1)."), alice)).toEqual({
      ok: true,
      value: { revision: 1 },
    });
    expect(await submitDraft(draft.id, alice)).toEqual({ ok: true, value: null });
    expect(await withdrawDraft(draft.id, alice)).toEqual({ ok: true, value: null });
    expect(await auditActions("mini-case")).toEqual([
      "draft_created",
      "submitted",
      "rejected",
      "draft_updated",
      "submitted",
      "withdrawn",
    ]);
  });

  it("schedules a version for its release month, invisible to learners until then", async () => {
    const future = edit((v) => (v.release = "2099-03"));
    const draft = await createDraft(future, alice);
    await submitDraft(draft.id, alice);
    const now = new Date();
    expect(await approveDraft(draft.id, bob, "release_month", now)).toMatchObject({ ok: true, value: { version: 1 } });
    const version = await db.caseVersion.findFirstOrThrow();
    expect(version.publishedAt?.toISOString()).toBe("2099-03-01T05:00:00.000Z");
    expect(await getCurrentVersion("mini-case")).toBeNull();
    expect((await listPublishedCases(null)).map((c) => c.slug)).not.toContain("mini-case");
    expect((await getCurrentVersion("mini-case", new Date("2099-03-01T05:00:00Z")))?.id).toBe(version.id);
    const listed = await listStudioCases();
    expect(listed.cases[0]?.versions[0]?.status).toBe("scheduled");
    expect(await auditActions("mini-case")).toContain("scheduled");
  });

  it("refuses to submit a draft identical to the latest version", async () => {
    const first = await createDraft(caseText, alice);
    await submitDraft(first.id, alice);
    await approveDraft(first.id, bob, "publish_now");
    const again = await draftFromVersion("mini-case", 1, alice);
    expect((await db.caseDraft.findUniqueOrThrow({ where: { id: again!.id } })).source).toBe(caseText);
    expect(await submitDraft(again!.id, alice)).toMatchObject({ ok: false, code: "unchanged", version: 1 });
  });

  it("records scoring changes when a new version changes the marking", async () => {
    const first = await createDraft(caseText, alice);
    await submitDraft(first.id, alice);
    await approveDraft(first.id, bob, "publish_now");
    const second = await createDraft(
      edit((v) => (v.passMark = 0.5)),
      alice,
    );
    await submitDraft(second.id, alice);
    expect(await approveDraft(second.id, bob, "publish_now")).toMatchObject({
      ok: true,
      value: { version: 2, status: "updated" },
    });
    const entry = await db.auditEntry.findFirstOrThrow({ where: { subject: "mini-case", action: "scoring_changed" } });
    expect(JSON.parse(entry.detail)).toMatchObject({ version: 2, changes: [{ kind: "passMark", from: 0.7, to: 0.5 }] });
  });
});

describe("uploads, retirement", () => {
  it("changes nothing for a broken upload and reports the CLI's errors", async () => {
    const before = {
      drafts: await db.caseDraft.count(),
      audit: await db.auditEntry.count(),
      versions: await db.caseVersion.count(),
    };
    const result = await importCaseUpload(
      "mini-case.json",
      caseText.replace('"passMark": 0.7', '"passMark": 70'),
      alice,
    );
    expect(result.ok).toBe(false);
    const lines = (result as { diagnostics: Parameters<typeof formatDiagnostic>[0][] }).diagnostics.map(
      formatDiagnostic,
    );
    expect(lines.some((l) => l.startsWith("mini-case.json:11:3: /passMark:"))).toBe(true);
    expect({
      drafts: await db.caseDraft.count(),
      audit: await db.auditEntry.count(),
      versions: await db.caseVersion.count(),
    }).toEqual(before);
  });

  it("round-trips: a downloaded version uploaded again is unchanged", async () => {
    const upload = await importCaseUpload("mini-case.json", caseText, alice);
    expect(upload).toMatchObject({ ok: true, status: "draft" });
    const draftId = (upload as { draftId: string }).draftId;
    await submitDraft(draftId, alice);
    await approveDraft(draftId, bob, "publish_now");
    const exported = (await db.caseVersion.findFirstOrThrow()).source;
    expect(exported).toBe(caseText);
    const drafts = await db.caseDraft.count();
    expect(await importCaseUpload("mini-case.json", exported, carol)).toEqual({
      ok: true,
      status: "unchanged",
      slug: "mini-case",
      version: 1,
    });
    expect(await db.caseDraft.count()).toBe(drafts);
  });

  it("retires every version of a case; the learner catalog drops it", async () => {
    const draft = await createDraft(caseText, alice);
    await submitDraft(draft.id, alice);
    await approveDraft(draft.id, bob, "publish_now");
    expect((await listPublishedCases(null)).map((c) => c.slug)).toContain("mini-case");
    expect(await retireCase("mini-case", bob)).toEqual({ ok: true, value: { versions: [1] } });
    expect((await listPublishedCases(null)).map((c) => c.slug)).not.toContain("mini-case");
    expect(await retireCase("mini-case", bob)).toEqual({ ok: false, code: "already-retired" });
    expect((await auditActions("mini-case")).at(-1)).toBe("retired");
  });

  it("publishes catalogs as versions and refuses broken ones", async () => {
    expect(await publishCatalogUpload("mini-standards.json", catalogText, alice)).toMatchObject({
      ok: true,
      status: "unchanged",
      version: 1,
    });
    const changed = catalogText.replace('"version": "1"', '"version": "2"');
    expect(await publishCatalogUpload("mini-standards.json", changed, alice)).toMatchObject({
      ok: true,
      status: "updated",
      version: 2,
    });
    const broken = await publishCatalogUpload("x.json", catalogText.replace('"code": "1.2"', '"code": "1.1"'), alice);
    expect(broken.ok).toBe(false);
    expect(await db.catalogVersion.count()).toBe(2);
    // One from beforeEach (version 1), one for version 2.
    expect(await auditActions("catalog:mini-standards")).toEqual(["catalog_published", "catalog_published"]);
  });
});

describe("views of a case", () => {
  const caseFile = JSON.parse(caseText) as CaseFile;
  const analysis = analyzeCase(caseFile);
  const catalogs = clauseTitles([JSON.parse(catalogText)]);

  it("draws the tree with outcomes, critical choices, unreachable nodes and missing targets", () => {
    const broken = JSON.parse(caseText);
    broken.nodes.orphan = { kind: "scene", body: { en: "x", fr: "x" }, next: "nowhere" };
    const diagram = buildDiagram(broken, "en")!;
    const node = (id: string) => diagram.nodes.find((n) => n.id === id && n.kind !== "missing");
    expect(node("context")).toMatchObject({ start: true, reachable: true, kind: "scene" });
    expect(node("end-good")?.kind).toBe("outcome");
    expect(node("orphan")?.reachable).toBe(false);
    expect(diagram.nodes.find((n) => n.kind === "missing")?.id).toBe("nowhere");
    expect(diagram.edges.filter((e) => e.critical).map((e) => e.choiceId)).toEqual(["accept"]);
    for (const e of diagram.edges) expect(e.points.length).toBeGreaterThan(1);
    expect(buildDiagram("not a case", "en")).toBeNull();
  });

  it("lists every text side by side and flags missing translations", () => {
    const value = JSON.parse(caseText);
    delete value.nodes.q1.choices[1].feedback.fr;
    value.nodes["end-good"].title.fr = value.nodes["end-good"].title.en;
    const { rows } = caseTexts(value);
    expect(rows.find((r) => r.path === "/title")).toMatchObject({ en: "A follow request", missing: [] });
    const missing = rows.filter((r) => r.missing.length > 0);
    expect(missing.map((r) => [r.node, r.missing])).toEqual([["q1", ["fr"]]]);
    expect(rows.find((r) => r.node === "end-good" && r.field === "title")?.identical).toBe(true);
  });

  it("plays from the URL state without storing anything, and scores a finished path", () => {
    const base = "/studio/drafts/x";
    const start = previewModel(caseFile, analysis, catalogs, base, { lang: "en" }, "en");
    expect(start.node.id).toBe("context");
    expect(start.node.continueHref).toBe(`${base}/preview?at=q1`);
    const atQ2 = previewModel(caseFile, analysis, catalogs, base, { at: "q2", path: "q1.decline", lang: "en" }, "en");
    expect(atQ2.mismatch).toBe(false);
    expect(atQ2.feedback?.label).toBe("Decline");
    expect(atQ2.node.choices.map((c) => c.href)).toEqual([
      `${base}/preview?at=reflect&path=q1.decline%2Cq2.explain`,
      `${base}/preview?at=end-poor&path=q1.decline%2Cq2.ignore`,
    ]);
    const end = previewModel(
      caseFile,
      analysis,
      catalogs,
      base,
      { at: "end-good", path: "q1.decline,q2.explain", lang: "fr" },
      "en",
    );
    expect(end.node.title).toBe("Limites préservées");
    expect(end.result).toMatchObject({ passed: true, total: 3 });
    const stale = previewModel(
      caseFile,
      analysis,
      catalogs,
      base,
      { at: "end-good", path: "q2.explain", lang: "en" },
      "en",
    );
    expect(stale.mismatch).toBe(true);
    const fromMiddle = previewModel(caseFile, analysis, catalogs, base, { from: "q2", at: "q2", lang: "en" }, "en");
    expect(fromMiddle.fromStart).toBe(false);
    expect(fromMiddle.node.choices[0]?.href).toBe(`${base}/preview?from=q2&at=reflect&path=q2.explain`);
  });

  it("simulates a path like cases:play", () => {
    const critical = simulatePath(caseFile, analysis, { q1: "accept", q2: "explain" }, catalogs, "en");
    expect(critical).toMatchObject({ ok: true, passed: false, reason: "critical-choice", total: -1 });
    const impossible = simulatePath(caseFile, analysis, { q1: "decline" }, catalogs, "en");
    expect(impossible).toMatchObject({ ok: false, error: { code: "missing-choice", nodeId: "q2" } });
  });
});

describe("regulators", () => {
  const elsewhere = onlyRegulator("elsewhere");

  it("hides a regulator's drafts, cases and catalogs from staff of another, and refuses their changes", async () => {
    const draft = await createDraft(caseText, alice);
    expect(await studio.getDraft(draft.id, elsewhere)).toBeNull();
    expect(await studio.updateDraft(draft.id, caseText + " ", bob, elsewhere)).toEqual({
      ok: false,
      code: "not-found",
    });
    expect(await studio.submitDraft(draft.id, bob, elsewhere)).toEqual({ ok: false, code: "not-found" });
    await submitDraft(draft.id, alice);
    expect(await studio.approveDraft(draft.id, bob, elsewhere, "publish_now")).toEqual({
      ok: false,
      code: "not-found",
    });
    expect(await studio.reviewQueue(bob, elsewhere)).toEqual([]);
    await approveDraft(draft.id, bob, "publish_now");
    expect(await studio.listStudioCases(elsewhere)).toEqual({ cases: [], newDrafts: [] });
    expect(await studio.getStudioCase("mini-case", elsewhere)).toBeNull();
    expect(await studio.getVersion("mini-case", 1, elsewhere)).toBeNull();
    expect(await studio.retireCase("mini-case", bob, elsewhere)).toEqual({ ok: false, code: "not-found" });
    expect(await studio.listCatalogs(elsewhere)).toEqual([]);
    expect(await studio.getCatalogVersion("mini-standards", elsewhere)).toBeNull();
    expect(await studio.draftFromVersion("mini-case", 1, bob, elsewhere)).toBeNull();
  });

  it("makes a draft of the regulator its source names, or of the person's only one, never outside their scope", async () => {
    expect(await studio.createDraft(caseText, alice, elsewhere)).toEqual({
      ok: false,
      code: "other-regulator",
      regulator: "demo",
    });
    const unnamed = await studio.createDraft("{ half-written", alice, scope);
    expect(unnamed).toMatchObject({ ok: true, value: { regulator: "demo" } });
    const two = { all: false, regulators: new Set(["demo", "elsewhere"]) } as const;
    expect(await studio.createDraft("{ half-written", alice, two)).toEqual({ ok: false, code: "no-regulator" });
    expect(await studio.createDraft(caseText, alice, two)).toMatchObject({ ok: true, value: { regulator: "demo" } });
  });

  it("refuses uploads of a case or catalog of another regulator with a pinpointed error", async () => {
    const upload = await studio.importCaseUpload("mini-case.json", caseText, alice, elsewhere);
    expect(upload.ok).toBe(false);
    const error = !upload.ok ? upload.diagnostics.find((d) => d.path === "/regulator") : undefined;
    expect(error).toMatchObject({ message: 'this case must be of regulator "elsewhere", not "demo"', line: 4 });
    const catalog = await studio.publishCatalogUpload("mini-standards.json", catalogText, alice, elsewhere);
    expect(catalog).toMatchObject({ ok: false, diagnostics: [{ path: "/regulator" }] });
  });
});
