// A job the server runs on an interval, in its own process (started and stopped by scripts/serve.js
// beside the mail sender): the due-date reminders (ADR 025) and the analytics tally's catch-up
// (ADR 026). Each run does one bounded piece of work; a run that left more is followed by another
// a moment later, so a large backlog is spread over short runs instead of one that holds the
// database. A run never throws into the server: a failure is logged and the next run tries again.
// Its log lines carry the job's name as their request id (ADR 011).
import { logger, runWithRequestId } from "./log.server";

/** The interval an environment variable asks for, in ms (null: off), or a message a person can act on. */
export type IntervalSetting = { ok: true; ms: number | null } | { ok: false; message: string };

/** The shortest interval, whatever is asked for. */
const FLOOR_MS = 1000;

/**
 * Reads `name` as a number of minutes from 0 (off) to 1440; fractions are allowed (tests). Unset,
 * it is `defaultMinutes`, except under NODE_ENV=test, where a job runs only when asked for.
 */
export function intervalSetting(
  name: string,
  defaultMinutes: number,
  env: Readonly<Record<string, string | undefined>>,
): IntervalSetting {
  const raw = env[name];
  if (raw === undefined || raw.trim() === "") {
    return { ok: true, ms: env.NODE_ENV === "test" ? null : defaultMinutes * 60_000 };
  }
  const minutes = Number(raw);
  if (!Number.isFinite(minutes) || minutes < 0 || minutes > 24 * 60) {
    return { ok: false, message: `${name} must be a number of minutes from 0 (off) to 1440 (got "${raw}").` };
  }
  return { ok: true, ms: minutes === 0 ? null : Math.max(FLOOR_MS, minutes * 60_000) };
}

export type Sweeper = { stop: () => Promise<void> };

export type SweepJob = {
  /** The request id of its log lines. */
  name: string;
  /** null: off (start returns a sweeper whose stop does nothing). */
  intervalMs: number | null;
  /** One run; true when it left work for another run soon. */
  run: () => Promise<boolean>;
  /** The pause before that next run (default 1 s). */
  moreAfterMs?: number;
};

/** Starts a job: first run at once, then every interval, stopping cleanly (the run under way finishes). */
export function startSweeper(job: SweepJob): Sweeper {
  const { intervalMs } = job;
  if (intervalMs === null) return { stop: async () => {} };
  const moreAfterMs = job.moreAfterMs ?? 1000;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  const round = () =>
    runWithRequestId(job.name, async () => {
      try {
        return await job.run();
      } catch (error) {
        logger.error({ err: error }, `${job.name}: the run failed; trying again at the next one`);
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
      schedule(more ? moreAfterMs : intervalMs);
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
