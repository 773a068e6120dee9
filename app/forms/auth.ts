// The sign-in and join forms' schemas. Messages are i18n keys: the page translates them.
import { z } from "zod";
import { registrationMatches, type RegulatorProfile } from "~/engine";
import { i18nKey, locales, type TranslationKey } from "~/i18n";
import { UNSAFE_LINE } from "./text";

// parseForm moved to ./parse (it is not about sign-in); login.tsx and utils/auth.server.ts still
// import it from here until their next change.
export { formValues, parseForm, type FieldErrors } from "./parse";

/** A one-line text field: trimmed, no control or direction characters (forms/text.ts), at most `max` characters (never cut). */
export function safeText(
  max: number,
  tooLong: TranslationKey,
  unsafe: TranslationKey = i18nKey("auth.errors.unsafeText"),
) {
  return z
    .string()
    .trim()
    .max(max, tooLong)
    .refine((v) => !UNSAFE_LINE.test(v), unsafe);
}

export const loginSchema = z.object({
  email: z
    .string()
    .trim()
    .pipe(z.email(i18nKey("auth.errors.email"))),
  password: z.string().min(1, i18nKey("auth.errors.passwordRequired")),
});

type Regulators = ReadonlyArray<Pick<RegulatorProfile, "id" | "registration">>;

/** A registration: one of the deployment's regulators, and a number of the form its profile asks for. */
function registrationFields(regulators: Regulators) {
  return {
    registrationNumber: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9-]{2,40}$/, i18nKey("auth.errors.registrationNumber")),
    regulator: z.string().refine((id) => regulators.some((r) => r.id === id), i18nKey("auth.errors.regulator")),
  };
}

function registrationPattern(regulators: Regulators) {
  return (value: { regulator: string; registrationNumber: string }, ctx: z.RefinementCtx) => {
    const regulator = regulators.find((r) => r.id === value.regulator);
    if (regulator && !registrationMatches(regulator, value.registrationNumber)) {
      ctx.addIssue({
        code: "custom",
        path: ["registrationNumber"],
        message: i18nKey("auth.errors.registrationPattern"),
      });
    }
  };
}

/** The form that adds a registration with another regulator, or corrects a number (/me/registrations). */
export function registrationSchema(regulators: Regulators) {
  return z.object(registrationFields(regulators)).superRefine(registrationPattern(regulators));
}

/** A person's name as certificates print it (/join and /me/account alike). */
const personName = () =>
  safeText(200, i18nKey("auth.errors.name")).pipe(z.string().min(1, i18nKey("auth.errors.name")));

const emailAddress = () =>
  z
    .string()
    .trim()
    .max(254, i18nKey("auth.errors.email"))
    .pipe(z.email(i18nKey("auth.errors.email")));

/** The learner's own profile (/me/account): the name printed on certificates, the preferred language. */
export const profileSchema = z.object({
  name: personName(),
  locale: z.enum(locales, { error: i18nKey("auth.errors.locale") }),
});

/** A change of address (/me/account): the new one, and the current password to start it. */
export const emailChangeSchema = z.object({
  newEmail: emailAddress(),
  emailPassword: z.string().min(1, i18nKey("auth.errors.passwordRequired")).max(512, i18nKey("auth.wrongCurrent")),
});

/**
 * The join form for this deployment's regulators: the regulator must be one of them, and the
 * registration number of the form its profile asks for.
 */
export function joinSchema(regulators: Regulators) {
  return z
    .object({
      name: personName(),
      email: emailAddress(),
      password: z.string().min(12, i18nKey("auth.errors.password")).max(512, i18nKey("auth.errors.password")),
      ...registrationFields(regulators),
      locale: z.enum(locales, { error: i18nKey("auth.errors.locale") }),
    })
    .superRefine(registrationPattern(regulators));
}

export const passwordChangeSchema = z.object({
  currentPassword: z.string().min(1, i18nKey("auth.errors.passwordRequired")),
  newPassword: z.string().min(12, i18nKey("auth.errors.password")).max(512, i18nKey("auth.errors.password")),
});

/** Closing an account: the current password, and the account's email typed out as a deliberate act. */
export const closeAccountSchema = z.object({
  closePassword: z.string().min(1, i18nKey("auth.errors.passwordRequired")).max(512, i18nKey("auth.wrongCurrent")),
  confirmEmail: z
    .string()
    .trim()
    .min(1, i18nKey("auth.errors.closeConfirm"))
    .max(254, i18nKey("auth.errors.closeConfirm")),
});
