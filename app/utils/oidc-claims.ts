// What a registrant portal's claims mean to Vignette (docs/decisions/019-oidc-sign-in.md): a name,
// an email (and whether the portal verified it) and a registration number of the form the
// regulator's profile asks for. The same rules as the join form: one-line safe text, a valid email,
// a number of letters, digits and "-". Pure: no I/O.
import { z } from "zod";
import { registrationMatches, type RegulatorProfile } from "~/engine";
import { UNSAFE_LINE } from "~/forms/text";
import type { ClaimMapping } from "./oidc-config";
import { fail, ok, type Result } from "./result";

export type MappedClaims = {
  /** The portal's `sub`: the identity the link is made by, never reassigned by that issuer. */
  subject: string;
  name: string;
  email: string;
  emailVerified: boolean;
  registrationNumber: string;
};

export type ClaimProblem =
  "missing-subject" | "missing-name" | "missing-email" | "missing-registration" | "registration-pattern";

/** A claim by name, or by a dotted path into nested objects ("registration.number"). */
export function claimAt(claims: Record<string, unknown>, path: string): unknown {
  if (path in claims) return claims[path];
  let value: unknown = claims;
  for (const part of path.split(".")) {
    if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** A string claim, trimmed; numbers are read as their digits (some portals send the number as one). */
function text(value: unknown): string | undefined {
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return String(value);
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

const REGISTRATION_NUMBER = /^[A-Za-z0-9-]{2,40}$/;
const email = z.string().max(254).pipe(z.email());

/** The name as one line of at most 200 characters: the `name` claim, else given and family names. */
function nameOf(claims: Record<string, unknown>, path: string): string | undefined {
  const given = text(claimAt(claims, "given_name"));
  const family = text(claimAt(claims, "family_name"));
  const name = text(claimAt(claims, path)) ?? ([given, family].filter(Boolean).join(" ") || undefined);
  return name && name.length <= 200 && !UNSAFE_LINE.test(name) ? name : undefined;
}

/**
 * The person the portal vouches for, read through the mapping and checked against the profile, or
 * the first claim that is missing or malformed. `email_verified` counts only when it is true (or
 * the string "true", as some portals send it).
 */
export function mapClaims(
  claims: Record<string, unknown>,
  mapping: ClaimMapping,
  profile: Pick<RegulatorProfile, "registration">,
): Result<MappedClaims, ClaimProblem> {
  const subject = typeof claims.sub === "string" && claims.sub.length > 0 ? claims.sub : undefined;
  if (!subject || subject.length > 255) return fail("missing-subject");
  const name = nameOf(claims, mapping.name);
  if (!name) return fail("missing-name");
  const address = text(claimAt(claims, mapping.email))?.toLowerCase();
  if (!address || !email.safeParse(address).success) return fail("missing-email");
  const registrationNumber = text(claimAt(claims, mapping.registrationNumber));
  if (!registrationNumber) return fail("missing-registration");
  if (!REGISTRATION_NUMBER.test(registrationNumber) || !registrationMatches(profile, registrationNumber)) {
    return fail("registration-pattern");
  }
  const verified = claims.email_verified === true || claims.email_verified === "true";
  return ok({ subject, name, email: address, emailVerified: verified, registrationNumber });
}
