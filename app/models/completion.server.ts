// Completion records and their certificates. Records are read here and written only by
// attempt.server.ts when an attempt passes; the database refuses updates and deletes.
import type { LocalizedText } from "~/engine";
import { certificateStands, latestReissue, type CertificateRecord } from "~/utils/certificate-status";
import { getDb } from "~/utils/db.server";
import { logEvent } from "~/utils/log.server";
import { fail, ok, type Result } from "~/utils/result";
import { scopeFilter, type RegulatorScope } from "~/utils/roles";
import { recordAudit } from "./audit.server";

/** The learner's completions in [from, to], oldest first. */
export async function listCompletions(userId: string, from: Date, to: Date) {
  const rows = await getDb().completion.findMany({
    where: { userId, completedAt: { gte: from, lte: to } },
    orderBy: { completedAt: "asc" },
    include: { certificate: { select: { code: true, revokedAt: true, reissues: latestReissue } } },
  });
  return rows.map((row) => ({ ...row, caseTitle: JSON.parse(row.caseTitle) as LocalizedText }));
}

type Credited = { creditHours: number; certificate: CertificateRecord | null };

/** A completion's credit hours as they count: only while its certificate stands (practice and revoked: 0). */
export function creditedHours(row: Credited): number {
  return row.certificate && certificateStands(row.certificate) ? row.creditHours : 0;
}

/** The hours that count over the rows. */
export function totalCreditHours(rows: Credited[]): number {
  return rows.reduce((sum, r) => sum + creditedHours(r), 0);
}

/** Public: what anyone holding the code may see. `reissues` newest first. */
export async function findCertificate(code: string) {
  const certificate = await getDb().certificate.findUnique({
    where: { code },
    include: { completion: true, reissues: { orderBy: { number: "desc" } } },
  });
  if (!certificate) return null;
  const latest = certificate.reissues[0];
  return {
    ...certificate,
    caseTitle: JSON.parse(certificate.completion.caseTitle) as LocalizedText,
    /** The name and number the latest document carries: the duplicate's, else as first issued. */
    printed: {
      learnerName: latest?.learnerName ?? certificate.completion.learnerName,
      registrationNumber: latest?.registrationNumber ?? certificate.completion.registrationNumber,
    },
  };
}

/**
 * For admins: the certificate, and what a corrected duplicate would print (the account's current
 * name, and its registration number when it is still with that regulator); null for a closed account.
 */
/** For an admin of the certificate's regulator (`scope`); another regulator's reads as not found. */
export async function findCertificateForAdmin(code: string, scope: RegulatorScope) {
  const certificate = await findCertificate(code);
  if (!certificate || (!scope.all && !scope.regulators.has(certificate.completion.regulator))) return null;
  const c = certificate.completion;
  const user = await getDb().user.findUnique({ where: { id: c.userId }, select: accountText });
  return { ...certificate, current: correctedText(user, c.regulator, certificate.printed) };
}

type Printed = { learnerName: string; registrationNumber: string };
const accountText = {
  name: true,
  closedAt: true,
  registrations: { select: { regulatorId: true, number: true } },
} as const;

/**
 * What a corrected duplicate prints: the account's current name, and its registration number with
 * the certificate's regulator while it holds one (else the last document's). Null for a closed account.
 */
function correctedText(
  user: { name: string; closedAt: Date | null; registrations: { regulatorId: string; number: string }[] } | null,
  regulator: string,
  last: Printed,
): Printed | null {
  if (!user || user.closedAt !== null) return null;
  const registration = user.registrations.find((r) => r.regulatorId === regulator);
  return { learnerName: user.name, registrationNumber: registration?.number ?? last.registrationNumber };
}

export type RevokeResult = Result<null, "not-found" | "already-revoked">;

/** Admins revoke with a reason; the certificate and its completion stay on record. */
export async function revokeCertificate(
  code: string,
  adminId: string,
  scope: RegulatorScope,
  reason: string,
  now = new Date(),
): Promise<RevokeResult> {
  const mine = { code, completion: { regulator: scopeFilter(scope) } };
  const updated = await getDb().certificate.updateMany({
    where: { ...mine, revokedAt: null },
    data: { revokedAt: now, revokedReason: reason, revokedById: adminId },
  });
  if (updated.count === 1) {
    // By the certificate's id: its code is what lets anyone see it, so it stays out of the log.
    const revoked = await getDb().certificate.findUnique({ where: { code }, select: { id: true } });
    logEvent("certificate.revoked", { certificateId: revoked?.id, adminId });
    return ok(null);
  }
  return (await getDb().certificate.findFirst({ where: mine })) ? fail("already-revoked") : fail("not-found");
}

export type Reissued = { number: number; learnerName: string; registrationNumber: string };
type ReissueFailure = "not-found" | "revoked";
type Logged = { certificateId: string };
export type ReissueResult = Result<Reissued, ReissueFailure>;

/**
 * Admins issue a duplicate (the learner lost it, or a name was corrected): the same code, still
 * valid, on a document marked "Duplicate" with today's date. With `correct`, the duplicate carries
 * the account's current name and registration number (that regulator's; a closed account keeps the
 * record's); otherwise those of the last document. Who and why go to the audit log.
 */
export async function reissueCertificate(
  code: string,
  adminId: string,
  scope: RegulatorScope,
  input: { reason: string; correct: boolean },
  now = new Date(),
): Promise<ReissueResult> {
  const result = await getDb().$transaction(async (tx): Promise<Result<Reissued & Logged, ReissueFailure>> => {
    const certificate = await tx.certificate.findFirst({
      where: { code, completion: { regulator: scopeFilter(scope) } },
      include: {
        completion: {
          select: {
            learnerName: true,
            registrationNumber: true,
            regulator: true,
            user: { select: accountText },
          },
        },
        reissues: { orderBy: { number: "desc" }, take: 1 },
      },
    });
    if (!certificate) return fail("not-found");
    if (certificate.revokedAt) return fail("revoked");
    const { completion } = certificate;
    const last: Printed = certificate.reissues[0] ?? completion;
    const { learnerName, registrationNumber } =
      (input.correct && correctedText(completion.user, completion.regulator, last)) || last;
    const number = (certificate.reissues[0]?.number ?? 0) + 1;
    await tx.certificateReissue.create({
      data: {
        certificateId: certificate.id,
        number,
        learnerName,
        registrationNumber,
        reason: input.reason,
        reissuedById: adminId,
        reissuedAt: now,
      },
    });
    await recordAudit(
      {
        // By id, as in the log: the code is what lets anyone see the certificate.
        subject: `certificate:${certificate.id}`,
        actorId: adminId,
        action: "certificate_reissued",
        detail: {
          number,
          reason: input.reason,
          corrected: learnerName !== last.learnerName || registrationNumber !== last.registrationNumber,
        },
        at: now,
      },
      tx,
    );
    return ok({ number, learnerName, registrationNumber, certificateId: certificate.id });
  });
  if (!result.ok) return result;
  const { certificateId, ...reissued } = result.value;
  logEvent("certificate.reissued", { certificateId, adminId, number: reissued.number });
  return ok(reissued);
}
