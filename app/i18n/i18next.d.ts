// Declares the catalogs to i18next's types, so every `t` (components, server, `translator()`) accepts
// only keys the English catalog has: a misspelt key fails `tsc` instead of showing the raw key on a
// page. French is held to the same keys by its `Messages` annotations (./fr.ts and siblings).
import type { resources } from "./index";

declare module "i18next" {
  interface CustomTypeOptions {
    defaultNS: "translation";
    resources: (typeof resources)["en"];
    // Check keys even when a call gives a `defaultValue`.
    strictKeyChecks: true;
  }
}
