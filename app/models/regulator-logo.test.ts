// A regulator's logo goes into the database with its profile version, from the files through the
// real loader and importer: checked first (nothing imported when it is bad), a new image is a new
// version, and the model serves the latest (and any earlier, by hash) without reading files.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadContent } from "~/utils/case-files.server";
import { getDb } from "~/utils/db.server";
import { jpeg, png, svg } from "../../tests/support/images";
import { setupModelDb } from "../../tests/support/model-db";
import { makeTempDir } from "../../tests/support/temp-db";
import { publishContent } from "./content.server";
import { findRegulatorLogo, getRegulatorLogo, regulatorLogoUrl } from "./regulator.server";

setupModelDb();

const fixtures = path.resolve("tests/fixtures/valid");

/** The line of "logo" in the profile contentWithLogo writes (after the fixture's own fields). */
const LOGO_LINE = (() => {
  const profile = JSON.parse(fs.readFileSync(path.join(fixtures, "regulators/demo.json"), "utf8"));
  const text = JSON.stringify({ ...profile, logo: "demo.png", colour: "#17546b" }, null, 2);
  return text.split("\n").findIndex((line) => line.includes('"logo"')) + 1;
})();

/** The fixtures, with the demo profile naming `logo` and that file holding `bytes` (none: no file). */
function contentWithLogo(bytes: Buffer | null, logo = "demo.png") {
  const { dir, cleanup } = makeTempDir("vignette-logo-");
  fs.cpSync(fixtures, dir, { recursive: true });
  const profileFile = path.join(dir, "regulators/demo.json");
  const profile = JSON.parse(fs.readFileSync(profileFile, "utf8"));
  fs.writeFileSync(profileFile, JSON.stringify({ ...profile, logo, colour: "#17546b" }, null, 2));
  if (bytes) fs.writeFileSync(path.join(dir, "regulators", logo), bytes);
  const content = loadContent([dir], { fallbackCatalogDir: path.join(dir, "standards") });
  cleanup();
  return content;
}

describe("regulator logos on import", () => {
  it("refuses a bad logo with the profile's file, line and path, and imports nothing", async () => {
    for (const [bytes, expected] of [
      [null, /demo\.png was not found/],
      [svg, /demo\.png is an SVG image, which is not accepted/],
      [Buffer.from("not an image"), /demo\.png is not a PNG or JPEG image/],
      [png(2500, 10), /demo\.png is 2500×10 px; a logo may be at most 2000 px a side/],
    ] as const) {
      const content = contentWithLogo(bytes);
      const errors = content.diagnostics.filter((d) => d.severity === "error");
      expect(errors).toHaveLength(1);
      expect(errors[0]!.file).toMatch(/regulators[/\\]demo\.json$/);
      expect(errors[0]!.path).toBe("/logo");
      expect(errors[0]!.line).toBe(LOGO_LINE); // "logo" in the profile as written above
      expect(errors[0]!.message).toMatch(expected);
      // Only the profile is left out; its case and catalog get no knock-on "no profile" error.
      expect(content.regulators).toEqual([]);
    }
    expect(await getDb().regulatorVersion.count()).toBe(0);
  });

  it("stores the image with the profile version; the same image is unchanged, a new one a new version", async () => {
    const first = png(240, 80);
    const report = await publishContent(getDb(), contentWithLogo(first));
    expect(report.find((r) => r.kind === "regulator")).toMatchObject({ id: "demo", version: 1, status: "new" });
    const v1 = await getDb().regulatorVersion.findFirstOrThrow({ where: { regulatorId: "demo" } });
    expect(Buffer.from(v1.logo!).equals(first)).toBe(true);
    expect(v1.logoType).toBe("image/png");
    expect(v1.logoHash).toMatch(/^[0-9a-f]{64}$/);

    const logo = await getRegulatorLogo("demo");
    expect(logo).toMatchObject({ type: "image/png", width: 240, height: 80, hash: v1.logoHash });
    expect(logo!.url).toBe(regulatorLogoUrl("demo", v1.logoHash!));
    expect(logo!.url).toBe(`/regulators/demo/logo/${v1.logoHash}`);

    const again = await publishContent(getDb(), contentWithLogo(first));
    expect(again.find((r) => r.kind === "regulator")).toMatchObject({ version: 1, status: "unchanged" });

    // The same file name with another image (a JPEG this time): a new version, served as JPEG.
    const second = jpeg(400, 100);
    const updated = await publishContent(getDb(), contentWithLogo(second));
    expect(updated.find((r) => r.kind === "regulator")).toMatchObject({ version: 2, status: "updated" });
    expect(await getRegulatorLogo("demo")).toMatchObject({ type: "image/jpeg", width: 400, height: 100 });
    // The first image still answers by its hash (a page printed before still finds it); others do not.
    expect(Buffer.from((await findRegulatorLogo("demo", v1.logoHash!))!.bytes).equals(first)).toBe(true);
    expect(await findRegulatorLogo("coto", v1.logoHash!)).toBeNull();
    expect(await findRegulatorLogo("demo", "0".repeat(64))).toBeNull();
  });

  it("gives a regulator without a logo none", async () => {
    const content = loadContent([fixtures], { fallbackCatalogDir: path.join(fixtures, "standards") });
    await publishContent(getDb(), content);
    expect(await getRegulatorLogo("demo")).toBeNull();
    expect(await getRegulatorLogo("nobody")).toBeNull();
  });
});
