// The analytics tally's catch-up on an interval, in the server process (ADR 026): every
// ANALYTICS_TALLY_MINUTES (default 1; 0 turns it off) it counts what learners wrote since the last
// run, a few short batches at a time (models/analytics-tally.server.ts), so the first view of a
// version's analytics after a busy day, or after an import of a year of attempts, does not wait for
// all of it. The analytics page still catches up whatever is left before it reads, so its figures
// never lag. Its lines carry `reqId: "analytics"` (ADR 011).
import { catchUpAnalytics } from "~/models/analytics-tally.server";
import { logger } from "./log.server";
import { intervalSetting, startSweeper, type IntervalSetting, type Sweeper } from "./sweeper.server";

export const DEFAULT_ANALYTICS_TALLY_MINUTES = 1;
/** Batches per run: about a second of work on the bench's 100,000 attempts, then a pause as long. */
const BATCHES_PER_RUN = 10;

/** The interval ANALYTICS_TALLY_MINUTES asks for (off under NODE_ENV=test unless set). */
export function analyticsTallyInterval(env: NodeJS.ProcessEnv = process.env): IntervalSetting {
  return intervalSetting("ANALYTICS_TALLY_MINUTES", DEFAULT_ANALYTICS_TALLY_MINUTES, env);
}

/** Starts the catch-up (first run at once, then every interval); a no-op when the interval is off. */
export function startAnalyticsSweeper(options: { intervalMs?: number | null } = {}): Sweeper {
  const setting = analyticsTallyInterval();
  return startSweeper({
    name: "analytics",
    intervalMs: options.intervalMs !== undefined ? options.intervalMs : setting.ok ? setting.ms : null,
    run: async () => {
      const counted = await catchUpAnalytics({ maxBatches: BATCHES_PER_RUN });
      if (counted.batches > 0) {
        logger.info(
          { attempts: counted.attempts, steps: counted.steps, done: counted.done },
          "counted into the analytics tally",
        );
      }
      return !counted.done;
    },
  });
}
