import { describe, expect, it } from "vitest";
import { intervalSetting, startSweeper } from "./sweeper.server";

describe("intervalSetting", () => {
  it("defaults outside tests, is off under NODE_ENV=test unless set, and 0 turns it off", () => {
    expect(intervalSetting("JOB_MINUTES", 10, { NODE_ENV: "production" })).toEqual({ ok: true, ms: 600_000 });
    expect(intervalSetting("JOB_MINUTES", 10, { NODE_ENV: "test" })).toEqual({ ok: true, ms: null });
    expect(intervalSetting("JOB_MINUTES", 10, { JOB_MINUTES: " " })).toEqual({ ok: true, ms: 600_000 });
    expect(intervalSetting("JOB_MINUTES", 10, { NODE_ENV: "test", JOB_MINUTES: "0.5" })).toEqual({
      ok: true,
      ms: 30_000,
    });
    expect(intervalSetting("JOB_MINUTES", 10, { JOB_MINUTES: "0" })).toEqual({ ok: true, ms: null });
  });

  it("never runs more often than once a second", () => {
    expect(intervalSetting("JOB_MINUTES", 10, { JOB_MINUTES: "0.0001" })).toEqual({ ok: true, ms: 1000 });
  });

  it("names the variable and what it got when the value is not a number of minutes up to a day", () => {
    for (const raw of ["ten", "-1", "1441", "Infinity"]) {
      expect(intervalSetting("JOB_MINUTES", 10, { JOB_MINUTES: raw })).toEqual({
        ok: false,
        message: `JOB_MINUTES must be a number of minutes from 0 (off) to 1440 (got "${raw}").`,
      });
    }
  });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("startSweeper", () => {
  it("runs at once, again soon while a run leaves more, then waits the interval", async () => {
    const at: number[] = [];
    const start = Date.now();
    const sweeper = startSweeper({
      name: "test-job",
      intervalMs: 60_000,
      moreAfterMs: 10,
      run: async () => {
        at.push(Date.now() - start);
        return at.length < 3; // two runs leave more, the third finishes the backlog
      },
    });
    await sleep(300);
    await sweeper.stop();
    expect(at).toHaveLength(3); // not a fourth: the next one is a minute away
  });

  it("keeps going after a run that throws", async () => {
    let runs = 0;
    const sweeper = startSweeper({
      name: "test-job",
      intervalMs: 20,
      run: async () => {
        runs += 1;
        if (runs === 1) throw new Error("database is locked");
        return false;
      },
    });
    await sleep(300);
    await sweeper.stop();
    expect(runs).toBeGreaterThanOrEqual(2);
  });

  it("lets the run under way finish on stop, and starts none after", async () => {
    let finished = 0;
    let started = 0;
    const sweeper = startSweeper({
      name: "test-job",
      intervalMs: 5,
      run: async () => {
        started += 1;
        await sleep(50);
        finished += 1;
        return true;
      },
    });
    await sleep(10);
    await sweeper.stop();
    expect(finished).toBe(started);
    const after = started;
    await sleep(100);
    expect(started).toBe(after);
  });

  it("does nothing when off", async () => {
    let runs = 0;
    const sweeper = startSweeper({ name: "test-job", intervalMs: null, run: async () => (runs += 1) > 0 });
    await sleep(30);
    await sweeper.stop();
    expect(runs).toBe(0);
  });
});
