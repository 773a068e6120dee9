// Sign-in with remix-auth v4's FormStrategy. remix-auth only verifies credentials; sessions are
// ours (session.server.ts), and throttling happens before the password is even checked.
import { Authenticator } from "remix-auth";
import { FormStrategy } from "remix-auth-form";
import { loginSchema, parseForm, type FieldErrors } from "~/forms/auth";
import { blockedFor, clearFailures, recordFailure, throttleKey } from "~/models/throttle.server";
import { normalizeEmail, verifyLogin } from "~/models/user.server";

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
    const ip = clientIpOf(request);
    const account = throttleKey("account", email);
    const address = throttleKey("ip", ip);

    const wait = await blockedFor([account, address]);
    if (wait > 0) throw new LoginFailure("throttled", { retryAfterSeconds: Math.ceil(wait / 1000), values: { email } });

    const userId = await verifyLogin(email, parsed.data.password);
    if (!userId) {
      await recordFailure([
        { kind: "account", key: account },
        { kind: "ip", key: address },
      ]);
      throw new LoginFailure("invalid-credentials", { values: { email } });
    }
    await clearFailures(account);
    return userId;
  }),
  "form",
);

// The server puts the socket's address in a header only it can set (scripts/serve.js strips any
// incoming copy), because remix-auth's verify callback sees the request, not the load context.
export const CLIENT_IP_HEADER = "x-vignette-client-ip";

function clientIpOf(request: Request): string {
  return request.headers.get(CLIENT_IP_HEADER) ?? "unknown";
}
