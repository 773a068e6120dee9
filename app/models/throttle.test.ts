import { describe, expect, it } from "vitest";
import { getDb } from "~/utils/db.server";
import { setupModelDb } from "../../tests/support/model-db";
import {
  attemptKeys,
  delayAfter,
  reserveAttempt,
  reserveJoin,
  settleSuccess,
  throttleKey,
  throttlePolicy,
} from "./throttle.server";

setupModelDb();

const rowOf = (key: string) => getDb().loginThrottle.findUnique({ where: { key } });
const failuresOf = async (key: string) => (await rowOf(key))?.failures ?? 0;
const at = (t0: Date, ms: number) => new Date(t0.getTime() + ms);
const t0 = new Date("2026-11-23T10:00:00Z");

/** `n` wrong guesses from `keys`, each as soon as it is allowed; the time after the last. */
async function fail(keys: ReturnType<typeof attemptKeys>, n: number, start: Date): Promise<Date> {
  let now = start;
  for (let i = 0; i < n; i++) {
    let r = await reserveAttempt(keys, now);
    if (r.waitMs > 0) {
      now = at(now, r.waitMs);
      r = await reserveAttempt(keys, now);
    }
    expect(r.waitMs).toBe(0);
  }
  return now;
}

describe("login throttle", () => {
  it("grows delays 0, 0, 0, 1 s, 2 s, 4 s… and caps them", () => {
    const { free } = throttlePolicy.pair;
    expect([0, 1, 2, 3, 4, 5].map((n) => delayAfter(n + 1, free))).toEqual([0, 0, 1000, 2000, 4000, 8000]);
    expect(delayAfter(60, free)).toBe(throttlePolicy.maxDelayMs);
  });

  it("counts an attempt before it is checked and gives a right one back", async () => {
    const keys = attemptKeys("a@example.test", "198.51.100.1");
    const first = await reserveAttempt(keys, t0);
    expect(first.waitMs).toBe(0);
    expect([await failuresOf(keys.account), await failuresOf(keys.pair), await failuresOf(keys.address)]).toEqual([
      1, 1, 1,
    ]);
    await settleSuccess(keys, first, t0);
    expect([await failuresOf(keys.account), await failuresOf(keys.pair), await failuresOf(keys.address)]).toEqual([
      0, 0, 0,
    ]);
    expect(await rowOf(keys.known)).not.toBeNull();
  });

  it("makes a failing address wait longer each time", async () => {
    const keys = attemptKeys("b@example.test", "198.51.100.2");
    for (let i = 0; i < 3; i++) expect((await reserveAttempt(keys, t0)).waitMs).toBe(0);
    expect((await reserveAttempt(keys, t0)).waitMs).toBe(1000);
    expect((await reserveAttempt(keys, at(t0, 1000))).waitMs).toBe(0);
    expect((await reserveAttempt(keys, at(t0, 1000))).waitMs).toBe(2000);
  });

  it("lets an address that has not been failing try while the account is delayed", async () => {
    const attacker = attemptKeys("c@example.test", "198.51.100.3");
    const now = await fail(attacker, 8, t0);
    expect((await reserveAttempt(attacker, now)).waitMs).toBeGreaterThan(0);
    const owner = attemptKeys("c@example.test", "192.0.2.7");
    const checked = await reserveAttempt(owner, now);
    expect(checked.waitMs).toBe(0);
    await settleSuccess(owner, checked, now);
    // The owner's success starts the account afresh; the attacker's own delay still holds.
    expect(await failuresOf(owner.account)).toBe(0);
    expect((await reserveAttempt(attacker, now)).waitMs).toBeGreaterThan(0);
  });

  it("turns unknown addresses away past the account's daily limit, not those that signed in before", async () => {
    const email = "d@example.test";
    const home = attemptKeys(email, "192.0.2.1");
    await settleSuccess(home, await reserveAttempt(home, t0), t0);
    // A spray: each address uses its free tries, never waiting.
    let now = at(t0, 1000);
    let n = 0;
    for (; (await failuresOf(home.account)) < throttlePolicy.account.limit; n++) {
      const keys = attemptKeys(email, `10.0.${Math.floor(n / 200)}.${n % 200}`);
      for (let i = 0; i < throttlePolicy.pair.free - 1; i++) expect((await reserveAttempt(keys, now)).waitMs).toBe(0);
      now = at(now, 10);
    }
    const fresh = await reserveAttempt(attemptKeys(email, "203.0.113.200"), now);
    expect(fresh.waitMs).toBeGreaterThan(20 * 3600_000);
    expect((await reserveAttempt(home, now)).waitMs).toBe(0);
  });

  it("does not give back an attempt to an address window that started after it was counted", async () => {
    const keys = attemptKeys("e@example.test", "198.51.100.4");
    const slowRightOne = await reserveAttempt(keys, t0);
    // While its password is being checked, the window rolls over and a wrong guess starts a new one.
    const other = attemptKeys("f@example.test", "198.51.100.4");
    await reserveAttempt(other, at(t0, throttlePolicy.ip.windowMs + 1));
    await settleSuccess(keys, slowRightOne);
    expect(await failuresOf(keys.address)).toBe(1);
  });

  it("counts parallel attempts one by one: twelve at once get the three free tries and no more", async () => {
    // At the same instant, so only the counting decides. On PostgreSQL each runs on its own
    // connection, in parallel: read-then-write under READ COMMITTED let most of them through.
    const keys = attemptKeys("g@example.test", "198.51.100.5");
    const results = await Promise.all(Array.from({ length: 12 }, () => reserveAttempt(keys, t0)));
    expect(results.filter((r) => r.waitMs === 0)).toHaveLength(throttlePolicy.pair.free);
    expect(results.filter((r) => r.waitMs === throttlePolicy.firstDelayMs)).toHaveLength(12 - throttlePolicy.pair.free);
    expect([await failuresOf(keys.pair), await failuresOf(keys.account), await failuresOf(keys.address)]).toEqual([
      3, 3, 3,
    ]);
  });

  it("gives back parallel right attempts without losing the address's other counts", async () => {
    const ip = "198.51.100.6";
    const wrong = Array.from({ length: 6 }, (_, i) => attemptKeys(`h${i}@example.test`, ip));
    const right = Array.from({ length: 6 }, (_, i) => attemptKeys(`i${i}@example.test`, ip));
    const reservations = await Promise.all(right.map((keys) => reserveAttempt(keys, t0)));
    await Promise.all([
      ...right.map((keys, i) => settleSuccess(keys, reservations[i]!, t0)),
      ...wrong.map((keys) => reserveAttempt(keys, t0)),
    ]);
    expect(await failuresOf(throttleKey("ip", ip))).toBe(6);
  });

  it("counts parallel sign-ups one by one", async () => {
    const waits = await Promise.all(Array.from({ length: 10 }, () => reserveJoin("198.51.100.11", 3, t0)));
    expect(waits.filter((ms) => ms === 0)).toHaveLength(3);
    expect(await failuresOf(throttleKey("join", "198.51.100.11"))).toBe(3);
  });

  it("counts sign-ups per address and waits out the hour past the limit", async () => {
    for (let i = 0; i < 3; i++) expect(await reserveJoin("198.51.100.9", 3, t0)).toBe(0);
    expect(await reserveJoin("198.51.100.9", 3, at(t0, 60_000))).toBe(throttlePolicy.join.windowMs - 60_000);
    expect(await reserveJoin("198.51.100.10", 3, t0)).toBe(0);
    expect(await reserveJoin("198.51.100.9", 3, at(t0, throttlePolicy.join.windowMs + 1))).toBe(0);
    expect(await failuresOf(throttleKey("join", "198.51.100.9"))).toBe(1);
  });
});
