import { z } from "zod";

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)));

export type TranscriptRange = { from: Date; to: Date; fromInput: string; toInput: string };

/**
 * ?from=YYYY-MM-DD&to=YYYY-MM-DD, whole days in UTC; by default the calendar year so far.
 * Returns null for a malformed or inverted range.
 */
export function parseTranscriptRange(params: URLSearchParams, now = new Date()): TranscriptRange | null {
  const year = now.getUTCFullYear();
  const fromInput = params.get("from") || `${year}-01-01`;
  const toInput = params.get("to") || now.toISOString().slice(0, 10);
  if (!day.safeParse(fromInput).success || !day.safeParse(toInput).success) return null;
  const from = new Date(`${fromInput}T00:00:00.000Z`);
  const to = new Date(`${toInput}T23:59:59.999Z`);
  if (from > to) return null;
  return { from, to, fromInput, toInput };
}
