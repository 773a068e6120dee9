// Continuing-education cycles: the periods a regulator's QA program checks hours over, cut on the
// regulator's own clock with the one calendar-day helper (./format). Pure, shared by the QA report
// page, its downloads and `npm run records:export`.
import { calendarDayOf, parseCalendarDay, zonedMidnight } from "./format";

/** A profile's `ce` settings (defaults filled in by the schema). */
export type CeSettings = { cycleYears: number; requiredHours: number; cycleStart: string };

export type CeCycle = {
  /** First day, YYYY-MM-DD on the regulator's clock. */
  start: string;
  /** Last day, YYYY-MM-DD on the regulator's clock. */
  end: string;
  /** 00:00 of the first day there (inclusive). */
  from: Date;
  /** 00:00 of the day after the last (exclusive): a completion at 23:59 on the last day counts. */
  until: Date;
  timeZone: string;
};

/** When a profile has no `ce`: yearly cycles from January 1st, nothing required. */
export const DEFAULT_CE: CeSettings = { cycleYears: 1, requiredHours: 0, cycleStart: "01-01" };

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * The day a cycle begins in `year`. "MM-DD" past the month's end (02-29 in a common year, 04-31)
 * means the month's last day, so every year has exactly one start.
 */
function startDay(year: number, cycleStart: string): { year: number; month: number; day: number } {
  const [month, day] = cycleStart.split("-").map(Number) as [number, number];
  return { year, month, day: Math.min(day, daysInMonth(year, month)) };
}

/**
 * Which years a cycle starts in. A profile gives the month and day but no year, so a cycle of N
 * years starts in the years divisible by N (a 2-year cycle in even years): every regulator's
 * cycles are then fixed and never overlap.
 */
function alignedYear(year: number, cycleYears: number): number {
  return year - (((year % cycleYears) + cycleYears) % cycleYears);
}

function cycleFromYear(year: number, ce: CeSettings, timeZone: string): CeCycle {
  const first = startDay(year, ce.cycleStart);
  const next = startDay(year + ce.cycleYears, ce.cycleStart);
  const from = zonedMidnight(first.year, first.month, first.day, timeZone);
  const until = zonedMidnight(next.year, next.month, next.day, timeZone);
  return {
    start: `${pad(first.year, 4)}-${pad(first.month)}-${pad(first.day)}`,
    end: calendarDayOf(new Date(until.getTime() - 1), timeZone),
    from,
    until,
    timeZone,
  };
}

/** The cycle an instant falls in, on the regulator's clock. */
export function cycleContaining(instant: Date, ce: CeSettings, timeZone: string): CeCycle {
  const day = calendarDayOf(instant, timeZone);
  const { year } = parseCalendarDay(day)!;
  // Before this year's start day, the instant belongs to the cycle that began the year before.
  const candidate = day < cycleFromYear(year, { ...ce, cycleYears: 1 }, timeZone).start ? year - 1 : year;
  return cycleFromYear(alignedYear(candidate, ce.cycleYears), ce, timeZone);
}

/** The cycle that starts on `start` (YYYY-MM-DD), or null when no cycle starts that day. */
export function cycleStartingOn(start: string, ce: CeSettings, timeZone: string): CeCycle | null {
  const parsed = parseCalendarDay(start);
  if (!parsed || alignedYear(parsed.year, ce.cycleYears) !== parsed.year) return null;
  const cycle = cycleFromYear(parsed.year, ce, timeZone);
  return cycle.start === start ? cycle : null;
}

/** The cycle containing `now` and the `count - 1` before it, newest first. */
export function recentCycles(now: Date, ce: CeSettings, timeZone: string, count: number): CeCycle[] {
  const current = cycleContaining(now, ce, timeZone);
  const firstYear = Number(current.start.slice(0, 4));
  return Array.from({ length: count }, (_, i) => cycleFromYear(firstYear - i * ce.cycleYears, ce, timeZone));
}
