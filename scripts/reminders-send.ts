import { reminderPolicy, sweepReminders } from "../app/models/reminder.server";
import { UsageError } from "../app/utils/case-files.server";
import { getDb } from "../app/utils/db.server";
import { getEnv } from "../app/utils/env.server";
import { EXIT_CONTENT, EXIT_OK, runCli } from "./lib/cli";
import { unmigratedReason } from "./lib/database";

const usage = `Usage: npm run reminders:send -- [--now ISO-DATE] [--batch N]

Queues the due-date reminders that are due (docs/decisions/025-reminders.md): for each assignment
due within the week, an email to each cohort member who has not completed it, a week before and a
day before the due date (from 09:00 on the regulator's clock). Each reminder is queued once, however
often this runs and whatever else sweeps (the server does, every REMINDER_SWEEP_MINUTES; set it to 0
when cron runs this instead). The server's mail sender sends what is queued. Works on the database
named by DATABASE_URL (default file:./data/vignette.db), which must be migrated.

  --now ISO-DATE    sweep as of this instant instead of the present (rehearsals, tests)
  --batch N         reminders queued per transaction round (default ${reminderPolicy.batchSize}); runs
                    rounds until nothing is left

Exit codes: 0 done (or nothing to do), 1 the database is missing or not migrated, 2 usage.`;

runCli(usage, { now: { type: "string" }, batch: { type: "string" } }, async ({ positionals, values }) => {
  if (positionals.length > 0) throw new UsageError(`unexpected argument: ${positionals[0]}`);
  const now = values.now === undefined ? new Date() : new Date(values.now);
  if (Number.isNaN(now.getTime())) throw new UsageError(`--now: not a date: ${values.now}`);
  const batchSize = values.batch === undefined ? reminderPolicy.batchSize : Number(values.batch);
  if (!Number.isSafeInteger(batchSize) || batchSize < 1 || batchSize > 10_000) {
    throw new UsageError(`--batch: a whole number from 1 to 10000 (got ${values.batch})`);
  }
  const unmigrated = await unmigratedReason(getEnv().DATABASE_URL);
  if (unmigrated) {
    console.error(unmigrated);
    return EXIT_CONTENT;
  }
  try {
    let total = 0;
    for (;;) {
      const { queued, more } = await sweepReminders({ now, batchSize });
      total += queued;
      if (!more) break;
    }
    console.log(
      total === 0 ? "No reminder is due." : `Queued ${total} reminder(s); the server's mail sender sends them.`,
    );
    return EXIT_OK;
  } finally {
    await getDb().$disconnect();
  }
});
