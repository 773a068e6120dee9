// The translate function for components. Each locale has one i18next instance that never changes
// language (see ./index.ts), so components only need that instance's `t` from context: no
// subscriptions, nothing built per render. react-i18next's hook did both on every call and was a
// tenth of the player page's server time (docs/decisions/004-i18n.md).
import type { TFunction } from "i18next";
import { createContext, useContext, type ReactNode } from "react";
import { defaultLocale, translator, type Locale } from "./index";

type Translation = { t: TFunction; locale: Locale };

const fixed = new Map<Locale, Translation>();

function translationFor(locale: Locale): Translation {
  let value = fixed.get(locale);
  if (!value) {
    value = { t: translator(locale), locale };
    fixed.set(locale, value);
  }
  return value;
}

const TranslationContext = createContext<Translation | null>(null);

export function TranslationProvider({ locale, children }: { locale: Locale; children: ReactNode }) {
  return <TranslationContext.Provider value={translationFor(locale)}>{children}</TranslationContext.Provider>;
}

/** `{ t, locale }` for the page's locale (English outside a provider, e.g. in an error before the root rendered). */
export function useTranslation(): Translation {
  return useContext(TranslationContext) ?? translationFor(defaultLocale);
}
