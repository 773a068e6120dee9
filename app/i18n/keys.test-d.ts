// Type tests for translation keys: `tsc --noEmit` (the first step of `npm test`) checks this file;
// vitest does not run it. Each @ts-expect-error fails tsc the day the line it guards compiles.
import type { FieldErrors } from "~/forms/parse";
import type { requestI18n } from "~/utils/i18n.server";
import { en, type Messages } from "./en";
import { i18nKey, translator, type TranslationKey } from "./index";
import type { useTranslation } from "./react";

const t = translator("en");

// Plain keys.
t("debrief.title");
t("analytics.funnel.learnersCount", { count: 2 }); // a plural, by its key without _one/_other
// @ts-expect-error a key the catalogs lack
t("no.such.key");
// @ts-expect-error a misspelt key
t("debrief.titel");
// @ts-expect-error a defaultValue does not excuse an unknown key (strictKeyChecks)
t("no.such.key", { defaultValue: "Debrief" });

// Keys built from templates: every value of the union must make a key.
declare const status: "in_progress" | "passed" | "failed";
t(`cases.status.${status}`);
declare const misspelt: "in_progress" | "pased";
// @ts-expect-error one value of the union makes a key the catalogs lack
t(`cases.status.${misspelt}`);
declare const anyString: string;
// @ts-expect-error a key built from a plain string
t(`cases.status.${anyString}`);

// Every other `t`: components' and the server's.
declare const componentT: ReturnType<typeof useTranslation>["t"];
// @ts-expect-error an unknown key in a component
componentT("no.such.key");
declare const requestT: Awaited<ReturnType<typeof requestI18n>>["t"];
// @ts-expect-error a misspelt template key on the server
requestT(`cases.status.${misspelt}`);

// Keys written in one place and translated in another: zod messages, field error maps.
export const emailMessage: TranslationKey = i18nKey("auth.errors.email");
// @ts-expect-error a misspelt zod message
i18nKey("auth.errors.emial");
export const fieldErrors: FieldErrors = { email: "auth.errors.email" };
// @ts-expect-error a misspelt field error
export const misspeltFieldErrors: FieldErrors = { email: "auth.errors.emial" };

// French has exactly the English keys (fr.ts and its siblings are typed with the English types).
const { name: _dropped, ...appWithoutName } = en.app;
// @ts-expect-error a catalog missing a key
export const missingKey: Messages["app"] = appWithoutName;
// @ts-expect-error a catalog with a key English lacks
export const extraKey: Messages["app"] = { ...en.app, extra: "Extra" };
