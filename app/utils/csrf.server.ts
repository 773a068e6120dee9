// CSRF defence for every mutation, in two layers: the session cookie is SameSite=Lax (a cross-site
// POST arrives without it), and every form carries the session's token, compared in constant time.
// Forms used before sign-in (login, join) are checked by origin instead, since there is no session.
import { timingSafeEqual } from "node:crypto";
import { CSRF_FIELD } from "~/forms/csrf";
import { isCrossSite, originHeadersOf, trustsProxy } from "./same-origin";
import type { CurrentSession } from "./session.server";

function forbidden(): never {
  throw new Response("Forbidden: the form has expired or came from another site. Reload the page and try again.", {
    status: 403,
  });
}

/** Rejects requests a browser marks as cross-site (the one rule in same-origin.ts). */
export function assertSameOrigin(request: Request): void {
  if (isCrossSite(originHeadersOf(request), trustsProxy())) forbidden();
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
