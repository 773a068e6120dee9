// Sign-in with remix-auth v4's FormStrategy. remix-auth only verifies credentials; sessions are
// ours (session.server.ts), and throttling happens before the password is even checked.
import { isIPv6 } from "node:net";
import type { HeadersFunction } from "@remix-run/node";
import { Authenticator } from "remix-auth";
import { FormStrategy } from "remix-auth-form";
import { loginSchema, parseForm, type FieldErrors } from "~/forms/auth";
import type { Translate } from "~/i18n";
import { attemptKeys, purgeStaleThrottles, reserveAttempt, settleSuccess } from "~/models/throttle.server";
import { normalizeEmail, verifyLogin } from "~/models/user.server";
import { accountRef, logEvent } from "~/utils/log.server";

export class LoginFailure extends Error {
  override name = "LoginFailure";
  constructor(
    readonly reason: "invalid-form" | "invalid-credentials" | "throttled",
    readonly details: { fieldErrors?: FieldErrors; values?: Record<string, string>; retryAfterSeconds?: number } = {},
  ) {
    super(reason);
  }
}

export const authenticator = new Authenticator<string>();

authenticator.use(
  new FormStrategy(async ({ form, request }) => {
    const parsed = parseForm(loginSchema, form);
    if (!parsed.data) throw new LoginFailure("invalid-form", { fieldErrors: parsed.errors, values: parsed.values });
    const email = normalizeEmail(parsed.data.email);
    const checked = await checkPassword(email, parsed.data.password, request);
    if (checked.status === "throttled") {
      throw new LoginFailure("throttled", { retryAfterSeconds: checked.retryAfterSeconds, values: { email } });
    }
    if (checked.status === "wrong") throw new LoginFailure("invalid-credentials", { values: { email } });
    return checked.userId;
  }),
  "form",
);

// The server puts the socket's address in a header only it can set (scripts/serve.js strips any
// incoming copy), because remix-auth's verify callback sees the request, not the load context.
export const CLIENT_IP_HEADER = "x-vignette-client-ip";

function clientIpOf(request: Request): string {
  return request.headers.get(CLIENT_IP_HEADER) ?? "unknown";
}

/**
 * The address as the throttle counts it: IPv4 as is, IPv6 by its /64 prefix, because one
 * subscriber is usually handed a whole /64 and could otherwise be 2^64 different addresses.
 */
export function throttleAddress(ip: string): string {
  const v4 = /^(?:::ffff:)?(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (v4) return v4[1]!;
  if (!isIPv6(ip)) return ip;
  const [head = "", tail] = ip.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups = tail === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill("0"), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ""))
    .join(":")}::/64`;
}

/** The client's address for counting sign-ins and sign-ups. */
export function requestAddress(request: Request): string {
  return throttleAddress(clientIpOf(request));
}

export type PasswordCheck =
  { status: "ok"; userId: string } | { status: "wrong" } | { status: "throttled"; retryAfterSeconds: number };

/**
 * Checks an email and password under the login throttle (per account and per client address),
 * wherever a password is typed: signing in, and confirming the current one to change it.
 */
export async function checkPassword(email: string, password: string, request: Request): Promise<PasswordCheck> {
  const keys = attemptKeys(email, requestAddress(request));
  const reservation = await reserveAttempt(keys);
  // Security events name the account by a keyed hash, never the address; the password never.
  if (reservation.waitMs > 0) {
    const retryAfterSeconds = Math.ceil(reservation.waitMs / 1000);
    logEvent("auth.throttled", { account: accountRef(email), ip: clientIpOf(request), retryAfterSeconds });
    return { status: "throttled", retryAfterSeconds };
  }
  const userId = await verifyLogin(email, password);
  if (!userId) {
    logEvent("auth.login_failed", { account: accountRef(email), ip: clientIpOf(request) });
    return { status: "wrong" };
  }
  await settleSuccess(keys, reservation);
  await purgeStaleThrottles();
  return { status: "ok", userId };
}

/** A route's headers when its action may answer 429: the action's Retry-After reaches the browser. */
export const retryAfterHeaders: HeadersFunction = ({ actionHeaders, loaderHeaders }) =>
  actionHeaders.has("Retry-After") ? actionHeaders : loaderHeaders;

/** A throttled form's answer: the message in the page's language, and 429 with Retry-After. */
export function throttledAnswer(t: Translate, retryAfterSeconds: number) {
  return {
    formError:
      retryAfterSeconds < 60
        ? t("auth.throttledSeconds", { seconds: retryAfterSeconds })
        : t("auth.throttled", { minutes: Math.ceil(retryAfterSeconds / 60) }),
    init: { status: 429, headers: { "Retry-After": String(retryAfterSeconds) } },
  };
}

export type CurrentPasswordCheck =
  { ok: true } | { ok: false; throttled: ReturnType<typeof throttledAnswer> } | { ok: false; throttled: null };

/**
 * The signed-in person re-types their password to confirm a change (a new password, closing the
 * account): checked under the login throttle, so a stolen session does not become unlimited
 * guesses. `throttled` holds the 429 answer when that is why it failed.
 */
export async function confirmCurrentPassword(
  user: { id: string; email: string },
  password: string,
  request: Request,
  t: Translate,
): Promise<CurrentPasswordCheck> {
  const checked = await checkPassword(user.email, password, request);
  if (checked.status === "throttled") return { ok: false, throttled: throttledAnswer(t, checked.retryAfterSeconds) };
  if (checked.status !== "ok" || checked.userId !== user.id) return { ok: false, throttled: null };
  return { ok: true };
}
