// Sign-in with remix-auth v4's FormStrategy. remix-auth only verifies credentials; sessions are
// ours (session.server.ts), and throttling happens before the password is even checked.
import type { HeadersFunction } from "@remix-run/node";
import { Authenticator } from "remix-auth";
import { FormStrategy } from "remix-auth-form";
import { loginSchema, parseForm, type FieldErrors } from "~/forms/auth";
import type { Translate } from "~/i18n";
import { reserveAttempt, settleSuccess, throttleKey } from "~/models/throttle.server";
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

export type PasswordCheck =
  { status: "ok"; userId: string } | { status: "wrong" } | { status: "throttled"; retryAfterSeconds: number };

/**
 * Checks an email and password under the login throttle (per account and per client address),
 * wherever a password is typed: signing in, and confirming the current one to change it.
 */
export async function checkPassword(email: string, password: string, request: Request): Promise<PasswordCheck> {
  const account = throttleKey("account", email);
  const address = throttleKey("ip", clientIpOf(request));
  const reservation = await reserveAttempt([
    { kind: "account", key: account },
    { kind: "ip", key: address },
  ]);
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
  await settleSuccess(account, address, reservation);
  return { status: "ok", userId };
}

/** A route's headers when its action may answer 429: the action's Retry-After reaches the browser. */
export const retryAfterHeaders: HeadersFunction = ({ actionHeaders, loaderHeaders }) =>
  actionHeaders.has("Retry-After") ? actionHeaders : loaderHeaders;

/** A throttled form's answer: the message in the page's language, and 429 with Retry-After. */
export function throttledAnswer(t: Translate, retryAfterSeconds: number) {
  return {
    formError: t("auth.throttled", { minutes: Math.ceil(retryAfterSeconds / 60) }),
    init: { status: 429, headers: { "Retry-After": String(retryAfterSeconds) } },
  };
}
