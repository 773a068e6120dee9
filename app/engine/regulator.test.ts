import { describe, expect, it } from "vitest";
import { registrationMatches } from "./regulator";
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
