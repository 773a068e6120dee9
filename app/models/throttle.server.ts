// Login throttling, per account and per client address, stored in the database so it holds across
// restarts (one server process writes it: see ADR 006 on SQLite transactions). A key that collects
// too many attempts inside the window is blocked for a while; a right password clears the
// account's key and gives the address its attempt back.
import { getDb } from "~/utils/db.server";

export const throttlePolicy = {
  /** Failures allowed per key within the window before it is blocked. */
  account: { maxFailures: 5, windowMs: 15 * 60_000, blockMs: 15 * 60_000 },
  ip: { maxFailures: 20, windowMs: 15 * 60_000, blockMs: 15 * 60_000 },
};

type Kind = keyof typeof throttlePolicy;

export const throttleKey = (kind: Kind, value: string) => `${kind}:${value.toLowerCase()}`;

export type ThrottleKey = { kind: Kind; key: string };

/** What reserveAttempt counted: the wait when blocked (else 0), and each key's window. */
export type Reservation = { waitMs: number; windowStarts: Map<string, Date> };

/**
 * Counts one attempt against every key *before* the password is checked, in one transaction, so a
 * burst of parallel guesses is counted guess by guess instead of all passing a check that the
 * first failure has not reached yet. When a key is blocked nothing is counted and `waitMs` says
 * how long. An attempt that turns out right is given back by settleSuccess.
 */
export async function reserveAttempt(keys: ThrottleKey[], now = new Date()): Promise<Reservation> {
  return getDb().$transaction(async (tx) => {
    const rows = await tx.loginThrottle.findMany({ where: { key: { in: keys.map((k) => k.key) } } });
    const byKey = new Map(rows.map((row) => [row.key, row]));
    const waits = rows.map((row) => (row.blockedUntil ? row.blockedUntil.getTime() - now.getTime() : 0));
    const wait = Math.max(0, ...waits);
    const windowStarts = new Map<string, Date>();
    if (wait > 0) return { waitMs: wait, windowStarts };
    for (const { kind, key } of keys) {
      const policy = throttlePolicy[kind];
      const row = byKey.get(key);
      const fresh = !row || now.getTime() - row.windowStart.getTime() > policy.windowMs || row.blockedUntil !== null;
      const failures = fresh ? 1 : row.failures + 1;
      // The attempt that uses up the allowance still gets its answer; the next one waits.
      const blockedUntil = failures >= policy.maxFailures ? new Date(now.getTime() + policy.blockMs) : null;
      const windowStart = fresh ? now : row.windowStart;
      windowStarts.set(key, windowStart);
      await tx.loginThrottle.upsert({
        where: { key },
        create: { key, failures, windowStart, blockedUntil },
        update: { failures, windowStart, blockedUntil },
      });
    }
    return { waitMs: 0, windowStarts };
  });
}

/**
 * The reserved attempt was right: the account starts afresh, the address gets its attempt back,
 * unless the address's window has started again since (the attempt was not counted in this one).
 */
export async function settleSuccess(account: string, address: string, reservation: Reservation): Promise<void> {
  const db = getDb();
  await db.$transaction(async (tx) => {
    await tx.loginThrottle.deleteMany({ where: { key: account } });
    const row = await tx.loginThrottle.findUnique({ where: { key: address } });
    if (!row || row.windowStart.getTime() !== reservation.windowStarts.get(address)?.getTime()) return;
    const failures = Math.max(0, row.failures - 1);
    const blockedUntil = failures >= throttlePolicy.ip.maxFailures ? row.blockedUntil : null;
    await tx.loginThrottle.update({ where: { key: address }, data: { failures, blockedUntil } });
  });
}
