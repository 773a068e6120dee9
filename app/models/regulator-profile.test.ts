import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadContent } from "~/utils/case-files.server";
import { getDb } from "~/utils/db.server";
import { png } from "../../tests/support/images";
import { insertUser, setupModelDb } from "../../tests/support/model-db";
import { listAudit } from "./audit.server";
import {
  approveChange,
  decideFromForm,
  declineChange,
  listPendingChanges,
  pendingProfiles,
  PROFILE_CHANGES,
  requestProfileChange,
} from "./change-request.server";
import { publishContent } from "./content.server";
import { listProfileVersions, profileChangeSummary, profileVersionSource } from "./regulator-profile.server";
import { getRegulator, getRegulatorLogo } from "./regulator.server";
import { onlyRegulator } from "./studio.server";

setupModelDb();
const fixtures = path.resolve("tests/fixtures/valid");
const demoText = fs.readFileSync(path.join(fixtures, "regulators/demo.json"), "utf8");
const demoAdmin = onlyRegulator("demo");
const otherAdmin = onlyRegulator("coto");
const operator = { all: true } as const;
const profiles = { kinds: PROFILE_CHANGES };

const edited = (change: (profile: Record<string, unknown>) => void) => {
  const value = JSON.parse(demoText) as Record<string, unknown>;
  change(value);
  return `${JSON.stringify(value, null, 2)}\n`;
};

let asker: string;
let second: string;
beforeAll(async () => {
  await publishContent(getDb(), loadContent([fixtures], { fallbackCatalogDir: path.join(fixtures, "standards") }));
  asker = (await insertUser("asker@example.test", ["admin"])).id;
  second = (await insertUser("second@example.test", ["admin"])).id;
});

/** The 1-based line of the first line holding `needle`. */
const lineOf = (text: string, needle: string) => text.split("\n").findIndex((line) => line.includes(needle)) + 1;

const versionCount = async (id = "demo") => getDb().regulatorVersion.count({ where: { regulatorId: id } });

