// Regulators (tenants) and their profiles: the latest imported version of each, read through a
// small cache, since a profile version never changes once written (a new import is a new row).
import { imageInfo, regulatorProfileSchema, type ImageInfo, type Locale, type RegulatorProfile } from "~/engine";
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

/** A logo as stored with its profile version: the bytes, and what the engine read from them. */
export type RegulatorLogo = ImageInfo & { bytes: Uint8Array; hash: string; url: string };

/** Where a logo is served: its hash in the URL, so the URL's content never changes (cached for a year). */
export function regulatorLogoUrl(id: string, hash: string): string {
  return `/regulators/${encodeURIComponent(id)}/logo/${hash}`;
}

function storedLogo(id: string, row: { logo: Uint8Array | null; logoHash: string | null }): RegulatorLogo | null {
  if (!row.logo || !row.logoHash) return null;
  const info = imageInfo(row.logo);
  if ("error" in info) return null; // checked at import; never expected
  return { ...info, bytes: row.logo, hash: row.logoHash, url: regulatorLogoUrl(id, row.logoHash) };
}

const logoCache = new Map<string, { sequence: number; logo: RegulatorLogo | null }>();

/** The logo of the regulator's current profile version, or null (no profile, or none in it). */
export async function getRegulatorLogo(id: string): Promise<RegulatorLogo | null> {
  const db = getDb();
  const latest = await db.regulatorVersion.findFirst({
    where: { regulatorId: id },
    orderBy: { sequence: "desc" },
    select: { sequence: true },
  });
  if (!latest) return null;
  const hit = logoCache.get(id);
  if (hit?.sequence === latest.sequence) return hit.logo;
  const row = await db.regulatorVersion.findUniqueOrThrow({
    where: { regulatorId_sequence: { regulatorId: id, sequence: latest.sequence } },
    select: { logo: true, logoHash: true },
  });
  const logo = storedLogo(id, row);
  logoCache.set(id, { sequence: latest.sequence, logo });
  return logo;
}

/**
 * A logo by its hash, from any version of the regulator's profile (a page or PDF made before a new
 * logo was imported still finds its image). Null when that regulator never had it.
 */
export async function findRegulatorLogo(id: string, hash: string): Promise<RegulatorLogo | null> {
  const row = await getDb().regulatorVersion.findFirst({
    where: { regulatorId: id, logoHash: hash },
    select: { logo: true, logoHash: true },
  });
  return row ? storedLogo(id, row) : null;
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
