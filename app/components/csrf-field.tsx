// The hidden CSRF field every signed-in form carries. The token is the session's, sent with the
// root's data (root.tsx); actions check it with assertCsrf (utils/csrf.server.ts).
import { useRouteLoaderData } from "@remix-run/react";
import { CSRF_FIELD } from "~/forms/csrf";
import type { loader as rootLoader } from "~/root";

/** The session's CSRF token, for a request made from script (a fetcher's FormData). */
export function useCsrfToken(): string | null {
  return useRouteLoaderData<typeof rootLoader>("root")?.csrf ?? null;
}

export function CsrfField() {
  const csrf = useCsrfToken();
  return csrf ? <input type="hidden" name={CSRF_FIELD} value={csrf} /> : null;
}
