import { describe, expect, it } from "vitest";
import { safeRedirect } from "./session.server";

describe("safeRedirect", () => {
  it("keeps same-site paths with their query and fragment", () => {
    expect(safeRedirect("/cases/blair/attempts/a1?x=1#top")).toBe("/cases/blair/attempts/a1?x=1#top");
    expect(safeRedirect("/me/transcript?from=2026-01-01&to=2026-03-31")).toBe(
      "/me/transcript?from=2026-01-01&to=2026-03-31",
    );
  });

  it("never leaves the site, however the path is dressed up", () => {
    for (const evil of [
      "//evil.example",
      "/\\evil.example",
      "/\t/evil.example",
      "/\n/evil.example",
      "/\r\n/evil.example",
      "/.//evil.example",
      "/%2e//evil.example",
      "/a/..//evil.example",
      "\\/evil.example",
      "https://evil.example",
      "javascript:alert(1)",
      " /cases",
      "cases",
      "",
    ]) {
      expect(safeRedirect(evil, "/fallback"), JSON.stringify(evil)).toBe("/fallback");
    }
    expect(safeRedirect(null)).toBe("/");
    expect(safeRedirect(undefined, "/cases")).toBe("/cases");
  });

  it("sends the path a browser would follow, not the raw text", () => {
    // A backslash after the first character is a slash to a browser: the path stays on the site.
    expect(safeRedirect("/cases\\blair")).toBe("/cases/blair");
    expect(safeRedirect("/cases/../me/transcript")).toBe("/me/transcript");
  });
});
