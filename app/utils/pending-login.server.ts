// Where a right password leads (afterPassword), and the cookie of a sign-in waiting for its second
// step (models/two-factor.server.ts): a signed, httpOnly cookie of five minutes holding a random
// token whose sha256 names the PendingLogin row. It is not the session cookie and opens nothing but
// /login/two-factor.
import { createCookie, redirect } from "@remix-run/node";
import { createPendingLogin, PENDING_LOGIN_TTL_MS, signInSecondStep } from "~/models/two-factor.server";
import { getEnv } from "./env.server";
import { createUserSession, type PortalSignIn } from "./session.server";

let cookie: ReturnType<typeof createCookie> | undefined;
function pendingCookie() {
  const env = getEnv();
  cookie ??= createCookie("__vignette_pending_login", {
    httpOnly: true,
    sameSite: "lax",
    secure: env.NODE_ENV === "production" && process.env.VIGNETTE_INSECURE_COOKIES !== "1",
    path: "/login",
    secrets: env.sessionSecrets,
    maxAge: PENDING_LOGIN_TTL_MS / 1000,
  });
  return cookie;
}

/** Records the pending sign-in and returns the Set-Cookie value that carries it. */
export async function startPendingLogin(userId: string, redirectTo: string, portal?: PortalSignIn): Promise<string> {
  return pendingCookie().serialize(await createPendingLogin(userId, redirectTo, portal));
}

/** The token of the request's pending sign-in cookie, or null. */
export async function pendingLoginToken(request: Request): Promise<string | null> {
  const token = await pendingCookie().parse(request.headers.get("Cookie"));
  return typeof token === "string" && token.length > 0 ? token : null;
}

/** The Set-Cookie value that removes the pending sign-in cookie. */
export function clearPendingLogin(): Promise<string> {
  return pendingCookie().serialize("", { maxAge: 0 });
}

/**
 * Where a right password (or a redeemed password link) leads: to the second step when two-factor
 * sign-in is on (no session yet), to its setup when the person must use it and has not, else to
 * `redirectTo` with a new session. Every way of signing in with a password goes through here.
 */
export async function afterPassword(userId: string, redirectTo: string, portal?: PortalSignIn): Promise<Response> {
  const next = await signInSecondStep(userId);
  if (next === "code") {
    const cookie = await startPendingLogin(userId, redirectTo, portal);
    return redirect("/login/two-factor", { headers: { "Set-Cookie": cookie } });
  }
  const target = next === "enrol" ? `/me/two-factor?redirectTo=${encodeURIComponent(redirectTo)}` : redirectTo;
  return createUserSession(userId, target, portal);
}
