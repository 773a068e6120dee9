import { calendarDayBounds, calendarDayOf } from "~/utils/format";

export type TranscriptRange = { from: Date; to: Date; fromInput: string; toInput: string };

/**
 * ?from=YYYY-MM-DD&to=YYYY-MM-DD, both days included, on the regulators' clock (the one every
 * date is shown on, so a completion shown as "March 31" is inside a cycle ending March 31); by
 * default the calendar year so far. Returns null for a malformed, impossible or inverted range.
 */
export function parseTranscriptRange(params: URLSearchParams, now = new Date()): TranscriptRange | null {
  const today = calendarDayOf(now);
  const fromInput = params.get("from") || `${today.slice(0, 4)}-01-01`;
  const toInput = params.get("to") || today;
  const from = calendarDayBounds(fromInput)?.start;
  const to = calendarDayBounds(toInput)?.end;
  if (!from || !to || from > to) return null;
  return { from, to, fromInput, toInput };
}
