import { translator, type Locale } from "~/i18n";
import { resolveLocale } from "./locale.server";
import type { CurrentSession } from "./session.server";

/** The locale and translate function for a request (for page titles and server-made documents). */
export async function requestI18n(request: Request, session?: CurrentSession | null) {
  const locale: Locale = await resolveLocale(request, session?.user.locale);
  return { locale, t: translator(locale) };
}
