// How each reason an SSO sign-in stops becomes an answer: its status and the message a person
// reads (docs/decisions/019-oidc-sign-in.md). The browser's or the person's side gets a 4xx; a
// portal that does not answer properly is a 502 (a gateway's failure), never a 500.
import { i18nKey, type TranslationKey } from "~/i18n";
import type { OidcSignInRefusal } from "~/models/oidc-identity.server";
import type { ClaimProblem } from "./oidc-claims";
import type { PortalFailure } from "./oidc.server";

export type SsoStopCode = PortalFailure | ClaimProblem | OidcSignInRefusal;

export const ssoAnswers: Record<SsoStopCode, { status: 400 | 403 | 409 | 422 | 502; message: TranslationKey }> = {
  "bad-state": { status: 400, message: i18nKey("sso.errors.bad-state") },
  denied: { status: 403, message: i18nKey("sso.errors.denied") },
  "portal-error": { status: 400, message: i18nKey("sso.errors.portal-error") },
  expired: { status: 400, message: i18nKey("sso.errors.expired") },
  "invalid-response": { status: 502, message: i18nKey("sso.errors.invalid-response") },
  unavailable: { status: 502, message: i18nKey("sso.errors.unavailable") },
  "missing-subject": { status: 422, message: i18nKey("sso.errors.missing-subject") },
  "missing-name": { status: 422, message: i18nKey("sso.errors.missing-name") },
  "missing-email": { status: 422, message: i18nKey("sso.errors.missing-email") },
  "missing-registration": { status: 422, message: i18nKey("sso.errors.missing-registration") },
  "registration-pattern": { status: 422, message: i18nKey("sso.errors.registration-pattern") },
  "account-closed": { status: 403, message: i18nKey("sso.errors.account-closed") },
  "account-deactivated": { status: 403, message: i18nKey("sso.errors.account-deactivated") },
  "email-unverified": { status: 409, message: i18nKey("sso.errors.email-unverified") },
  "identity-conflict": { status: 409, message: i18nKey("sso.errors.identity-conflict") },
};
