// Which language a request is served in: the signed-in user's preference, else this browser's
// choice (a cookie set by the language switch), else Accept-Language, else English.
import { createCookie } from "@remix-run/node";
import { defaultLocale, isLocale, locales, type Locale } from "~/i18n";

export const localeCookie = createCookie("vignette_locale", {
  path: "/",
  sameSite: "lax",
  httpOnly: true,
  maxAge: 365 * 24 * 60 * 60,
});

function fromAcceptLanguage(header: string | null): Locale | undefined {
  if (!header) return undefined;
  const ranked = header
    .split(",")
    .map((part) => {
      const [tag = "", q] = part.trim().split(";q=");
      return { lang: tag.toLowerCase().split("-")[0], q: q === undefined ? 1 : Number(q) };
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q);
  return ranked.map((entry) => entry.lang).find((lang): lang is Locale => isLocale(lang));
}

export async function resolveLocale(request: Request, userLocale?: string | null): Promise<Locale> {
  if (isLocale(userLocale)) return userLocale;
  const chosen = await localeCookie.parse(request.headers.get("Cookie"));
  if (isLocale(chosen)) return chosen;
  return fromAcceptLanguage(request.headers.get("Accept-Language")) ?? defaultLocale;
}

export { locales };
