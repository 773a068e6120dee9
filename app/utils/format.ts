// Dates and numbers for people, through Intl in the page's language (house style). Shared by the
// server and the browser, so both render the same text.
import { intlLocale, type Locale } from "~/i18n";

/** "2021-05" → "May 2021" / "mai 2021". */
export function formatMonth(release: string, locale: Locale): string {
  const [year, month] = release.split("-").map(Number);
  return new Intl.DateTimeFormat(intlLocale(locale), { year: "numeric", month: "long", timeZone: "UTC" }).format(
    new Date(Date.UTC(year!, month! - 1, 1)),
  );
}

/** Instants are shown on the regulators' clock (Eastern), the same as on the PDF documents. */
export const DISPLAY_TIME_ZONE = "America/Toronto";

export function formatDate(date: Date | string, locale: Locale): string {
  return new Intl.DateTimeFormat(intlLocale(locale), { dateStyle: "long", timeZone: DISPLAY_TIME_ZONE }).format(
    new Date(date),
  );
}

export function formatPercent(fraction: number, locale: Locale): string {
  return new Intl.NumberFormat(intlLocale(locale), { style: "percent", maximumFractionDigits: 1 }).format(fraction);
}

export function formatHours(hours: number, locale: Locale): string {
  return new Intl.NumberFormat(intlLocale(locale), { maximumFractionDigits: 2 }).format(hours);
}
