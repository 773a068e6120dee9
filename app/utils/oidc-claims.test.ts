import { describe, expect, it } from "vitest";
import { claimAt, mapClaims } from "./oidc-claims";
import { DEFAULT_CLAIMS } from "./oidc-config";

const coto = { registration: { pattern: "[A-Z]{2}-\\d{4}" } };
const portal = {
  sub: "portal-42",
  name: "Ada Lovelace",
  email: "Ada@Example.org",
  email_verified: true,
  registration_number: "OT-1234",
};

describe("mapClaims", () => {
  it("reads the name, the email (lower-cased), its verification and the registration number", () => {
    expect(mapClaims(portal, DEFAULT_CLAIMS, coto)).toEqual({
      ok: true,
      value: {
        subject: "portal-42",
        name: "Ada Lovelace",
        email: "ada@example.org",
        emailVerified: true,
        registrationNumber: "OT-1234",
      },
    });
  });

  it("follows a mapping to other claim names and into nested claims", () => {
    const claims = { sub: "s", display: "Émile Zola", mail: "e@x.org", licence: { number: "AB-0001" } };
    const mapped = mapClaims(claims, { name: "display", email: "mail", registrationNumber: "licence.number" }, coto);
    expect(mapped).toMatchObject({
      ok: true,
      value: { name: "Émile Zola", email: "e@x.org", registrationNumber: "AB-0001" },
    });
    expect(claimAt({ "https://x.org/reg": "1" }, "https://x.org/reg")).toBe("1");
  });

  it("takes given and family names when there is no name claim, and a number sent as a number", () => {
    const claims = { sub: "s", given_name: "Marie", family_name: "Curie", email: "m@x.org", registration_number: 4521 };
    expect(mapClaims(claims, DEFAULT_CLAIMS, {})).toMatchObject({
      ok: true,
      value: { name: "Marie Curie", registrationNumber: "4521" },
    });
  });

  it("counts the email as verified only when the portal says true", () => {
    const of = (email_verified: unknown) => mapClaims({ ...portal, email_verified }, DEFAULT_CLAIMS, coto);
    expect(of("true")).toMatchObject({ value: { emailVerified: true } });
    expect(of(false)).toMatchObject({ value: { emailVerified: false } });
    expect(of("yes")).toMatchObject({ value: { emailVerified: false } });
    expect(of(undefined)).toMatchObject({ value: { emailVerified: false } });
  });

  it("refuses a registration number of another form than the profile's, or outside letters, digits and -", () => {
    expect(mapClaims({ ...portal, registration_number: "1234" }, DEFAULT_CLAIMS, coto)).toEqual({
      ok: false,
      code: "registration-pattern",
    });
    expect(mapClaims({ ...portal, registration_number: "OT 1234; DROP" }, DEFAULT_CLAIMS, {})).toEqual({
      ok: false,
      code: "registration-pattern",
    });
  });

  it("names the first claim that is missing or unusable", () => {
    const without = (key: string, value?: unknown) => mapClaims({ ...portal, [key]: value }, DEFAULT_CLAIMS, coto);
    expect(without("sub")).toEqual({ ok: false, code: "missing-subject" });
    expect(without("name")).toEqual({ ok: false, code: "missing-name" });
    expect(without("name", "Ada\u202Eecalevol")).toEqual({ ok: false, code: "missing-name" });
    expect(without("name", "x".repeat(201))).toEqual({ ok: false, code: "missing-name" });
    expect(without("email", "not an address")).toEqual({ ok: false, code: "missing-email" });
    expect(without("registration_number", "  ")).toEqual({ ok: false, code: "missing-registration" });
    expect(without("registration_number", { number: "OT-1234" })).toEqual({ ok: false, code: "missing-registration" });
  });
});
