import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadContent } from "~/utils/case-files.server";
import { getDb } from "~/utils/db.server";
import { insertUser, setupModelDb } from "../../tests/support/model-db";
import { listAudit } from "./audit.server";
import {
  approveChange,
  declineChange,
  listPendingChanges,
  requestCatalogPublish,
  requestRetire,
} from "./change-request.server";
import { publishContent } from "./content.server";
import { onlyRegulator } from "./studio.server";

setupModelDb();
const fixtures = path.resolve("tests/fixtures/valid");
const catalogText = fs.readFileSync(path.join(fixtures, "standards/mini-standards.json"), "utf8");
const demo = onlyRegulator("demo");
const elsewhere = onlyRegulator("elsewhere");

/** The catalog with one clause's title changed: a new version to publish. */
const changedCatalog = (title: string) => {
  const value = JSON.parse(catalogText);
  value.items[0].title = { en: title, fr: `${title} (fr)` };
  return `${JSON.stringify(value, null, 2)}\n`;
};

let asker: string;
let second: string;
beforeAll(async () => {
  await publishContent(getDb(), loadContent([fixtures], { fallbackCatalogDir: path.join(fixtures, "standards") }));
  asker = (await insertUser("asker@example.test", ["author"])).id;
  second = (await insertUser("second@example.test", ["author"])).id;
});

const latestCatalogSequence = async () =>
  (
    await getDb().catalogVersion.findFirstOrThrow({
      where: { catalogId: "mini-standards" },
      orderBy: { sequence: "desc" },
    })
  ).sequence;

describe("a catalog version", () => {
  it("is published only when a second person approves it, in both names in the audit log", async () => {
    const before = await latestCatalogSequence();
    const requested = await requestCatalogPublish("mini-standards.json", changedCatalog("Contact"), asker, demo);
    expect(requested.ok).toBe(true);
    const id = requested.ok ? requested.value.id : "";
    expect(await latestCatalogSequence()).toBe(before);
    // One at a time per catalog.
    expect(await requestCatalogPublish("mini-standards.json", changedCatalog("Other"), second, demo)).toEqual({
      ok: false,
      code: "already-pending",
    });
    const pending = await listPendingChanges(demo, asker);
    expect(pending).toMatchObject([
      { id, kind: "catalog_publish", subject: "mini-standards", mine: true, mayDecide: false },
    ]);
    expect(await listPendingChanges(elsewhere, second)).toEqual([]);

    expect(await approveChange(id, asker, demo)).toEqual({ ok: false, code: "own-request" });
    expect(await approveChange(id, second, elsewhere)).toEqual({ ok: false, code: "not-found" });
    expect(await approveChange(id, second, demo)).toEqual({
      ok: true,
      value: { status: "approved", version: before + 1 },
    });
    expect(await latestCatalogSequence()).toBe(before + 1);
    expect(await approveChange(id, second, demo)).toEqual({ ok: false, code: "not-pending" });
    const actions = (await listAudit("catalog:mini-standards")).map((e) => [e.action, e.actorId]);
    expect(actions).toEqual(
      expect.arrayContaining([
        ["change_requested", asker],
        ["change_approved", second],
        ["catalog_published", second],
      ]),
    );
  });

  it("refuses an invalid file, another regulator's, or one equal to the latest version, with the reason", async () => {
    const broken = await requestCatalogPublish(
      "x.json",
      catalogText.replace('"code": "1.2"', '"code": "1.1"'),
      asker,
      demo,
    );
    expect(broken).toMatchObject({ ok: false, code: "invalid" });
    const foreign = await requestCatalogPublish("mini-standards.json", changedCatalog("X"), asker, elsewhere);
    expect(foreign).toMatchObject({ ok: false, code: "invalid", diagnostics: [{ path: "/regulator", line: 4 }] });
    const latest = await getDb().catalogVersion.findFirstOrThrow({
      where: { catalogId: "mini-standards" },
      orderBy: { sequence: "desc" },
    });
    expect(await requestCatalogPublish("mini-standards.json", latest.source, asker, demo)).toEqual({
      ok: false,
      code: "unchanged",
      version: latest.sequence,
    });
    expect(await getDb().changeRequest.count({ where: { status: "pending" } })).toBe(0);
  });

  it("is sent back by a second person only with a note, or withdrawn by the asker", async () => {
    const first = await requestCatalogPublish("mini-standards.json", changedCatalog("Sent back"), asker, demo);
    const id = first.ok ? first.value.id : "";
    expect(await declineChange(id, second, demo, "  ")).toEqual({ ok: false, code: "note-required" });
    expect(await declineChange(id, second, demo, "Clause 1.1 is not ours to rename")).toEqual({
      ok: true,
      value: { status: "rejected" },
    });
    const again = await requestCatalogPublish("mini-standards.json", changedCatalog("Withdrawn"), asker, demo);
    const againId = again.ok ? again.value.id : "";
    expect(await declineChange(againId, asker, demo, "")).toEqual({ ok: true, value: { status: "withdrawn" } });
    expect(await listPendingChanges(demo, second)).toEqual([]);
  });

  it("is withdrawn by its asker without being a reviewer; nobody else outside the review scope sends it back", async () => {
    const asked = await requestCatalogPublish("mini-standards.json", changedCatalog("Not a reviewer"), asker, demo);
    const id = asked.ok ? asked.value.id : "";
    // `elsewhere` stands for a review scope without demo: an author of demo who is not its reviewer.
    expect(await declineChange(id, second, elsewhere, "No")).toEqual({ ok: false, code: "not-found" });
    expect(await approveChange(id, asker, elsewhere)).toEqual({ ok: false, code: "not-found" });
    expect(await declineChange(id, asker, elsewhere, "")).toEqual({ ok: true, value: { status: "withdrawn" } });
  });
});

describe("retiring a case", () => {
  it("waits for a second person, then takes every version out of the catalog", async () => {
    expect(await requestRetire("mini-case", asker, elsewhere)).toEqual({ ok: false, code: "not-found" });
    const requested = await requestRetire("mini-case", asker, demo);
    const id = requested.ok ? requested.value.id : "";
    expect(await getDb().caseVersion.count({ where: { status: "retired" } })).toBe(0);
    expect(await approveChange(id, asker, demo)).toEqual({ ok: false, code: "own-request" });
    expect(await approveChange(id, second, demo)).toEqual({ ok: true, value: { status: "approved" } });
    expect(await getDb().caseVersion.count({ where: { status: { not: "retired" } } })).toBe(0);
    expect(await requestRetire("mini-case", asker, demo)).toEqual({ ok: false, code: "already-retired" });
    const actions = (await listAudit("mini-case")).map((e) => [e.action, e.actorId]);
    expect(actions).toEqual(
      expect.arrayContaining([
        ["change_requested", asker],
        ["change_approved", second],
        ["retired", second],
      ]),
    );
  });
});
