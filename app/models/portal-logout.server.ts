// A registrant portal's back-channel logout (OpenID Connect Back-Channel Logout 1.0 §2.7; ADR 019):
// the sessions, and the staff second steps still pending, that came from the portal sign-in a
// verified logout token names are deleted. Only that portal's: a session records the regulator whose
// portal signed it in, and the portal's session id (sid). Each token is used once: its jti is kept
// (PortalLogoutToken) until a copy would be refused as too old anyway.
import { Prisma } from "~/generated/prisma/client";
import { getDb } from "~/utils/db.server";
import type { LogoutToken } from "~/utils/oidc-logout-token.server";
import { fail, ok, type Result } from "~/utils/result";

export type PortalLogout = {
  /** The accounts whose sessions ended (for the log). */
  userIds: string[];
  sessions: number;
  pending: number;
};

/**
 * Ends what the token names: by sid, the sessions of that portal session; by sub alone, every
 * session the portal signed in for the account linked to that subject (by this issuer); by both,
 * the sessions that match both. "replayed" when the token's jti was used already.
 */
export async function endPortalSignIns(
  regulatorId: string,
  token: LogoutToken,
  now = new Date(),
): Promise<Result<PortalLogout, "replayed">> {
  const db = getDb();
  try {
    return ok(
      await db.$transaction(async (tx) => {
        await tx.portalLogoutToken.deleteMany({ where: { expiresAt: { lte: now } } });
        // The primary key refuses a jti seen before (P2002), and the transaction undoes everything.
        await tx.portalLogoutToken.create({ data: { regulatorId, jti: token.jti, expiresAt: token.keepUntil } });
        let userId: string | undefined;
        if (token.sub) {
          const link = await tx.oidcIdentity.findUnique({
            where: { regulatorId_subject: { regulatorId, subject: token.sub } },
            select: { userId: true, issuer: true },
          });
          // Nobody here is that subject of this issuer: nothing to end.
          if (!link || link.issuer !== token.issuer) return { userIds: [], sessions: 0, pending: 0 };
          userId = link.userId;
        }
        const where = {
          portal: regulatorId,
          ...(token.sid ? { portalSid: token.sid } : {}),
          ...(userId ? { userId } : {}),
        };
        const ended = await tx.session.findMany({ where, select: { id: true, userId: true } });
        await tx.session.deleteMany({ where: { id: { in: ended.map((s) => s.id) } } });
        const pending = await tx.pendingLogin.deleteMany({ where });
        return {
          userIds: [...new Set(ended.map((s) => s.userId))],
          sessions: ended.length,
          pending: pending.count,
        };
      }),
    );
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") return fail("replayed");
    throw error;
  }
}
