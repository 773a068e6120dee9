// The admin area's people forms (routes/admin.people.*): the search, and the changes to an account,
// each of which says why. Messages are i18n keys: the page translates them.
import { z } from "zod";
import { i18nKey } from "~/i18n";
import type { GrantOption } from "~/models/admin.server";
import { UNSAFE_LINE, UNSAFE_MULTILINE } from "./text";

/** Why a change is made: free text kept in the audit log. */
const reason = z
  .string()
  .trim()
  .min(5, i18nKey("people.errors.reason"))
  .max(1000, i18nKey("people.errors.reason"))
  .refine((value) => !UNSAFE_MULTILINE.test(value), i18nKey("people.errors.reasonUnsafe"));

/**
 * A role for a regulator, as the forms send it: "role@regulator", or "operator@*" (the model checks
 * the regulator against the admin's scope).
 */
const grant = z
  .string({ error: i18nKey("people.errors.grant") })
  .regex(
    /^(?:(?:author|educator|registrar|admin)@[a-z0-9][a-z0-9-]{0,99}|operator@\*)$/,
    i18nKey("people.errors.grant"),
  )
  .transform((value): GrantOption => {
    const at = value.indexOf("@");
    return { role: value.slice(0, at) as GrantOption["role"], regulator: value.slice(at + 1) };
  });

export const grantValue = (g: GrantOption) => `${g.role}@${g.regulator}`;

export const peopleSearchSchema = z.object({
  q: z
    .string()
    .max(100, i18nKey("people.errors.search"))
    .refine((value) => !UNSAFE_LINE.test(value), i18nKey("people.errors.search"))
    .default(""),
  after: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/)
    .optional()
    .catch(undefined),
});

export const grantSchema = z.object({ intent: z.literal("grant"), grant, grantReason: reason });
export const revokeSchema = z.object({ intent: z.literal("revoke"), revoke: grant, revokeReason: reason });
export const accountSchema = z.object({
  intent: z.enum(["deactivate", "reactivate", "sessions", "reset", "two-factor"]),
  accountReason: reason,
});
