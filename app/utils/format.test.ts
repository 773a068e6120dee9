import { describe, expect, it } from "vitest";
import {
  calendarDayBounds,
  calendarDayOf,
  formatCalendarDay,
  formatDate,
  formatDateTime,
  formatList,
  formatZonedDateTime,
  NO_REGULATOR_TIME_ZONE,
  parseCalendarDay,
  zonedMidnight,
} from "./format";

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

describe("formatCalendarDay", () => {
  it("names the day itself, whatever the clock", () => {
    expect(formatCalendarDay("2027-03-31", "en")).toBe("March 31, 2027");
    expect(formatCalendarDay("2026-04-01", "fr")).toBe("1 avril 2026");
  });
});

describe("formatDateTime", () => {
  it("shows date and time on the fallback clock with its zone named when no regulator is given", () => {
    expect(formatDateTime(new Date("2026-11-23T17:05:00Z"), "en")).toBe("November 23, 2026 at 12:05 p.m. EST");
  });

  it("shows an instant on a Vancouver regulator's clock, zone named: 06:30 UTC on Jan 2 is Jan 1, 22:30 PST", () => {
    const instant = new Date("2026-01-02T06:30:00Z");
    expect(formatDateTime(instant, "en", "America/Vancouver")).toBe("January 1, 2026 at 10:30 p.m. PST");
    expect(formatDateTime(instant, "fr", "America/Vancouver")).toBe("1 janvier 2026 à 22 h 30 HNP");
    // The calendar day is cut on that clock too, and differs from Toronto's (and UTC's).
    expect(formatDate(instant, "en", "America/Vancouver")).toBe("January 1, 2026");
    expect(formatDate(instant, "en", NO_REGULATOR_TIME_ZONE)).toBe("January 2, 2026");
    expect(calendarDayOf(instant, "America/Vancouver")).toBe("2026-01-01");
  });

  it("cuts a due date typed as a day on the Vancouver clock: the whole of that day there", () => {
    const bounds = calendarDayBounds("2026-01-01", "America/Vancouver")!;
    expect(bounds.start.toISOString()).toBe("2026-01-01T08:00:00.000Z");
    expect(bounds.end.toISOString()).toBe("2026-01-02T07:59:59.999Z");
    expect(formatDate(bounds.end, "en", "America/Vancouver")).toBe("January 1, 2026");
  });
});

describe("formatZonedDateTime", () => {
  it("shows the time on the regulator's clock with its zone named, summer and winter, in both languages", () => {
    const evening = new Date("2025-03-13T01:30:00Z");
    expect(formatZonedDateTime(evening, "en")).toBe("March 12, 2025 at 9:30 p.m. EDT");
    expect(formatZonedDateTime(evening, "en", "America/Vancouver")).toBe("March 12, 2025 at 6:30 p.m. PDT");
    expect(formatZonedDateTime(evening, "fr", "America/Vancouver")).toBe("12 mars 2025 à 18 h 30 HAP");
    expect(formatZonedDateTime(new Date("2026-03-03T19:05:00Z"), "en")).toBe("March 3, 2026 at 2:05 p.m. EST");
    expect(formatZonedDateTime(new Date("2026-03-03T19:05:00Z"), "fr")).toBe("3 mars 2026 à 14 h 05 HNE");
  });

  it("formatDate cuts the day on the zone it is given", () => {
    expect(formatDate(new Date("2025-03-13T05:30:00Z"), "en")).toBe("March 13, 2025");
    expect(formatDate(new Date("2025-03-13T05:30:00Z"), "en", "America/Vancouver")).toBe("March 12, 2025");
  });
});

describe("calendar days on the regulators' clock", () => {
  it("reads only real days", () => {
    expect(parseCalendarDay("2026-02-28")).toEqual({ year: 2026, month: 2, day: 28 });
    expect(parseCalendarDay("2026-02-29")).toBeNull();
    expect(parseCalendarDay("2026-13-01")).toBeNull();
    expect(parseCalendarDay("2026-1-01")).toBeNull();
  });

  it("spans a day from its midnight to the next one's, across daylight saving", () => {
    const winter = calendarDayBounds("2026-01-15")!;
    expect(winter.start.toISOString()).toBe("2026-01-15T05:00:00.000Z");
    expect(winter.end.toISOString()).toBe("2026-01-16T04:59:59.999Z");
    // Clocks go forward on 2026-03-08: a 23-hour day.
    const spring = calendarDayBounds("2026-03-08")!;
    expect(spring.start.toISOString()).toBe("2026-03-08T05:00:00.000Z");
    expect(spring.end.toISOString()).toBe("2026-03-09T03:59:59.999Z");
    expect(calendarDayBounds("2026-02-31")).toBeNull();
  });

  it("names the day an instant falls on there, not in UTC", () => {
    expect(calendarDayOf(new Date("2026-04-01T03:30:00Z"))).toBe("2026-03-31");
    expect(calendarDayOf(new Date("2026-04-01T04:30:00Z"))).toBe("2026-04-01");
    expect(calendarDayOf(new Date("2026-04-01T03:30:00Z"), "UTC")).toBe("2026-04-01");
  });
});

describe("formatList", () => {
  it("joins parts as each language does", () => {
    expect(formatList(["its image", "where it leads"], "en")).toBe("its image and where it leads");
    // Canadian English, as the rest of the page: no serial comma.
    expect(formatList(["a", "b", "c"], "en")).toBe("a, b and c");
    expect(formatList(["son image", "sa destination"], "fr")).toBe("son image et sa destination");
    expect(formatList(["a", "b", "c"], "fr")).toBe("a, b et c");
    expect(formatList(["alone"], "en")).toBe("alone");
  });
});
