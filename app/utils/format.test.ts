import { describe, expect, it } from "vitest";
import { formatDateTime, zonedMidnight } from "./format";

describe("zonedMidnight", () => {
  it("is 00:00 on the regulators' clock, in winter and in summer time, with day overflow", () => {
    expect(zonedMidnight(2026, 1, 1).toISOString()).toBe("2026-01-01T05:00:00.000Z");
    expect(zonedMidnight(2026, 7, 1).toISOString()).toBe("2026-07-01T04:00:00.000Z");
    // The day daylight saving time starts in Toronto, and the day after (overflowing February).
    expect(zonedMidnight(2026, 3, 8).toISOString()).toBe("2026-03-08T05:00:00.000Z");
    expect(zonedMidnight(2026, 2, 29).toISOString()).toBe("2026-03-01T05:00:00.000Z");
    expect(zonedMidnight(2026, 1, 1, "UTC").toISOString()).toBe("2026-01-01T00:00:00.000Z");
  });
});

describe("formatDateTime", () => {
  it("shows date and time on the regulators' clock", () => {
    expect(formatDateTime(new Date("2026-11-23T17:05:00Z"), "en")).toMatch(/^November 23, 2026 12:05\sp\.m\.$/);
  });
});
