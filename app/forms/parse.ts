// Reading a posted form against its zod schema: the data, or each field's error as an i18n key
// (the page translates it) with what the person typed, to show again. Every form uses this.
import type { z } from "zod";
import type { TranslationKey } from "~/i18n";

/** Field name → the i18n key of its error. */
export type FieldErrors = Record<string, TranslationKey>;

/** Form data → { data } or { errors: field → i18n key, values: what was typed minus passwords }. */
export function parseForm<T extends z.ZodType>(schema: T, form: FormData) {
  const result = schema.safeParse(stringEntries(form));
  if (result.success) return { data: result.data as z.infer<T> } as const;
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? "form");
    // Every message in these schemas is written with i18nKey; zod's own messages only arise for a
    // field missing from the post, which the forms always send.
    errors[field] ??= issue.message as TranslationKey;
  }
  return { errors, values: formValues(form) } as const;
}

function stringEntries(form: FormData): Record<string, string> {
  return Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === "string")) as Record<string, string>;
}

/** What was typed, to show again with errors: never the password or the CSRF token. */
export function formValues(form: FormData): Record<string, string> {
  const { password: _password, csrf: _csrf, ...values } = stringEntries(form);
  return values;
}
