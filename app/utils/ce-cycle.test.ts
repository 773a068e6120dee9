import { describe, expect, it } from "vitest";
import { cycleContaining, cycleStartingOn, recentCycles } from "./ce-cycle";

const coto = { cycleYears: 1, requiredHours: 2, cycleStart: "04-01" };
const twoYear = { cycleYears: 2, requiredHours: 4, cycleStart: "01-01" };
const TORONTO = "America/Toronto";

describe("CE cycles on the regulator's clock", () => {
  it("runs from the start day's midnight to the next cycle's, in the regulator's time zone", () => {
    const cycle = cycleContaining(new Date("2026-07-15T12:00:00Z"), coto, TORONTO);
    expect(cycle).toMatchObject({ start: "2026-04-01", end: "2027-03-31", timeZone: TORONTO });
    // Midnight in Toronto: EDT (UTC-4) on April 1st both years.
    expect(cycle.from.toISOString()).toBe("2026-04-01T04:00:00.000Z");
    expect(cycle.until.toISOString()).toBe("2027-04-01T04:00:00.000Z");
  });

  it("puts 23:30 on the last day in the cycle, and 00:00 the next day in the next one", () => {
    // 2027-03-31 23:30 in Toronto is 2027-04-01 03:30 UTC: a UTC cut would move it to the next cycle.
    expect(cycleContaining(new Date("2027-04-01T03:30:00Z"), coto, TORONTO).start).toBe("2026-04-01");
    expect(cycleContaining(new Date("2027-04-01T03:59:59.999Z"), coto, TORONTO).start).toBe("2026-04-01");
    expect(cycleContaining(new Date("2027-04-01T04:00:00Z"), coto, TORONTO).start).toBe("2027-04-01");
    // The first instant of a cycle is in it; the one before is in the previous cycle.
    expect(cycleContaining(new Date("2026-04-01T04:00:00Z"), coto, TORONTO).start).toBe("2026-04-01");
    expect(cycleContaining(new Date("2026-04-01T03:59:59Z"), coto, TORONTO).start).toBe("2025-04-01");
  });

  it("cuts on the regulator's own zone (Vancouver is three hours behind Toronto)", () => {
    // 2026-01-01 02:00 UTC is still December 31st in Vancouver: the 2024–2025 cycle.
    const cycle = cycleContaining(new Date("2026-01-01T02:00:00Z"), twoYear, "America/Vancouver");
    expect(cycle).toMatchObject({ start: "2024-01-01", end: "2025-12-31" });
    expect(cycle.until.toISOString()).toBe("2026-01-01T08:00:00.000Z");
  });

  it("starts cycles of several years in the years divisible by their length", () => {
    expect(cycleContaining(new Date("2027-06-01T12:00:00Z"), twoYear, TORONTO)).toMatchObject({
      start: "2026-01-01",
      end: "2027-12-31",
    });
    expect(cycleStartingOn("2026-01-01", twoYear, TORONTO)?.end).toBe("2027-12-31");
    expect(cycleStartingOn("2027-01-01", twoYear, TORONTO)).toBeNull();
  });

  it("knows only real cycle starts", () => {
    expect(cycleStartingOn("2026-04-01", coto, TORONTO)?.end).toBe("2027-03-31");
    expect(cycleStartingOn("2026-04-02", coto, TORONTO)).toBeNull();
    expect(cycleStartingOn("2026-02-30", coto, TORONTO)).toBeNull();
    expect(cycleStartingOn("next year", coto, TORONTO)).toBeNull();
  });

  it("takes a start day past the month's end as its last day (February 29th in common years)", () => {
    const leap = { cycleYears: 1, requiredHours: 0, cycleStart: "02-29" };
    expect(cycleContaining(new Date("2027-03-10T12:00:00Z"), leap, "UTC")).toMatchObject({
      start: "2027-02-28",
      end: "2028-02-28",
    });
    expect(cycleStartingOn("2028-02-29", leap, "UTC")?.end).toBe("2029-02-27");
  });

  it("lists the current cycle and the ones before it, newest first", () => {
    const cycles = recentCycles(new Date("2026-12-01T12:00:00Z"), coto, TORONTO, 3);
    expect(cycles.map((c) => c.start)).toEqual(["2026-04-01", "2025-04-01", "2024-04-01"]);
    expect(recentCycles(new Date("2026-12-01T12:00:00Z"), twoYear, TORONTO, 2).map((c) => c.start)).toEqual([
      "2026-01-01",
      "2024-01-01",
    ]);
  });
});
