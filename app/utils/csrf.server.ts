// CSRF defence for every mutation, in two layers: the session cookie is SameSite=Lax (a cross-site
// POST arrives without it), and every form carries the session's token, compared in constant time.
// Forms used before sign-in (login, join) are checked by origin instead, since there is no session.
import { timingSafeEqual } from "node:crypto";
import { CSRF_FIELD } from "~/forms/csrf";
import type { CurrentSession } from "./session.server";

function forbidden(): never {
  throw new Response("Forbidden: the form has expired or came from another site. Reload the page and try again.", {
    status: 403,
  });
}

/** Rejects requests a browser marks as cross-site (Origin or Sec-Fetch-Site). */
export function assertSameOrigin(request: Request): void {
  const site = request.headers.get("Sec-Fetch-Site");
  if (site && site !== "same-origin" && site !== "none") forbidden();
  const origin = request.headers.get("Origin");
  // "null" is what a sandboxed or data: page sends (and a page under a no-referrer policy, which
  // this site does not use for forms): refused, as Remix itself would refuse the action.
  if (origin === "null") forbidden();
  if (origin && origin !== "null") {
    const host = request.headers.get("X-Forwarded-Host") ?? request.headers.get("Host");
    if (!host || new URL(origin).host !== host) forbidden();
  }
}

/** For signed-in forms: same origin and the session's token. */
export function assertCsrf(request: Request, form: FormData, session: CurrentSession): void {
  assertSameOrigin(request);
  const sent = form.get(CSRF_FIELD);
  if (typeof sent !== "string") forbidden();
  const a = Buffer.from(sent);
  const b = Buffer.from(session.csrfToken);
  if (a.length !== b.length || !timingSafeEqual(a, b)) forbidden();
}
