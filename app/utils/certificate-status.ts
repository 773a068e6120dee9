// What a certificate's standing is, decided in one place for every page, PDF and export: valid,
// revoked (by an admin, with a reason; never deleted), or reissued (a duplicate was issued with the
// same code, which stays valid). Revocation wins over a reissue. Pure: no I/O.

export type CertificateStatus = "valid" | "reissued" | "revoked";

export type CertificateState =
  | { status: "valid" }
  | { status: "reissued"; reissuedAt: Date; number: number }
  | { status: "revoked"; revokedAt: Date; reason: string };

/** The fields the state is read from; `reissues` newest first (only the first is read). */
export type CertificateRecord = {
  revokedAt: Date | null;
  revokedReason?: string | null;
  reissues?: ReadonlyArray<{ reissuedAt: Date; number: number }>;
};

export function certificateState(certificate: CertificateRecord): CertificateState {
  if (certificate.revokedAt) {
    return { status: "revoked", revokedAt: certificate.revokedAt, reason: certificate.revokedReason ?? "" };
  }
  const latest = certificate.reissues?.[0];
  return latest ? { status: "reissued", reissuedAt: latest.reissuedAt, number: latest.number } : { status: "valid" };
}

/** Whether the certificate stands (valid, or valid and reissued): its hours count. */
export function certificateStands(certificate: CertificateRecord): boolean {
  return certificate.revokedAt === null;
}

/** The Prisma `include` that gives certificateState the latest reissue. */
export const latestReissue = {
  select: { reissuedAt: true, number: true },
  orderBy: { number: "desc" },
  take: 1,
} as const;
