// The hidden CSRF field every signed-in form carries. The token is the session's, sent with the
// root's data (root.tsx); actions check it with assertCsrf (utils/csrf.server.ts).
import { useRouteLoaderData } from "@remix-run/react";
import { CSRF_FIELD } from "~/forms/csrf";
import type { loader as rootLoader } from "~/root";

export function CsrfField() {
  const data = useRouteLoaderData<typeof rootLoader>("root");
  return data?.csrf ? <input type="hidden" name={CSRF_FIELD} value={data.csrf} /> : null;
}