describe("a new version of a regulator profile", () => {
  it("waits for a second admin, is decided only where profiles are, and is published in both names", async () => {
    const before = await versionCount();
    const text = edited((p) => {
      p.timeZone = "America/Vancouver";
      (p.name as Record<string, string>).fr = "Ordre de démonstration (nouveau nom)";
    });
    const requested = await requestProfileChange({ file: "demo.json", text }, asker, demoAdmin);
    expect(requested.ok).toBe(true);
    const id = requested.ok ? requested.value.id : "";
    expect(await versionCount()).toBe(before);
    expect((await getRegulator("demo"))?.timeZone).toBe("America/Toronto");

    // What the second admin reads before deciding: the fields it changes, before and after.
    const [waiting] = await pendingProfiles(demoAdmin, "demo");
    const summary = await profileChangeSummary(waiting!.checked!);
    expect(summary).toEqual({
      fields: [
        { path: "/name/fr", before: "Ordre de démonstration", after: "Ordre de démonstration (nouveau nom)" },
        { path: "/timeZone", before: "America/Toronto", after: "America/Vancouver" },
      ],
      logo: "none",
    });
    expect(await requestProfileChange({ file: "demo.json", text }, second, demoAdmin)).toEqual({
      ok: false,
      code: "already-pending",
    });

    // The studio's pages decide catalogs and retirements only; another regulator's admin sees nothing.
    const form = new FormData();
    form.set("intent", "approve-change");
    form.set("requestId", id);
    expect(await decideFromForm(form, second, demoAdmin)).toEqual({ ok: false, code: "not-found" });
    expect(await approveChange(id, second, otherAdmin, profiles)).toEqual({ ok: false, code: "not-found" });
    expect(await approveChange(id, asker, demoAdmin, profiles)).toEqual({ ok: false, code: "own-request" });
    expect(await listPendingChanges(otherAdmin, second, "regulator_profile")).toEqual([]);

    expect(await decideFromForm(form, second, demoAdmin, PROFILE_CHANGES)).toEqual({
      ok: true,
      value: { status: "approved", version: before + 1 },
    });
    expect(await versionCount()).toBe(before + 1);
    expect((await getRegulator("demo"))?.timeZone).toBe("America/Vancouver");
    expect(await profileVersionSource("demo", before + 1)).toBe(text);
    const [latest] = await listProfileVersions("demo");
    expect(latest).toMatchObject({ sequence: before + 1, publishedBy: "second" });
    const actions = (await listAudit("regulator:demo")).map((e) => [e.action, e.actorId]);
    expect(actions).toEqual(
      expect.arrayContaining([
        ["change_requested", asker],
        ["change_approved", second],
        ["regulator_published", second],
      ]),
    );
  });

  it("is refused when identical to the current version, or sent back with a note", async () => {
    const current = await profileVersionSource("demo", await versionCount());
    expect(await requestProfileChange({ file: "demo.json", text: current! }, asker, demoAdmin)).toEqual({
      ok: false,
      code: "unchanged",
      version: await versionCount(),
    });
    const text = edited((p) => {
      p.retentionYears = 9;
    });
    const requested = await requestProfileChange({ file: "demo.json", text }, asker, demoAdmin);
    const id = requested.ok ? requested.value.id : "";
    expect(await declineChange(id, second, demoAdmin, " ", profiles)).toEqual({ ok: false, code: "note-required" });
    expect(await declineChange(id, second, demoAdmin, "Nine years is not our bylaw", profiles)).toEqual({
      ok: true,
      value: { status: "rejected" },
    });
    expect((await getRegulator("demo"))?.retentionYears).not.toBe(9);
  });

  it("points at the field of a bad profile, and of a logo that is missing, not an image, or not named", async () => {
    const at = async (text: string, logo?: Uint8Array) => {
      const result = await requestProfileChange(
        { file: "demo.json", text, ...(logo ? { logo } : {}) },
        asker,
        demoAdmin,
      );
      return result.ok || result.code !== "invalid"
        ? result
        : result.diagnostics.map((d) => [d.path, d.line, d.message]);
    };
    const before = await versionCount();
    const badZone = edited((p) => (p.timeZone = "Toronto"));
    expect(await at(badZone)).toEqual([["/timeZone", lineOf(badZone, '"timeZone"'), expect.stringContaining("IANA")]]);
    const named = edited((p) => (p.logo = "demo.png"));
    expect(await at(named)).toEqual([
      ["/logo", lineOf(named, '"logo"'), expect.stringContaining("choose the logo image")],
    ]);
    expect(await at(named, new TextEncoder().encode("<svg></svg>"))).toEqual([
      ["/logo", lineOf(named, '"logo"'), expect.stringContaining("SVG")],
    ]);
    expect(await at(demoText.replace('"format": 1,', '"format": 1,,'), png(10, 10))).toEqual([
      ["", 2, expect.any(String)],
    ]);
    expect(
      await at(
        edited(() => {}),
        png(10, 10),
      ),
    ).toEqual([["", undefined, expect.stringContaining("names no logo")]]);
    expect(await versionCount()).toBe(before);
    expect(await getDb().changeRequest.count({ where: { kind: "regulator_profile", status: "pending" } })).toBe(0);
  });

  it("keeps the current logo when a new version names one and comes without the image", async () => {
    const logo = png(40, 20);
    const first = await requestProfileChange(
      { file: "demo.json", text: edited((p) => (p.logo = "demo.png")), logo },
      asker,
      demoAdmin,
    );
    expect(first.ok).toBe(true);
    const [waiting] = await pendingProfiles(demoAdmin, "demo");
    expect((await profileChangeSummary(waiting!.checked!)).logo).toBe("new");
    await approveChange(first.ok ? first.value.id : "", second, demoAdmin, profiles);
    const published = await getRegulatorLogo("demo");
    expect(published && Buffer.from(published.bytes).equals(logo)).toBe(true);

    const colour = edited((p) => {
      p.logo = "demo.png";
      p.colour = "#17546b";
    });
    const next = await requestProfileChange({ file: "demo.json", text: colour }, asker, demoAdmin);
    const [again] = await pendingProfiles(demoAdmin, "demo");
    expect(await profileChangeSummary(again!.checked!)).toEqual({
      fields: [{ path: "/colour", before: null, after: "#17546b" }],
      logo: "same",
    });
    await approveChange(next.ok ? next.value.id : "", second, demoAdmin, profiles);
    const kept = await getRegulatorLogo("demo");
    expect(kept?.hash).toBe(published?.hash);
    expect((await getRegulator("demo"))?.colour).toBe("#17546b");
  });

  it("makes a new regulator only for an operator, still with a second person", async () => {
    const text = edited((p) => {
      p.id = "nursing";
      p.name = { en: "College of Nurses (demo)", fr: "Ordre des infirmières (démo)" };
    });
    const refused = await requestProfileChange({ file: "nursing.json", text }, asker, demoAdmin);
    expect(refused.ok === false && refused.code === "invalid" && refused.diagnostics[0]).toMatchObject({
      path: "/id",
      message: expect.stringContaining("an operator adds a new regulator"),
    });
    const requested = await requestProfileChange({ file: "nursing.json", text }, asker, operator);
    expect(requested.ok).toBe(true);
    expect(await versionCount("nursing")).toBe(0);
    await approveChange(requested.ok ? requested.value.id : "", second, operator, profiles);
    expect((await getRegulator("nursing"))?.name.en).toBe("College of Nurses (demo)");
  });
});
