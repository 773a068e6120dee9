import { planPurge, purgeExpiredRecords, type PurgePlan } from "../app/models/retention.server";
import { UsageError } from "../app/utils/case-files.server";
import { createDb } from "../app/utils/db.server";
import { getEnv } from "../app/utils/env.server";
import { RETENTION_YEARS } from "../app/utils/retention";
import { EXIT_CONTENT, EXIT_OK, runCli } from "./lib/cli";
import { unmigratedReason } from "./lib/database";

const usage = `Usage: npm run records:purge -- [--yes] [--now ISO-DATE]

Deletes the completion records of closed accounts once their retention period is over: each record
is kept its regulator's retentionYears after its completion date (cases/regulators/<id>.json; default
6; ${RETENTION_YEARS}, RETENTION_YEARS in app/utils/retention.ts, for a regulator without a profile), then
goes with its certificate and the attempt behind it; a closed account left with nothing is deleted
too. An open account's records are never purged (the database refuses it). Works on the database
named by DATABASE_URL (default file:./data/vignette.db), which must be migrated.

By default it only says what it would delete: rows per table and the oldest and newest completion
date. Nothing is deleted without --yes.

  --yes             delete, in one transaction, and record the counts in the audit log
  --now ISO-DATE    count retention as of this instant instead of the present (rehearsals, tests)

Exit codes: 0 done (or nothing to do), 1 the database is missing or not migrated, 2 usage.`;

function print(plan: PurgePlan, deleted: boolean) {
  for (const period of plan.periods) {
    console.log(
      `${period.regulator}: retention ${period.retentionYears} years: records of closed accounts completed before ${period.cutoff.toISOString()}.`,
    );
  }
  for (const [table, rows] of Object.entries(plan.counts)) console.log(`${String(rows).padStart(10)}  ${table}`);
  if (plan.oldest && plan.newest) {
    console.log(`Completed between ${plan.oldest.toISOString()} and ${plan.newest.toISOString()}.`);
  }
  const total = Object.values(plan.counts).reduce((sum, n) => sum + n, 0);
  if (total === 0) console.log("Nothing has outlived its retention period.");
  else if (deleted) console.log(`Deleted ${total} row(s); the audit log records the purge.`);
  else console.log(`Would delete ${total} row(s). Nothing was deleted: run again with --yes to delete them.`);
}

runCli(usage, { yes: { type: "boolean" }, now: { type: "string" } }, async ({ positionals, values }) => {
  if (positionals.length > 0) throw new UsageError(`unexpected argument: ${positionals[0]}`);
  const now = values.now === undefined ? new Date() : new Date(values.now);
  if (Number.isNaN(now.getTime())) throw new UsageError(`--now: not a date: ${values.now}`);
  const databaseUrl = getEnv().DATABASE_URL;
  const unmigrated = await unmigratedReason(databaseUrl);
  if (unmigrated) {
    console.error(unmigrated);
    return EXIT_CONTENT;
  }
  const db = createDb(databaseUrl);
  try {
    if (values.yes) print(await purgeExpiredRecords(db, now), true);
    else print(await planPurge(db, now), false);
    return EXIT_OK;
  } finally {
    await db.$disconnect();
  }
});
