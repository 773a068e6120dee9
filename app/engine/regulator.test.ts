import { describe, expect, it } from "vitest";
import { jpeg, png, svg } from "../../tests/support/images";
import { imageInfo, LOGO_LIMITS, profileChanges, registrationMatches, validateLogo } from "./regulator";
import { regulatorProfileSchema } from "./schema";
import { validateRegulator } from "./validate";

describe("registrationMatches", () => {
  it("takes any number without a pattern, and only a whole match with one", () => {
    expect(registrationMatches({}, "anything")).toBe(true);
    const profile = { registration: { pattern: "G\\d{5}" } };
    expect(registrationMatches(profile, "G12345")).toBe(true);
    expect(registrationMatches(profile, "G123456")).toBe(false);
    expect(registrationMatches(profile, "xG12345")).toBe(false);
    // An alternation is anchored as a whole, not only its first branch.
    expect(registrationMatches({ registration: { pattern: "A\\d|B\\d" } }, "B1x")).toBe(false);
  });
});

describe("regulator profiles", () => {
  const minimal = { format: 1, id: "demo", name: { en: "Demo", fr: "Démo" }, timeZone: "America/Toronto" };

  it("fills in the defaults of a minimal profile", () => {
    expect(regulatorProfileSchema.parse(minimal)).toEqual({ ...minimal, retentionYears: 6 });
  });

  it("reports a bad time zone, a pattern that does not compile and a missing French name at their paths", () => {
    const result = validateRegulator({
      file: "cases/regulators/demo.json",
      value: { ...minimal, name: { en: "Demo" }, timeZone: "Toronto", registration: { pattern: "([" } },
    });
    expect(result.profile).toBeUndefined();
    expect(result.diagnostics.map((d) => d.path).sort()).toEqual(["/name", "/registration/pattern", "/timeZone"]);
  });
});

describe("regulator logos", () => {
  const file = "cases/regulators/demo.json";
  const check = (bytes: Uint8Array | null, size?: number) =>
    validateLogo({ file, logo: "demo.png", bytes, ...(size === undefined ? {} : { size }) });
  const message = (bytes: Uint8Array | null, size?: number) => {
    const { image, diagnostics } = check(bytes, size);
    expect(image).toBeUndefined();
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ severity: "error", file, path: "/logo" });
    return diagnostics[0]!.message;
  };

  it("reads a PNG's and a JPEG's type and size from their first bytes, whatever the name says", () => {
    expect(imageInfo(png(240, 80))).toEqual({ type: "image/png", width: 240, height: 80 });
    expect(imageInfo(jpeg(300, 1200))).toEqual({ type: "image/jpeg", width: 300, height: 1200 });
    expect(check(jpeg(64, 64))).toEqual({ image: { type: "image/jpeg", width: 64, height: 64 }, diagnostics: [] });
  });

  it("refuses a file that is neither, naming the image and saying why", () => {
    expect(message(Buffer.from("GIF89a\x01\x00\x01\x00"))).toBe(
      "demo.png is not a PNG or JPEG image (its first bytes are neither)",
    );
    expect(message(Buffer.from("<!doctype html><p>hi"))).toMatch(/^demo\.png is text \(HTML or XML\)/);
    // A PNG signature with no header after it, and a JPEG without a frame header.
    expect(message(png(4, 4).subarray(0, 12))).toMatch(/damaged PNG/);
    expect(message(Buffer.from([0xff, 0xd8, 0xff, 0xd9]))).toMatch(/damaged JPEG/);
  });

  it("refuses SVG, even named .png and with a byte-order mark: it can carry script", () => {
    expect(message(svg)).toMatch(/^demo\.png is an SVG image, which is not accepted \(it can carry script\)/);
    expect(message(Buffer.concat([Buffer.from("\uFEFF  "), svg.subarray(svg.indexOf("<svg"))]))).toMatch(/SVG/);
  });

  it("refuses a missing, empty, too heavy or too large image", () => {
    expect(message(null)).toBe("demo.png was not found: put the image beside the profile, or remove `logo`");
    expect(message(new Uint8Array())).toBe("demo.png is empty");
    expect(message(new Uint8Array(), 5 * 1024 * 1024)).toBe("demo.png is 5120 KiB; a logo may be at most 512 KiB");
    expect(message(new Uint8Array(LOGO_LIMITS.bytes + 1))).toMatch(/is 513 KiB/);
    expect(message(png(LOGO_LIMITS.pixels + 1, 1))).toBe("demo.png is 2001×1 px; a logo may be at most 2000 px a side");
    expect(message(jpeg(10, 0))).toBe("demo.png has no pixels (width or height 0)");
    expect(check(png(LOGO_LIMITS.pixels, 1)).image).toBeDefined();
  });

  it("takes a logo file name (no folders) and a colour readable on white, at their paths", () => {
    const minimal = { format: 1, id: "demo", name: { en: "Demo", fr: "Démo" }, timeZone: "America/Toronto" };
    expect(
      validateRegulator({ file, value: { ...minimal, logo: "demo.png", colour: "#17546b" } }).profile,
    ).toBeDefined();
    const bad = validateRegulator({ file, value: { ...minimal, logo: "../secrets/key.png", colour: "#ffee00" } });
    expect(bad.diagnostics.map((d) => [d.path, d.message])).toEqual([
      ["/logo", 'logo is the name of an image file beside the profile, e.g. "coto.png" (no folders)'],
      ["/colour", "colour must be dark enough to read on white (a contrast of 4.5:1 or more)"],
    ]);
    const malformed = validateRegulator({ file, value: { ...minimal, colour: "teal" } });
    expect(malformed.diagnostics.map((d) => d.message)).toEqual(['colour is written "#rrggbb", e.g. "#17546b"']);
  });
});

describe("profileChanges", () => {
  const before = regulatorProfileSchema.parse({
    $schema: "../schema/regulator.schema.json",
    format: 1,
    id: "demo",
    name: { en: "Demo", fr: "Démo" },
    timeZone: "America/Toronto",
    contact: { email: "a@example.test" },
  });

  it("lists each changed, added and removed field by its pointer, and nothing for the same profile", () => {
    expect(profileChanges(before, before)).toEqual([]);
    const after = regulatorProfileSchema.parse({
      format: 1,
      id: "demo",
      name: { en: "Demo", fr: "Démo (nouveau)" },
      timeZone: "America/Vancouver",
      retentionYears: 10,
    });
    expect(profileChanges(before, after)).toEqual([
      { path: "/name/fr", before: "Démo", after: "Démo (nouveau)" },
      { path: "/timeZone", before: "America/Toronto", after: "America/Vancouver" },
      { path: "/retentionYears", before: "6", after: "10" },
      { path: "/contact/email", before: "a@example.test", after: null },
    ]);
  });

  it("lists every field of a first profile as added, never the editor's $schema hint", () => {
    const changes = profileChanges(null, before);
    expect(changes.map((c) => c.path)).toEqual([
      "/format",
      "/id",
      "/name/en",
      "/name/fr",
      "/timeZone",
      "/contact/email",
      "/retentionYears",
    ]);
    expect(changes.every((c) => c.before === null)).toBe(true);
  });
});
