// Login throttling, per account and per client address, stored in the database so it holds across
// restarts and server processes. A key that collects too many failures inside the window is
// blocked for a while; a successful login clears the account's key.
import { getDb } from "~/utils/db.server";

export const throttlePolicy = {
  /** Failures allowed per key within the window before it is blocked. */
  account: { maxFailures: 5, windowMs: 15 * 60_000, blockMs: 15 * 60_000 },
  ip: { maxFailures: 20, windowMs: 15 * 60_000, blockMs: 15 * 60_000 },
};

type Kind = keyof typeof throttlePolicy;

export const throttleKey = (kind: Kind, value: string) => `${kind}:${value.toLowerCase()}`;

/** Milliseconds until the first blocked key frees up, or 0 when none is blocked. */
export async function blockedFor(keys: string[], now = new Date()): Promise<number> {
  const rows = await getDb().loginThrottle.findMany({ where: { key: { in: keys } } });
  const waits = rows.map((row) => (row.blockedUntil ? row.blockedUntil.getTime() - now.getTime() : 0));
  return Math.max(0, ...waits);
}

export async function recordFailure(keys: Array<{ kind: Kind; key: string }>, now = new Date()): Promise<void> {
  const db = getDb();
  await db.$transaction(async (tx) => {
    for (const { kind, key } of keys) {
      const policy = throttlePolicy[kind];
      const row = await tx.loginThrottle.findUnique({ where: { key } });
      const fresh = !row || now.getTime() - row.windowStart.getTime() > policy.windowMs;
      const failures = fresh ? 1 : row.failures + 1;
      const blockedUntil = failures >= policy.maxFailures ? new Date(now.getTime() + policy.blockMs) : null;
      await tx.loginThrottle.upsert({
        where: { key },
        create: { key, failures, windowStart: now, blockedUntil },
        update: { failures, windowStart: fresh ? now : row.windowStart, blockedUntil },
      });
    }
  });
}

export async function clearFailures(key: string): Promise<void> {
  await getDb().loginThrottle.deleteMany({ where: { key } });
}
