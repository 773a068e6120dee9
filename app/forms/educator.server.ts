// Field rules shared by the educator area's forms (their errors are i18n keys).
import { z } from "zod";
import { i18nKey } from "~/i18n";
import { parseCalendarDay } from "~/utils/format";

/** A cohort's name. */
export const cohortName = z
  .string()
  .trim()
  .min(1, i18nKey("educator.errors.cohortName"))
  .max(120, i18nKey("educator.errors.cohortName"));

/** A module's title in one language. */
const moduleTitle = z
  .string()
  .trim()
  .min(1, i18nKey("educator.errors.title"))
  .max(200, i18nKey("educator.errors.title"));

/** A module's description in one language, optional. */
const moduleDescription = z.string().trim().max(2000, i18nKey("educator.errors.description")).default("");

/** A module's title and description in both languages, as creating and editing post them. */
export const moduleTexts = z.object({
  titleEn: moduleTitle,
  titleFr: moduleTitle,
  descriptionEn: moduleDescription,
  descriptionFr: moduleDescription,
});

/**
 * An optional due date from a date input: the calendar day (YYYY-MM-DD) or null. The route turns it
 * into the instant it falls due on the cohort's clock (dueAtFromDateInput with cohortTimeZone).
 */
export const dueDate = z
  .string()
  .trim()
  .optional()
  .refine((v) => !v || parseCalendarDay(v) !== null, i18nKey("educator.errors.dueDate"))
  .transform((v) => v || null);
