// The due-date reminder sweep on an interval, in the server process (docs/decisions/025-reminders.md):
// every REMINDER_SWEEP_MINUTES (default 10; 0 turns it off, for deployments that run
// `npm run reminders:send` from cron instead) it queues the reminders due (models/reminder.server.ts);
// the mail sender sends them. A full batch is followed by another run a moment later
// (utils/sweeper.server.ts). Its lines carry `reqId: "reminders"` (ADR 011).
import { sweepReminders } from "~/models/reminder.server";
import { logger } from "./log.server";
import { intervalSetting, startSweeper, type IntervalSetting, type Sweeper } from "./sweeper.server";

export const DEFAULT_REMINDER_SWEEP_MINUTES = 10;

/** The interval REMINDER_SWEEP_MINUTES asks for (off under NODE_ENV=test unless set). */
export function reminderSweepInterval(env: NodeJS.ProcessEnv = process.env): IntervalSetting {
  return intervalSetting("REMINDER_SWEEP_MINUTES", DEFAULT_REMINDER_SWEEP_MINUTES, env);
}

/** Starts the sweep (first run at once, then every interval); a no-op when the interval is off. */
export function startReminderSweeper(options: { intervalMs?: number | null; batchSize?: number } = {}): Sweeper {
  const setting = reminderSweepInterval();
  return startSweeper({
    name: "reminders",
    intervalMs: options.intervalMs !== undefined ? options.intervalMs : setting.ok ? setting.ms : null,
    run: async () => {
      const result = await sweepReminders({ batchSize: options.batchSize });
      if (result.queued > 0) logger.info({ queued: result.queued, more: result.more }, "due-date reminders queued");
      return result.more;
    },
  });
}
