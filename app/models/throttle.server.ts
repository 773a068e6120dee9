// Sign-in throttling without lockout (docs/decisions/012-login-throttling.md), stored in the
// database so it holds across restarts (one server process writes it: see ADR 006). Three counters
// slow guessing with growing delays: the (account, address) pair, the address across accounts, and
// the account across addresses. Someone else's failures never refuse a right password from an
// address that has not been failing itself; only past the account's daily limit (100, NIST
// 800-63B §5.2.2) are unknown addresses turned away, and addresses that signed in before still pass.
import type { Prisma } from "~/generated/prisma/client";
import { getDb } from "~/utils/db.server";
import { databaseEngine, getEnv } from "~/utils/env.server";

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

export const throttlePolicy = {
  /** One address guessing one account: a few typos are free, then 1 s, 2 s, 4 s… */
  pair: { free: 3, windowMs: 15 * MINUTE },
  /** One address across accounts (an office behind one NAT shares it, hence the allowance). */
  ip: { free: 20, windowMs: 15 * MINUTE },
  /** One account across addresses: its delay binds only addresses that have been failing on it. */
  account: { free: 3, windowMs: DAY, limit: 100 },
  firstDelayMs: 1000,
  maxDelayMs: 15 * MINUTE,
  /** An address that signed in to an account passes the account's daily limit for this long. */
  knownForMs: 90 * DAY,
  /** Sign-ups per address per hour (JOIN_LIMIT_PER_HOUR overrides the count). */
  join: { windowMs: 60 * MINUTE },
};

type Kind = "account" | "ip" | "pair" | "known" | "join";

export const throttleKey = (kind: Kind, value: string) => `${kind}:${value.toLowerCase()}`;

/** The wait after `failures` failures when the first `free` ones cost nothing: 0, …, 1 s, 2 s, 4 s… capped. */
export function delayAfter(failures: number, free: number): number {
  if (failures < free) return 0;
  return Math.min(throttlePolicy.maxDelayMs, throttlePolicy.firstDelayMs * 2 ** (failures - free));
}

/** The keys of one sign-in attempt: who is tried, from where. */
export type AttemptKeys = { account: string; address: string; pair: string; known: string };

export function attemptKeys(email: string, address: string): AttemptKeys {
  return {
    account: throttleKey("account", email),
    address: throttleKey("ip", address),
    pair: throttleKey("pair", `${email}|${address}`),
    known: throttleKey("known", `${email}|${address}`),
  };
}

/** What reserveAttempt counted: the wait when refused (else 0), and the address's window. */
export type Reservation = { waitMs: number; addressWindowStart?: Date };

type Row = { key: string; failures: number; windowStart: Date; blockedUntil: Date | null };

/** The first key of the advisory locks on counters (the second is the counter's key hashed). */
const COUNTER_LOCK_CLASS = 0x7468_726f; // "thro"

/**
 * Holds these counters until the transaction ends, so that concurrent attempts read and write each
 * counter one after the other. SQLite runs one transaction at a time (ADR 006); PostgreSQL's READ
 * COMMITTED would let two requests (or two instances) read the same count and both write it plus
 * one, so a burst got most of its guesses through (ADR 017). Advisory locks rather than row locks,
 * since a counter's row may not exist yet; taken in one order, so two attempts never wait on each other.
 */
