// What every page needs of the regulators without a query per request: each one's name, colour,
// logo (its URL and size) and clock, for the header's branding and for showing dates on the right
// clock. Profiles change only by import, and an imported version never changes, so each brand is
// kept by "<id>@<sequence>" (memo-cache); which sequence is current is read again, in one small
// query for every regulator, at most once per BRAND_REVALIDATE_MS, so a new import shows within it.
import type { PageBrand } from "~/components/site-brand";
import { imageInfo, regulatorProfileSchema, type Locale } from "~/engine";
import { getDb } from "~/utils/db.server";
import { NO_REGULATOR_TIME_ZONE } from "~/utils/format";
import { createMemoCache } from "~/utils/memo-cache";
import type { Role } from "~/utils/roles";
import { inviterRegulator } from "./cohort-invitation.server";
import { regulatorDisplayName, regulatorLogoUrl } from "./regulator.server";

export type RegulatorBrand = {
  id: string;
  name: Record<Locale, string>;
  /** #rrggbb, readable on white (checked at import), or null. */
  colour: string | null;
  /** IANA zone: the regulator's clock, on which its dates are shown. */
  timeZone: string;
  logo: { url: string; width: number; height: number } | null;
};

/** How long the list of current profile versions is trusted before it is read again. */
export const BRAND_REVALIDATE_MS = 30_000;

const brands = createMemoCache<RegulatorBrand>({ maxEntries: 500 });
let current: { readAt: number; brands: Promise<Map<string, RegulatorBrand>> } | null = null;

async function loadBrand(id: string, sequence: number): Promise<RegulatorBrand> {
  const row = await getDb().regulatorVersion.findUniqueOrThrow({
    where: { regulatorId_sequence: { regulatorId: id, sequence } },
    select: { content: true, logo: true, logoHash: true },
  });
  const profile = regulatorProfileSchema.parse(JSON.parse(row.content));
  const info = row.logo ? imageInfo(row.logo) : null;
  return {
    id,
    name: { en: regulatorDisplayName(profile, id, "en"), fr: regulatorDisplayName(profile, id, "fr") },
    colour: profile.colour ?? null,
    timeZone: profile.timeZone,
    logo:
      info && !("error" in info) && row.logoHash
        ? { url: regulatorLogoUrl(id, row.logoHash), width: info.width, height: info.height }
        : null,
  };
}

async function loadAll(): Promise<Map<string, RegulatorBrand>> {
  const latest = await getDb().regulatorVersion.groupBy({ by: ["regulatorId"], _max: { sequence: true } });
  const entries = await Promise.all(
    latest.map(async ({ regulatorId, _max }) => {
      const sequence = _max.sequence ?? 0;
      const brand = await brands.get(`${regulatorId}@${sequence}`, () => loadBrand(regulatorId, sequence));
      return [regulatorId, brand] as const;
    }),
  );
  return new Map(entries);
}

/** Every regulator's brand by id: from memory, or (at most once per BRAND_REVALIDATE_MS) read again. */
export async function regulatorBrands(now = Date.now()): Promise<Map<string, RegulatorBrand>> {
  if (!current || now - current.readAt >= BRAND_REVALIDATE_MS) {
    const loading = loadAll();
    const entry = { readAt: now, brands: loading };
    current = entry;
    // A failed read is not kept: the next request tries again.
    loading.catch(() => {
      if (current === entry) current = null;
    });
  }
  return current.brands;
}

/** The regulator's brand, or null for "" (no regulator) and ids without a profile. */
export async function regulatorBrand(id: string | null | undefined): Promise<RegulatorBrand | null> {
  if (!id) return null;
  return (await regulatorBrands()).get(id) ?? null;
}

/**
 * The clock of each regulator, as a lookup for lists whose rows belong to different regulators
 * (a transcript, a studio list): the regulator's zone, or NO_REGULATOR_TIME_ZONE for "" and ids
 * without a profile.
 */
export async function regulatorClocks(): Promise<(id: string | null | undefined) => string> {
  const all = await regulatorBrands();
  return (id) => (id ? all.get(id)?.timeZone : undefined) ?? NO_REGULATOR_TIME_ZONE;
}

/** The one regulator's clock (see regulatorClocks). */
export async function regulatorTimeZone(id: string | null | undefined): Promise<string> {
  return (await regulatorClocks())(id);
}

/** Forgets what is kept, so the next request reads the profiles again (an import in this process; tests). */
export function forgetRegulatorBrands(): void {
  current = null;
}

/** What the header shows (components/site-brand.tsx): the brand in the page's language. */
export function pageBrand(brand: RegulatorBrand | null, locale: Locale): PageBrand | null {
  return brand ? { name: brand.name[locale], colour: brand.colour, logo: brand.logo } : null;
}

/** The regulator an educator teaches for, from their account row and grants (as inviterRegulator). */
function educatorRegulator(educator: { regulator: string; roles: { roleId: string; regulatorId: string }[] }) {
  const grants = educator.roles.map((r) => ({ role: r.roleId as Role, regulator: r.regulatorId }));
  return inviterRegulator({ regulator: educator.regulator, grants });
}

const educatorSelect = { id: true, regulator: true, roles: { select: { roleId: true, regulatorId: true } } } as const;

/**
 * A cohort's clock: its educator's regulator's (cohorts are not held per regulator, ADR 018; the
 * regulator is the one the educator teaches for, as for the cohort's invitations). Its due dates
 * are typed, cut and shown on this clock.
 */
export async function cohortTimeZone(cohort: { educatorId: string }): Promise<string> {
  const educator = await getDb().user.findUnique({ where: { id: cohort.educatorId }, select: educatorSelect });
  return educator ? regulatorTimeZone(educatorRegulator(educator)) : NO_REGULATOR_TIME_ZONE;
}

/** The clocks of several cohorts (a learner's home, their cohorts), by cohort id, in two queries. */
export async function cohortClocks(cohortIds: readonly string[]): Promise<(cohortId: string) => string> {
  const db = getDb();
  const cohorts = await db.cohort.findMany({
    where: { id: { in: [...cohortIds] } },
    select: { id: true, educatorId: true },
  });
  const educators = await db.user.findMany({
    where: { id: { in: cohorts.map((c) => c.educatorId) } },
    select: educatorSelect,
  });
  const clockOf = await regulatorClocks();
  const byEducator = new Map(educators.map((e) => [e.id, clockOf(educatorRegulator(e))]));
  const byCohort = new Map(cohorts.map((c) => [c.id, byEducator.get(c.educatorId) ?? NO_REGULATOR_TIME_ZONE]));
  return (cohortId) => byCohort.get(cohortId) ?? NO_REGULATOR_TIME_ZONE;
}
