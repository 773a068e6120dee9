// Dates and numbers for people, through Intl in the page's language (house style). Shared by the
// server and the browser, so both render the same text.
import { intlLocale, type Locale } from "~/i18n";

// Building an Intl formatter costs far more than using one (an analytics page formats hundreds of
// figures: ~7 ms a view went to building them), and a formatter never changes: one per locale and
// options, kept. The keys come from the two locales, fixed options and the regulators' time zones,
// so the map stays small; the bound is only a backstop.
type Formatter = Intl.NumberFormat | Intl.DateTimeFormat | Intl.ListFormat;
const formatters = new Map<string, Formatter>();

function kept<F extends Formatter>(key: string, make: () => F): F {
  let formatter = formatters.get(key) as F | undefined;
  if (!formatter) {
    if (formatters.size >= 1000) formatters.clear();
    formatter = make();
    formatters.set(key, formatter);
  }
  return formatter;
}

function numberFormat(locale: string, options: Intl.NumberFormatOptions = {}): Intl.NumberFormat {
  return kept(`n ${locale} ${JSON.stringify(options)}`, () => new Intl.NumberFormat(locale, options));
}

function dateFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  return kept(`d ${locale} ${JSON.stringify(options)}`, () => new Intl.DateTimeFormat(locale, options));
}

/** "2021-05" → "May 2021" / "mai 2021". */
export function formatMonth(release: string, locale: Locale): string {
  const [year, month] = release.split("-").map(Number);
  return dateFormat(intlLocale(locale), { year: "numeric", month: "long", timeZone: "UTC" }).format(
    new Date(Date.UTC(year!, month! - 1, 1)),
  );
}

/** "2026-04-01" → "April 1, 2026" / "1 avril 2026": a calendar day, the same on every clock. */
export function formatCalendarDay(day: string, locale: Locale): string {
  const [year, month, date] = day.split("-").map(Number);
  return dateFormat(intlLocale(locale), { dateStyle: "long", timeZone: "UTC" }).format(
    new Date(Date.UTC(year!, month! - 1, date!)),
  );
}

/**
 * The one rule for instants shown to a person: on the clock of the regulator the thing belongs to
 * (the case's, the cohort's, the certificate's; a transcript row's own), named when a time of day
 * is shown. Callers pass that regulator's `timeZone` (models/regulator-brand.server.ts
 * regulatorTimeZone / regulatorClocks). This zone is only the named fallback for what belongs to
 * no regulator (an account without one, platform-wide entries) or to one without a profile: the
 * first regulators' clock (Eastern), the same as the PDF documents' default.
 */
export const NO_REGULATOR_TIME_ZONE = "America/Toronto";

/** @deprecated The fallback's old name; pass the regulator's zone, or NO_REGULATOR_TIME_ZONE. */
export const DISPLAY_TIME_ZONE = NO_REGULATOR_TIME_ZONE;

/** The calendar day an instant falls on, on the regulator's clock: "March 12, 2025" (no time, no zone). */
export function formatDate(date: Date | string, locale: Locale, timeZone = NO_REGULATOR_TIME_ZONE): string {
  return dateFormat(intlLocale(locale), { dateStyle: "long", timeZone }).format(new Date(date));
}

/**
 * Date and time on a regulator's clock with the zone named, for records read far from it
 * (certificates): "March 12, 2025 at 9:30 p.m. EDT" / "12 mars 2025 à 21 h 30 HAE".
 */
export function formatZonedDateTime(date: Date | string, locale: Locale, timeZone = NO_REGULATOR_TIME_ZONE): string {
  return dateFormat(intlLocale(locale), {
    year: "numeric",
    month: "long",
    day: "numeric",
    hour: "numeric",
    minute: "2-digit",
    timeZoneName: "short",
    timeZone,
  }).format(new Date(date));
}

/** Date and time of day (audit entries, sessions): always with the zone named, as formatZonedDateTime. */
export function formatDateTime(date: Date | string, locale: Locale, timeZone = NO_REGULATOR_TIME_ZONE): string {
  return formatZonedDateTime(date, locale, timeZone);
}

/** Milliseconds to add to UTC to read the zone's wall clock at that instant. */
function zoneOffsetMs(instant: number, timeZone: string): number {
  const parts = dateFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  return wall - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant of 00:00 on a calendar day in a zone (pass the regulator's; NO_REGULATOR_TIME_ZONE by default). Month and
 * day may overflow as with Date.UTC (day 32 is the 1st of the next month). The offset is read for
 * that very day, then once more, so a daylight-saving change is handled.
 */
export function zonedMidnight(year: number, month: number, day: number, timeZone = NO_REGULATOR_TIME_ZONE): Date {
  const wall = Date.UTC(year, month - 1, day);
  let instant = wall - zoneOffsetMs(wall, timeZone);
  instant = wall - zoneOffsetMs(instant, timeZone);
  return new Date(instant);
}

/** "YYYY-MM-DD" as numbers, or null unless it names a real calendar day (no 2026-02-31). */
export function parseCalendarDay(value: string): { year: number; month: number; day: number } | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) return null;
  return { year, month, day };
}

/**
 * The instants a calendar day typed as YYYY-MM-DD spans on a regulator's clock: from its
 * midnight to the last millisecond before the next one, on the zone given (the regulator's). Null
 * for anything but a real day.
 */
export function calendarDayBounds(value: string, timeZone = NO_REGULATOR_TIME_ZONE): { start: Date; end: Date } | null {
  const parsed = parseCalendarDay(value);
  if (!parsed) return null;
  const { year, month, day } = parsed;
  return {
    start: zonedMidnight(year, month, day, timeZone),
    end: new Date(zonedMidnight(year, month, day + 1, timeZone).getTime() - 1),
  };
}

/** The calendar day (YYYY-MM-DD) an instant falls on, on the zone given (the regulator's). */
export function calendarDayOf(instant: Date, timeZone = NO_REGULATOR_TIME_ZONE): string {
  return dateFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(instant);
}

export function formatPercent(fraction: number, locale: Locale): string {
  return numberFormat(intlLocale(locale), { style: "percent", maximumFractionDigits: 1 }).format(fraction);
}

/** A number with at most two decimals, in the locale's way. */
export function formatDecimal(value: number, locale: Locale): string {
  return numberFormat(intlLocale(locale), { maximumFractionDigits: 2 }).format(value);
}

export function formatHours(hours: number, locale: Locale): string {
  return formatDecimal(hours, locale);
}

export function formatCount(value: number, locale: Locale): string {
  return numberFormat(intlLocale(locale)).format(value);
}

/** "4 minutes", "1 minute 30 seconds", in the locale's words. */
export function formatDuration(seconds: number, locale: Locale): string {
  const minutes = Math.floor(seconds / 60);
  const rest = Math.round(seconds - minutes * 60);
  const unit = (value: number, u: "minute" | "second") =>
    numberFormat(intlLocale(locale), { style: "unit", unit: u, unitDisplay: "long" }).format(value);
  if (minutes === 0) return unit(rest, "second");
  return rest === 0 ? unit(minutes, "minute") : `${unit(minutes, "minute")} ${unit(rest, "second")}`;
}

/** "a, b and c" / "a, b et c": parts of one sentence joined the way the language joins them. */
export function formatList(items: readonly string[], locale: Locale): string {
  return kept(`l ${locale}`, () => new Intl.ListFormat(intlLocale(locale), { type: "conjunction" })).format(items);
}