async function lockCounters(tx: Prisma.TransactionClient, keys: string[]): Promise<void> {
  if (databaseEngine(getEnv().DATABASE_URL) !== "postgresql") return;
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${COUNTER_LOCK_CLASS}::int, id)
    FROM (SELECT DISTINCT hashtext(k) AS id FROM unnest(${keys}::text[]) AS k ORDER BY id) AS ids`;
}

const current = (row: Row | undefined, windowMs: number, now: Date) =>
  row && now.getTime() - row.windowStart.getTime() <= windowMs ? row : undefined;
const waitOf = (row: Row | undefined, now: Date) =>
  row?.blockedUntil ? Math.max(0, row.blockedUntil.getTime() - now.getTime()) : 0;

/**
 * Counts one attempt against the pair, the address and the account *before* the password is
 * checked, in one transaction, so parallel guesses are counted one by one instead of all passing a
 * check the first failure has not reached yet. Refused (nothing counted, `waitMs` says how long)
 * while the pair or the address is in its delay, or while the account is in its delay and this
 * address has used up its own free tries on it, or past the account's daily limit unless this
 * address signed in to it before. An attempt that turns out right is given back by settleSuccess.
 */
export async function reserveAttempt(keys: AttemptKeys, now = new Date()): Promise<Reservation> {
  const { pair: pairPolicy, ip: ipPolicy, account: accountPolicy } = throttlePolicy;
  return getDb().$transaction(async (tx) => {
    await lockCounters(tx, Object.values(keys));
    const rows = await tx.loginThrottle.findMany({ where: { key: { in: Object.values(keys) } } });
    const byKey = new Map(rows.map((row) => [row.key, row]));
    const pair = current(byKey.get(keys.pair), pairPolicy.windowMs, now);
    const address = current(byKey.get(keys.address), ipPolicy.windowMs, now);
    const account = current(byKey.get(keys.account), accountPolicy.windowMs, now);
    const known = byKey.get(keys.known);
    const isKnown = known !== undefined && now.getTime() - known.windowStart.getTime() <= throttlePolicy.knownForMs;

    const ownWait = Math.max(waitOf(pair, now), waitOf(address, now));
    if (ownWait > 0) return { waitMs: ownWait };
    const overLimit = (account?.failures ?? 0) >= accountPolicy.limit;
    if (overLimit && !isKnown) {
      return { waitMs: account!.windowStart.getTime() + accountPolicy.windowMs - now.getTime() };
    }
    // The account's delay holds back only the addresses that have been failing on it themselves.
    const accountWait = waitOf(account, now);
    if (accountWait > 0 && !isKnown && (pair?.failures ?? 0) >= pairPolicy.free) return { waitMs: accountWait };

    const count = async (key: string, row: Row | undefined, free: number) => {
      const failures = (row?.failures ?? 0) + 1;
      const windowStart = row?.windowStart ?? now;
      const delay = delayAfter(failures, free);
      const until = Math.max(row?.blockedUntil?.getTime() ?? 0, now.getTime() + delay);
      const blockedUntil = delay > 0 || until > now.getTime() ? new Date(until) : null;
      await tx.loginThrottle.upsert({
        where: { key },
        create: { key, failures, windowStart, blockedUntil },
        update: { failures, windowStart, blockedUntil },
      });
      return windowStart;
    };
    await count(keys.pair, pair, pairPolicy.free);
    await count(keys.account, account, accountPolicy.free);
    const addressWindowStart = await count(keys.address, address, ipPolicy.free);
    return { waitMs: 0, addressWindowStart };
  });
}

/**
 * The reserved attempt was right: the account and the pair start afresh, the address is known to
 * this account from now on and gets its attempt back, unless the address's window has started
 * again since (the attempt was not counted in this one).
 */
export async function settleSuccess(keys: AttemptKeys, reservation: Reservation, now = new Date()): Promise<void> {
  await getDb().$transaction(async (tx) => {
    await lockCounters(tx, Object.values(keys));
    await tx.loginThrottle.deleteMany({ where: { key: { in: [keys.account, keys.pair] } } });
    await tx.loginThrottle.upsert({
      where: { key: keys.known },
      create: { key: keys.known, failures: 0, windowStart: now, blockedUntil: null },
      update: { windowStart: now },
    });
    const row = await tx.loginThrottle.findUnique({ where: { key: keys.address } });
    if (!row || row.windowStart.getTime() !== reservation.addressWindowStart?.getTime()) return;
    const failures = Math.max(0, row.failures - 1);
    const blockedUntil = failures >= throttlePolicy.ip.free ? row.blockedUntil : null;
    await tx.loginThrottle.update({ where: { key: keys.address }, data: { failures, blockedUntil } });
  });
}

/**
 * Counts one sign-up from an address (before anything else is done, so a burst is counted one by
 * one); the wait until the hour's window ends once `limit` were counted, else 0.
 */
export async function reserveJoin(address: string, limit: number, now = new Date()): Promise<number> {
  const key = throttleKey("join", address);
  const { windowMs } = throttlePolicy.join;
  return getDb().$transaction(async (tx) => {
    await lockCounters(tx, [key]);
    const row = current((await tx.loginThrottle.findUnique({ where: { key } })) ?? undefined, windowMs, now);
    if (row && row.failures >= limit) return row.windowStart.getTime() + windowMs - now.getTime();
    const failures = (row?.failures ?? 0) + 1;
    const windowStart = row?.windowStart ?? now;
    await tx.loginThrottle.upsert({
      where: { key },
      create: { key, failures, windowStart, blockedUntil: null },
      update: { failures, windowStart },
    });
    return 0;
  });
}

/** Drops counters whose windows are long over and addresses no longer remembered (run on sign-in). */
export async function purgeStaleThrottles(now = new Date()): Promise<void> {
  const before = (ms: number) => new Date(now.getTime() - ms);
  await getDb().loginThrottle.deleteMany({
    where: {
      OR: [
        { key: { startsWith: "known:" }, windowStart: { lt: before(throttlePolicy.knownForMs) } },
        {
          NOT: { key: { startsWith: "known:" } },
          windowStart: { lt: before(DAY) },
          OR: [{ blockedUntil: null }, { blockedUntil: { lt: now } }],
        },
      ],
    },
  });
}
