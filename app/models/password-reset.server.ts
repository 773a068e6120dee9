// "Forgot your password?" (/forgot-password): a request queues a reset message and tells nothing.
// The request does the same work whatever the address: it counts the address and the email in
// LoginThrottle and queues one MailMessage, in one transaction. Whether an account has that email
// is found out only by the mail sender (models/mail-outbox.server.ts prepareMail), which then makes
// the one-hour token and sends the link, or forgets the row. So the answer and its timing are the
// same for a registered email, an unknown one and a closed account.
import type { Locale } from "~/i18n";
import { getDb } from "~/utils/db.server";
import { enqueueMail } from "./mail-outbox.server";
import { normalizeEmail } from "./user.server";

const HOUR = 60 * 60_000;

export const resetPolicy = {
  windowMs: HOUR,
  /** Requests per client address per hour; more are refused with a wait (429). */
  perAddress: 10,
  /**
   * Messages per email per hour. Past it the request is answered as always but nothing more is
   * queued: nobody can fill a person's inbox, and the last link sent still works.
   */
  perEmail: 3,
};

// LoginThrottle rows of their own kinds, named like throttle.server.ts's (kind:value); its
// purgeStaleThrottles drops them once a day old.
const addressKey = (address: string) => `reset-ip:${address.toLowerCase()}`;
const emailKey = (email: string) => `reset-account:${email}`;

export type ResetRequest = { ok: true } | { ok: false; retryAfterMs: number };

/**
 * Counts one request from `address` for `email` and, within the limits, queues the reset message
 * (in `locale`, the page's, until the account's own is known at send time).
 */
export async function requestPasswordReset(
  rawEmail: string,
  address: string,
  locale: Locale,
  now = new Date(),
): Promise<ResetRequest> {
  const email = normalizeEmail(rawEmail);
  const { windowMs } = resetPolicy;
  return getDb().$transaction(async (tx) => {
    const keys = [addressKey(address), emailKey(email)] as const;
    const rows = await tx.loginThrottle.findMany({ where: { key: { in: [...keys] } } });
    const current = (key: string) => {
      const row = rows.find((r) => r.key === key);
      return row && now.getTime() - row.windowStart.getTime() <= windowMs ? row : undefined;
    };
    const count = async (key: string) => {
      const row = current(key);
      const failures = (row?.failures ?? 0) + 1;
      const windowStart = row?.windowStart ?? now;
      await tx.loginThrottle.upsert({
        where: { key },
        create: { key, failures, windowStart, blockedUntil: null },
        update: { failures, windowStart },
      });
      return failures;
    };
    const byAddress = current(keys[0]);
    if (byAddress && byAddress.failures >= resetPolicy.perAddress) {
      return { ok: false, retryAfterMs: byAddress.windowStart.getTime() + windowMs - now.getTime() };
    }
    await count(keys[0]);
    if ((await count(keys[1])) <= resetPolicy.perEmail) {
      await enqueueMail(tx, { kind: "password_reset", to: email, locale, params: {} }, now);
    }
    return { ok: true };
  });
}
