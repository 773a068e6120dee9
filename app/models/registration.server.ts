// Registrations: a person's licences with the regulators of this deployment. A completion of a case
// earns credit, and a certificate, only through a registration with the case's regulator; without
// one the case is practice. The registration a person joined with is also their home regulator on
// User (regulator, registrationNumber), and this module keeps the two equal.
import { registrationMatches } from "~/engine";
import type { Prisma } from "~/generated/prisma/client";
import type { Locale } from "~/i18n";
import { getDb } from "~/utils/db.server";
import { recordAudit } from "./audit.server";
import { getRegulator, listRegulators, regulatorDisplayName } from "./regulator.server";

type Client = Prisma.TransactionClient | ReturnType<typeof getDb>;

/** The person's registration number with the regulator, or null when they hold none. */
export async function registrationWith(userId: string, regulatorId: string, client: Client = getDb()) {
  const row = await client.registration.findUnique({
    where: { userId_regulatorId: { userId, regulatorId } },
    select: { number: true },
  });
  return row?.number ?? null;
}

/** Every registration of the person, named in their language, home regulator first. */
export async function listRegistrations(user: { id: string; regulator: string }, locale: Locale) {
  const [rows, profiles] = await Promise.all([
    getDb().registration.findMany({ where: { userId: user.id }, orderBy: { createdAt: "asc" } }),
    listRegulators(),
  ]);
  const byId = new Map(profiles.map((p) => [p.id, p]));
  return rows
    .map((r) => ({
      regulatorId: r.regulatorId,
      regulatorName: regulatorDisplayName(byId.get(r.regulatorId) ?? null, r.regulatorId, locale),
      number: r.number,
      home: r.regulatorId === user.regulator,
    }))
    .sort((a, b) => Number(b.home) - Number(a.home));
}

export type SaveRegistration =
  | { ok: true; value: { change: "added" | "changed" | "unchanged" } }
  | { ok: false; code: "unknown-regulator" | "pattern" };

/**
 * Adds the person's registration with a regulator, or corrects its number. The change is in the
 * audit log (old and new number); completions keep the number they were issued with.
 */
export async function saveRegistration(
  userId: string,
  regulatorId: string,
  number: string,
  actorId: string | null,
): Promise<SaveRegistration> {
  const profile = await getRegulator(regulatorId);
  if (!profile) return { ok: false, code: "unknown-regulator" };
  if (!registrationMatches(profile, number)) return { ok: false, code: "pattern" };
  return getDb().$transaction(async (tx) => {
    const before = await registrationWith(userId, regulatorId, tx);
    if (before === number) return { ok: true, value: { change: "unchanged" } } as const;
    await tx.registration.upsert({
      where: { userId_regulatorId: { userId, regulatorId } },
      create: { userId, regulatorId, number },
      update: { number },
    });
    // The home registration is also on User (the join form's, shown in the header and exports).
    await tx.user.updateMany({ where: { id: userId, regulator: regulatorId }, data: { registrationNumber: number } });
    const change = before === null ? "added" : "changed";
    await recordAudit(
      {
        subject: `account:${userId}`,
        actorId,
        action: change === "added" ? "registration_added" : "registration_changed",
        detail: { regulator: regulatorId, ...(before === null ? {} : { from: before }), to: number },
      },
      tx,
    );
    return { ok: true, value: { change } } as const;
  });
}
