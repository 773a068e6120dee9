// Regulators (tenants) and their profiles: the latest imported version of each, read through a
// small cache, since a profile version never changes once written (a new import is a new row).
import { regulatorProfileSchema, type Locale, type RegulatorProfile } from "~/engine";
import type { Prisma } from "~/generated/prisma/client";
import { getDb } from "~/utils/db.server";
import { RETENTION_YEARS } from "~/utils/retention";

type Cached = { sequence: number; profile: RegulatorProfile };
const cache = new Map<string, Cached>();

function decode(content: string): RegulatorProfile {
  return regulatorProfileSchema.parse(JSON.parse(content));
}

/** Every regulator's current profile, by id (sorted by id). */
export async function listRegulators(): Promise<RegulatorProfile[]> {
  const latest = await getDb().regulatorVersion.findMany({
    orderBy: [{ regulatorId: "asc" }, { sequence: "desc" }],
    distinct: ["regulatorId"],
    select: { regulatorId: true, sequence: true, content: true },
  });
  return latest.map((row) => {
    const hit = cache.get(row.regulatorId);
    if (hit?.sequence === row.sequence) return hit.profile;
    const profile = decode(row.content);
    cache.set(row.regulatorId, { sequence: row.sequence, profile });
    return profile;
  });
}

/** The regulator's current profile, or null when none was ever imported. */
export async function getRegulator(id: string): Promise<RegulatorProfile | null> {
  const row = await getDb().regulatorVersion.findFirst({
    where: { regulatorId: id },
    orderBy: { sequence: "desc" },
    select: { sequence: true, content: true },
  });
  if (!row) return null;
  const hit = cache.get(id);
  if (hit?.sequence === row.sequence) return hit.profile;
  const profile = decode(row.content);
  cache.set(id, { sequence: row.sequence, profile });
  return profile;
}

/** How many years the regulator keeps a closed account's records: its profile's, else RETENTION_YEARS. */
export async function retentionYearsOf(id: string): Promise<number> {
  return (await getRegulator(id))?.retentionYears ?? RETENTION_YEARS;
}

/** The regulator's name in the locale; the id itself when it has no profile (old data). */
export function regulatorDisplayName(profile: RegulatorProfile | null, id: string, locale: Locale): string {
  return profile?.name[locale] ?? profile?.name.en ?? id;
}

/**
 * Each regulator's retention period in years (profile `retentionYears`, default 6), by id, read
 * through `client` so the purge sees the profiles in its own transaction. A regulator without a
 * profile is absent: the caller falls back to RETENTION_YEARS.
 */
export async function retentionYearsByRegulator(
  client: Pick<Prisma.TransactionClient, "regulatorVersion">,
): Promise<Map<string, number>> {
  const latest = await client.regulatorVersion.findMany({
    orderBy: [{ regulatorId: "asc" }, { sequence: "desc" }],
    distinct: ["regulatorId"],
    select: { regulatorId: true, content: true },
  });
  return new Map(latest.map((row) => [row.regulatorId, decode(row.content).retentionYears]));
}
