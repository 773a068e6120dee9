import { describe, expect, it } from "vitest";
import { getI18n, isTranslationKey, translator } from "./index";

describe("translator", () => {
  it("answers plain keys as i18next does, in each locale", () => {
    for (const locale of ["en", "fr"] as const) {
      const t = translator(locale);
      for (const key of ["nav.cases", "debrief.title", "app.skipToContent"] as const) {
        expect(t(key)).toBe(getI18n(locale).t(key));
        expect(t(key)).toBe(t(key));
      }
    }
    expect(translator("en")("debrief.title")).toBe("Debrief");
    expect(translator("fr")("debrief.title")).not.toBe("Debrief");
  });

  it("interpolates and pluralizes calls with options on every call", () => {
    const t = translator("en");
    expect(t("app.signedInAs", { name: "Blair" })).toBe("Signed in as Blair");
    expect(t("app.signedInAs", { name: "Sam" })).toBe("Signed in as Sam");
    expect(t("cases.credit", { count: 1, hours: 1 })).toBe("1 credit hour");
    expect(t("cases.credit", { count: 2, hours: 2 })).toBe("2 credit hours");
  });

  it("tells a key of the catalogs from any other string", () => {
    expect(isTranslationKey("auth.errors.email")).toBe(true);
    expect(isTranslationKey("Invalid input: expected string, received undefined")).toBe(false);
    expect(isTranslationKey("regulators.nobody")).toBe(false);
  });

  it("returns the key itself for a key missing from the catalog", () => {
    // @ts-expect-error the types refuse a key the catalogs lack (./keys.test-d.ts); at run time it shows as itself.
    expect(translator("en")("no.such.key")).toBe("no.such.key");
  });
});
