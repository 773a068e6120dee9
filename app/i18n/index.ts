// i18next set up once per locale with both catalogs bundled: the server and the browser build the
// same instance from the same resources, so hydration matches and switching needs no fetch.
// See docs/decisions/004-i18n.md.
import i18next, { type i18n, type ParseKeys, type TFunction } from "i18next";
import { analyticsEn } from "./analytics.en";
import { analyticsFr } from "./analytics.fr";
import { editorEn } from "./editor.en";
import { editorFr } from "./editor.fr";
import { educatorEn } from "./educator.en";
import { educatorFr } from "./educator.fr";
import { en } from "./en";
import { fr } from "./fr";
import { peopleEn } from "./people.en";
import { peopleFr } from "./people.fr";
import { profileEn } from "./profile.en";
import { profileFr } from "./profile.fr";
import { registrarEn } from "./registrar.en";
import { registrarFr } from "./registrar.fr";
import { regulatorsEn } from "./regulators.en";
import { regulatorsFr } from "./regulators.fr";
import { studioEn } from "./studio.en";
import { studioFr } from "./studio.fr";

export const locales = ["en", "fr"] as const;
export type Locale = (typeof locales)[number];
export const defaultLocale: Locale = "en";

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (locales as readonly string[]).includes(value);
}

// One catalog per area, so each area's pages keep their strings together.
export const resources = {
  en: {
    translation: {
      ...en,
      studio: studioEn,
      editor: editorEn,
      educator: educatorEn,
      analytics: analyticsEn,
      registrar: registrarEn,
      people: peopleEn,
      regulators: regulatorsEn,
      profile: profileEn,
    },
  },
  fr: {
    translation: {
      ...fr,
      studio: studioFr,
      editor: editorFr,
      educator: educatorFr,
      analytics: analyticsFr,
      registrar: registrarFr,
      people: peopleFr,
      regulators: regulatorsFr,
      profile: profileFr,
    },
  },
} as const;

/**
 * A key of the catalogs, as every `t` accepts it (./i18next.d.ts declares the catalogs to i18next).
 * For keys made elsewhere and translated later: zod messages, field errors, result codes.
 */
export type TranslationKey = ParseKeys;

/** A translate function, as `translator()`, `requestI18n` and `useTranslation` give it. */
export type Translate = TFunction;

/** A translation key, checked where it is written (a zod message, a field error map). */
export const i18nKey = <K extends TranslationKey>(k: K): K => k;

/** Whether a string made at run time (a zod message, say) is a key of the catalogs. */
export function isTranslationKey(value: string): value is TranslationKey {
  return getI18n(defaultLocale).exists(value);
}

const instances = new Map<Locale, i18n>();

/** A ready i18next instance for the locale (initialised synchronously, cached). */
export function getI18n(locale: Locale): i18n {
  let instance = instances.get(locale);
  if (!instance) {
    instance = i18next.createInstance();
    void instance.init({
      lng: locale,
      fallbackLng: false,
      resources,
      initAsync: false,
      interpolation: { escapeValue: false }, // React escapes
      returnNull: false,
    });
    instances.set(locale, instance);
  }
  return instance;
}

const translators = new Map<Locale, TFunction>();

/**
 * The locale's translate function. It remembers what each key translates to when called without
 * options: the catalogs never change at run time, and i18next resolves a key anew on every call
 * (a twentieth of the player page's server time). Calls with options (interpolation, plurals) go
 * straight to i18next.
 */
export function translator(locale: Locale): TFunction {
  let translate = translators.get(locale);
  if (!translate) {
    const t = getI18n(locale).getFixedT(locale) as unknown as (...args: unknown[]) => unknown;
    const plain = new Map<string, string>();
    const memoized = (key: unknown, ...rest: unknown[]) => {
      if (rest.length > 0 || typeof key !== "string") return t(key, ...rest);
      let value = plain.get(key);
      if (value === undefined) {
        value = String(t(key));
        plain.set(key, value);
      }
      return value;
    };
    translate = memoized as unknown as TFunction;
    translators.set(locale, translate);
  }
  return translate;
}

/** `Intl` locale tags: Canadian English and French. */
export function intlLocale(locale: Locale): string {
  return locale === "fr" ? "fr-CA" : "en-CA";
}

/** The text of a case's localized field in the locale, falling back to any present locale. */
export function localized(text: Partial<Record<Locale, string>> | undefined, locale: Locale): string {
  if (!text) return "";
  return text[locale] ?? text.en ?? text.fr ?? "";
}
