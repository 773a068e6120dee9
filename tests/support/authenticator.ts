// The test people's authenticator app: the TOTP secret each account showed while setting up
// two-factor sign-in, and the codes it gives. A code is never given twice (the server refuses a
// used one), so the app gives the next time step's code, which the server's ±1 window accepts,
// and waits for the clock only when that one was used too.
import { Secret, TOTP } from "otpauth";

const STEP_MS = 30_000;
const accounts = new Map<string, { secret: string; lastStep: number }>();

const keyOf = (base: string, email: string) => `${new URL(base).origin}|${email.trim().toLowerCase()}`;

/** The secret as the setup page shows it (grouped by four), from its HTML. */
export function secretIn(html: string): string | undefined {
  return /class="totp-secret">([A-Z2-7 ]+)</.exec(html)?.[1]?.replace(/ /g, "");
}

/** The code of `secret` for the time step holding `timestamp`. */
export function codeFor(secret: string, timestamp = Date.now()): string {
  return TOTP.generate({ secret: Secret.fromBase32(secret), timestamp });
}

/** Remembers an account's secret (as set up on the server at `base`), the step its confirming code used. */
export function remember(base: string, email: string, secret: string, usedAt = Date.now()): void {
  accounts.set(keyOf(base, email), { secret, lastStep: Math.floor(usedAt / STEP_MS) });
}

export function knows(base: string, email: string): boolean {
  return accounts.has(keyOf(base, email));
}

/** A code for the account not given before. */
export async function nextCode(base: string, email: string): Promise<string> {
  const account = accounts.get(keyOf(base, email));
  if (!account) throw new Error(`no authenticator secret for ${email}`);
  const now = Date.now();
  const current = Math.floor(now / STEP_MS);
  const step = Math.max(current, account.lastStep + 1);
  if (step > current + 1) await new Promise((resolve) => setTimeout(resolve, (step - 1) * STEP_MS - now + 50));
  account.lastStep = step;
  return codeFor(account.secret, step * STEP_MS);
}
