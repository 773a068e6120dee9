import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { isLocale } from "~/i18n";
import { setUserLocale } from "~/models/user.server";
import { assertCsrf, assertSameOrigin } from "~/utils/csrf.server";
import { readForm } from "~/utils/form.server";
import { localeCookie } from "~/utils/locale.server";
import { getCurrentSession, safeRedirect } from "~/utils/session.server";

// The language switch: remembered in a cookie for this browser and, when signed in, as the
// user's preference. Progress is server-side, so switching mid-attempt loses nothing.
export async function action({ request }: ActionFunctionArgs) {
  const form = await readForm(request);
  const session = await getCurrentSession(request);
  if (session) assertCsrf(request, form, session);
  else assertSameOrigin(request);
  const locale = form.get("locale");
  if (!isLocale(locale)) throw new Response("Unsupported language", { status: 400 });
  if (session) await setUserLocale(session.user.id, locale);
  return redirect(safeRedirect(form.get("redirectTo"), "/"), {
    headers: { "Set-Cookie": await localeCookie.serialize(locale) },
  });
}

export async function loader() {
  return redirect("/");
}
