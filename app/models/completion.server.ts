// Completion records and their certificates. Records are read here and written only by
// attempt.server.ts when an attempt passes; the database refuses updates and deletes.
import type { LocalizedText } from "~/engine";
import { getDb } from "~/utils/db.server";
import { logEvent } from "~/utils/log.server";

/** The learner's completions in [from, to], oldest first. */
export async function listCompletions(userId: string, from: Date, to: Date) {
  const rows = await getDb().completion.findMany({
    where: { userId, completedAt: { gte: from, lte: to } },
    orderBy: { completedAt: "asc" },
    include: { certificate: { select: { code: true, revokedAt: true } } },
  });
  return rows.map((row) => ({ ...row, caseTitle: JSON.parse(row.caseTitle) as LocalizedText }));
}

type Credited = { creditHours: number; certificate: { revokedAt: Date | null } | null };

/** A completion's credit hours as they count: only while its certificate stands (practice and revoked: 0). */
export function creditedHours(row: Credited): number {
  return row.certificate && !row.certificate.revokedAt ? row.creditHours : 0;
}

/** The hours that count over the rows. */
export function totalCreditHours(rows: Credited[]): number {
  return rows.reduce((sum, r) => sum + creditedHours(r), 0);
}

/** Public: what anyone holding the code may see. */
export async function findCertificate(code: string) {
  const certificate = await getDb().certificate.findUnique({ where: { code }, include: { completion: true } });
  if (!certificate) return null;
  return { ...certificate, caseTitle: JSON.parse(certificate.completion.caseTitle) as LocalizedText };
}

export type RevokeResult = { ok: true } | { ok: false; reason: "not-found" | "already-revoked" };

/** Admins revoke with a reason; the certificate and its completion stay on record. */
export async function revokeCertificate(
  code: string,
  adminId: string,
  reason: string,
  now = new Date(),
): Promise<RevokeResult> {
  const updated = await getDb().certificate.updateMany({
    where: { code, revokedAt: null },
    data: { revokedAt: now, revokedReason: reason, revokedById: adminId },
  });
  if (updated.count === 1) {
    // By the certificate's id: its code is what lets anyone see it, so it stays out of the log.
    const revoked = await getDb().certificate.findUnique({ where: { code }, select: { id: true } });
    logEvent("certificate.revoked", { certificateId: revoked?.id, adminId });
    return { ok: true };
  }
  return (await getDb().certificate.findUnique({ where: { code } }))
    ? { ok: false, reason: "already-revoked" }
    : { ok: false, reason: "not-found" };
}
