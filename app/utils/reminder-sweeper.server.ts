// The due-date reminder sweep on an interval, in the server process (started and stopped by
// scripts/serve.js beside the mail sender; docs/decisions/025-reminders.md). Every
// REMINDER_SWEEP_MINUTES (default 10; 0 turns it off, for deployments that run
// `npm run reminders:send` from cron instead) it queues the reminders due (models/reminder.server.ts);
// the mail sender sends them. A full batch is followed by another run a moment later, so a large
// college's sweep is spread over short runs instead of one that holds the database. It never throws
// into the server: a failed run is logged and the next one tries again. Its lines carry
// `reqId: "reminders"` (ADR 011).
import { sweepReminders } from "~/models/reminder.server";
import { logger, runWithRequestId } from "./log.server";

export const DEFAULT_REMINDER_SWEEP_MINUTES = 10;
/** The pause between two runs when a run filled its batch. */
const NEXT_BATCH_MS = 1000;

/**
 * The interval REMINDER_SWEEP_MINUTES asks for, in ms (null: off), or the message a person can act
 * on. Fractions are allowed (tests); NODE_ENV=test leaves it off unless set.
 */
export function reminderSweepInterval(
  env: NodeJS.ProcessEnv = process.env,
): { ok: true; ms: number | null } | { ok: false; message: string } {
  const raw = env.REMINDER_SWEEP_MINUTES;
  if (raw === undefined || raw.trim() === "") {
    return { ok: true, ms: env.NODE_ENV === "test" ? null : DEFAULT_REMINDER_SWEEP_MINUTES * 60_000 };
  }
  const minutes = Number(raw);
  if (!Number.isFinite(minutes) || minutes < 0 || minutes > 24 * 60) {
    return {
      ok: false,
      message: `REMINDER_SWEEP_MINUTES must be a number of minutes from 0 (off) to 1440 (got "${raw}").`,
    };
  }
  return { ok: true, ms: minutes === 0 ? null : Math.max(1000, minutes * 60_000) };
}

export type ReminderSweeper = { stop: () => Promise<void> };

/** Starts the sweep (first run at once, then every interval); a no-op when the interval is off. */
export function startReminderSweeper(
  options: { intervalMs?: number | null; batchSize?: number } = {},
): ReminderSweeper {
  const setting = reminderSweepInterval();
  const intervalMs = options.intervalMs !== undefined ? options.intervalMs : setting.ok ? setting.ms : null;
  if (intervalMs === null) return { stop: async () => {} };
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  const round = () =>
    runWithRequestId("reminders", async () => {
      try {
        const result = await sweepReminders({ batchSize: options.batchSize });
        if (result.queued > 0) logger.info({ queued: result.queued, more: result.more }, "due-date reminders queued");
        return result.more;
      } catch (error) {
        logger.error({ err: error }, "reminder sweep failed; trying again at the next run");
        return false;
      }
    });
  const schedule = (delay: number) => {
    if (stopped) return;
    timer = setTimeout(run, delay);
    timer.unref();
  };
  const run = () => {
    running = round().then((more) => {
      running = undefined;
      schedule(more ? NEXT_BATCH_MS : intervalMs);
    });
  };

  schedule(0);
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
