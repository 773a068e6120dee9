import { describe, expect, it } from "vitest";
import { formatDate } from "~/utils/format";
import { parseTranscriptRange } from "./transcript";

const range = (query: string, now?: Date) => parseTranscriptRange(new URLSearchParams(query), now);

describe("parseTranscriptRange", () => {
  it("includes both end days whole, on the clock dates are shown on", () => {
    const cycle = range("from=2026-01-01&to=2026-03-31")!;
    // 23:30 on March 31 in Toronto is already April 1 in UTC; it is shown as March 31, so it counts.
    const lateOnTheLastDay = new Date("2026-04-01T03:30:00Z");
    expect(formatDate(lateOnTheLastDay, "en")).toBe("March 31, 2026");
    expect(lateOnTheLastDay >= cycle.from && lateOnTheLastDay <= cycle.to).toBe(true);
    // 00:30 on April 1 in Toronto is outside; 00:30 on January 1 there is inside.
    const afterTheEnd = new Date("2026-04-01T04:30:00Z");
    expect(afterTheEnd <= cycle.to).toBe(false);
    expect(new Date("2026-01-01T05:30:00Z") >= cycle.from).toBe(true);
    expect(new Date("2026-01-01T04:30:00Z") >= cycle.from).toBe(false);
    // The period prints as the days that were asked for.
    expect(formatDate(cycle.from, "fr")).toBe("1 janvier 2026");
    expect(formatDate(cycle.to, "fr")).toBe("31 mars 2026");
  });

  it("defaults to the calendar year so far, as the regulators' clock reads it", () => {
    // 23:30 on December 31 in Toronto: still 2026 there, though 2027 in UTC.
    const lastEvening = range("", new Date("2027-01-01T04:30:00Z"))!;
    expect([lastEvening.fromInput, lastEvening.toInput]).toEqual(["2026-01-01", "2026-12-31"]);
    const newYear = range("", new Date("2027-01-01T05:30:00Z"))!;
    expect([newYear.fromInput, newYear.toInput]).toEqual(["2027-01-01", "2027-01-01"]);
  });

  it("refuses impossible, malformed and inverted ranges", () => {
    expect(range("from=2026-02-31&to=2026-03-31")).toBeNull();
    expect(range("from=2026-01-01&to=soon")).toBeNull();
    expect(range("from=2026-04-01&to=2026-03-31")).toBeNull();
    expect(range("from=2026-03-31&to=2026-03-31")).not.toBeNull();
  });
});
