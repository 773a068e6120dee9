// The two-factor forms' schemas (models/two-factor.server.ts reads the code itself). Messages are
// i18n keys: the page translates them.
import { z } from "zod";
import { i18nKey } from "~/i18n";

const code = z.string().trim().min(1, i18nKey("twoFactor.codeFormat")).max(64, i18nKey("twoFactor.codeFormat"));

/** Confirming the setup, and the second step of a sign-in: one code. */
export const twoFactorCodeSchema = z.object({ code });

/** Turning it off: the current password and a code. */
export const twoFactorDisableSchema = z.object({
  currentPassword: z.string().min(1, i18nKey("auth.errors.passwordRequired")).max(512, i18nKey("auth.wrongCurrent")),
  code,
});
