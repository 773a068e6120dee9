// How long the regulator keeps a closed account's completion records: the one place that says so.
// ACCME and ANCC ask providers to keep CE records 6 years; counted from each record's completion
// date. A regulator's profile sets its own (`retentionYears`, default 6); this constant is for
// records of a regulator without a profile (app/models/retention.server.ts).
// Shared by the server (records:purge) and the pages that tell a learner what closing keeps.

/** Years a completion record of a closed account is kept after its completion date. */
export const RETENTION_YEARS = 6;

/** The instant before which a record completed has outlived its retention period, as of `now`. */
export function retentionCutoff(now: Date, years: number = RETENTION_YEARS): Date {
  const cutoff = new Date(now);
  cutoff.setUTCFullYear(cutoff.getUTCFullYear() - years);
  return cutoff;
}
