// Accounts behind a registrant portal's sign-in (single sign-on; docs/decisions/019-oidc-sign-in.md).
// The portal's subject, per regulator, names one account (OidcIdentity). On the first sign-in an
// account is found by an email the portal says it verified, else created as a learner with the
// registration the portal vouches for. Every sign-in brings the name and the registration number
// up to date from the claims; a changed number goes through saveRegistration (audited).
import { Prisma } from "~/generated/prisma/client";
import type { Locale } from "~/i18n";
import { getDb } from "~/utils/db.server";
import { logEvent } from "~/utils/log.server";
import type { MappedClaims } from "~/utils/oidc-claims";
import { fail, ok, type Result } from "~/utils/result";
import { recordAudit } from "./audit.server";
import { saveRegistration } from "./registration.server";
import { roleRow } from "./user.server";

export type OidcSignInRefusal =
  /** The account is closed or deactivated: no sign-in, whichever way. */
  | "account-closed"
  | "account-deactivated"
  /** An account has this email, but the portal did not say it verified the address. */
  | "email-unverified"
  /** The link or the account already belongs to another identity (another issuer, another subject). */
  | "identity-conflict";

export type OidcSignIn = { userId: string; created: boolean; linked: boolean };

type Input = { regulatorId: string; issuer: string; claims: MappedClaims; locale: Locale };

/**
 * The account a portal's sign-in opens, found, linked or created, with its name and registration
 * number brought up to date; or why it may not sign in.
 */
export async function signInWithPortal(input: Input): Promise<Result<OidcSignIn, OidcSignInRefusal>> {
  try {
    return await findOrCreate(input);
  } catch (error) {
    // Two first sign-ins at once (two tabs): the second finds what the first created.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") return findOrCreate(input);
    throw error;
  }
}

async function findOrCreate(input: Input): Promise<Result<OidcSignIn, OidcSignInRefusal>> {
  const { regulatorId, issuer, claims } = input;
  const db = getDb();
  const link = await db.oidcIdentity.findUnique({
    where: { regulatorId_subject: { regulatorId, subject: claims.subject } },
    select: { issuer: true, user: { select: { id: true, name: true, closedAt: true, deactivatedAt: true } } },
  });
  if (link) {
    if (link.issuer !== issuer) return fail("identity-conflict");
    const refused = refusal(link.user);
    if (refused) return fail(refused);
    await db.oidcIdentity.update({
      where: { regulatorId_subject: { regulatorId, subject: claims.subject } },
      data: { lastSignInAt: new Date() },
    });
    return keepInSync(link.user, input, { created: false, linked: false });
  }

  const byEmail = await db.user.findUnique({
    where: { email: claims.email },
    select: { id: true, name: true, closedAt: true, deactivatedAt: true, oidcIdentities: { where: { regulatorId } } },
  });
  if (byEmail) {
    // Only the portal's word that the address is the person's lets its identity into an account.
    if (!claims.emailVerified) return fail("email-unverified");
    const refused = refusal(byEmail);
    if (refused) return fail(refused);
    if (byEmail.oidcIdentities.length > 0) return fail("identity-conflict");
    await db.$transaction(async (tx) => {
      await tx.oidcIdentity.create({ data: { regulatorId, subject: claims.subject, issuer, userId: byEmail.id } });
      // Linked only on the portal's verified address: that proves it here too, if nothing had yet.
      await tx.user.updateMany({
        where: { id: byEmail.id, emailVerifiedAt: null },
        data: { emailVerifiedAt: new Date() },
      });
      await recordAudit(
        {
          subject: `account:${byEmail.id}`,
          actorId: byEmail.id,
          action: "sso_linked",
          detail: { regulator: regulatorId },
        },
        tx,
      );
    });
    logEvent("auth.sso_linked", { userId: byEmail.id, regulator: regulatorId });
    return keepInSync(byEmail, input, { created: false, linked: true });
  }

  const user = await db.$transaction(async (tx) => {
    const created = await tx.user.create({
      data: {
        email: claims.email,
        name: claims.name,
        registrationNumber: claims.registrationNumber,
        regulator: regulatorId,
        locale: input.locale,
        // The portal's word that the address is theirs counts as its verification (ADR 024).
        emailVerifiedAt: claims.emailVerified ? new Date() : null,
        // No password: the portal is how this person signs in (a reset link can add one later).
        registrations: { create: { regulatorId, number: claims.registrationNumber } },
        roles: { create: [roleRow("learner", regulatorId)] },
        oidcIdentities: { create: { regulatorId, subject: claims.subject, issuer } },
      },
      select: { id: true },
    });
    await recordAudit(
      {
        subject: `account:${created.id}`,
        actorId: created.id,
        action: "account_created",
        detail: { regulator: regulatorId, via: "sso" },
      },
      tx,
    );
    return created;
  });
  logEvent("auth.sso_account_created", { userId: user.id, regulator: regulatorId });
  return ok({ userId: user.id, created: true, linked: true });
}

function refusal(user: { closedAt: Date | null; deactivatedAt: Date | null }): OidcSignInRefusal | null {
  if (user.closedAt) return "account-closed";
  if (user.deactivatedAt) return "account-deactivated";
  return null;
}

/** The portal is the registrar's record: its name and number for the person replace ours. */
async function keepInSync(
  user: { id: string; name: string },
  { regulatorId, claims }: Input,
  flags: { created: boolean; linked: boolean },
): Promise<Result<OidcSignIn, OidcSignInRefusal>> {
  if (user.name !== claims.name) {
    await getDb().$transaction(async (tx) => {
      await tx.user.update({ where: { id: user.id }, data: { name: claims.name } });
      await recordAudit(
        {
          subject: `account:${user.id}`,
          actorId: user.id,
          action: "sso_name_synced",
          detail: { regulator: regulatorId, from: user.name, to: claims.name },
        },
        tx,
      );
    });
  }
  // The claims were checked against the profile's pattern already (mapClaims): this cannot refuse.
  const saved = await saveRegistration(user.id, regulatorId, claims.registrationNumber, user.id);
  if (saved.ok && saved.value.change !== "unchanged") {
    logEvent("account.registration_saved", { userId: user.id, regulator: regulatorId, via: "sso" });
  }
  return ok({ userId: user.id, ...flags });
}
