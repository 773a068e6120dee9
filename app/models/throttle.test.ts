import { describe, expect, it } from "vitest";
import { getDb } from "~/utils/db.server";
import { setupModelDb } from "../../tests/support/model-db";
import { reserveAttempt, settleSuccess, throttleKey, throttlePolicy } from "./throttle.server";

setupModelDb();

const failuresOf = async (key: string) => (await getDb().loginThrottle.findUnique({ where: { key } }))?.failures ?? 0;

describe("login throttle reservations", () => {
  it("counts an attempt before it is checked and gives a right one back to the address", async () => {
    const account = throttleKey("account", "a@example.test");
    const address = throttleKey("ip", "198.51.100.1");
    const keys = [
      { kind: "account" as const, key: account },
      { kind: "ip" as const, key: address },
    ];
    const t0 = new Date("2026-11-23T10:00:00Z");
    const first = await reserveAttempt(keys, t0);
    expect(first.waitMs).toBe(0);
    expect([await failuresOf(account), await failuresOf(address)]).toEqual([1, 1]);
    await settleSuccess(account, address, first);
    expect([await failuresOf(account), await failuresOf(address)]).toEqual([0, 0]);
  });

  it("blocks after the allowance and lets the key start again once the block is over", async () => {
    const account = throttleKey("account", "b@example.test");
    const keys = [{ kind: "account" as const, key: account }];
    const t0 = new Date("2026-11-23T10:00:00Z");
    const { maxFailures, blockMs } = throttlePolicy.account;
    for (let i = 0; i < maxFailures; i++) expect((await reserveAttempt(keys, t0)).waitMs).toBe(0);
    expect((await reserveAttempt(keys, t0)).waitMs).toBe(blockMs);
    const later = new Date(t0.getTime() + blockMs + 1);
    expect((await reserveAttempt(keys, later)).waitMs).toBe(0);
    expect(await failuresOf(account)).toBe(1);
  });

  it("does not give back an attempt to a window that started after it was counted", async () => {
    const address = throttleKey("ip", "198.51.100.2");
    const keys = [{ kind: "ip" as const, key: address }];
    const t0 = new Date("2026-11-23T10:00:00Z");
    const slowRightOne = await reserveAttempt(keys, t0);
    // While its password is being checked, the window rolls over and a wrong guess starts a new one.
    await reserveAttempt(keys, new Date(t0.getTime() + throttlePolicy.ip.windowMs + 1));
    await settleSuccess(throttleKey("account", "c@example.test"), address, slowRightOne);
    expect(await failuresOf(address)).toBe(1);
  });
});
