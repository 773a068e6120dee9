// The regulator's QA report of continuing education: per CE cycle, every registrant with the hours
// that count, the cases passed and whether they meet the cycle's requirement, and the CE record of
// each completion behind it. Every query names the regulator in its own `where`: a report never
// reads another regulator's registrants. Rendering (CSV, XLSX, JSON) is ~/utils/qa-export.server.
import type { RegulatorProfile } from "~/engine";
import { localized, type Locale } from "~/i18n";
import { DEFAULT_CE, cycleContaining, cycleStartingOn, type CeCycle, type CeSettings } from "~/utils/ce-cycle";
import {
  certificateState,
  latestReissue,
  type CertificateStatus as CertificateStanding,
} from "~/utils/certificate-status";
import { getDb } from "~/utils/db.server";
import { calendarDayOf } from "~/utils/format";
import { logEvent } from "~/utils/log.server";
import { inScope, regulatorScope, type Grant } from "~/utils/roles";
import { recordAudit } from "./audit.server";
import { creditedHours } from "./completion.server";
import { getRegulator, listRegulators } from "./regulator.server";

/**
 * Which regulator's report a person may read: one they hold the registrar (or admin) role for.
 * Asking for another one is refused, never quietly answered with theirs. With no regulator asked
 * for, their own (`User.regulator`) when in scope, else the first of their scope.
 */
export function reportScope(
  user: { grants: readonly Grant[]; regulator: string },
  requested: string | null,
): { ok: true; value: { regulatorId: string; mayChoose: boolean } } | { ok: false; code: "forbidden" } {
  const scope = regulatorScope(user, "registrar");
  const mine = scope.all ? [] : [...scope.regulators].sort();
  if (!scope.all && mine.length === 0) return { ok: false, code: "forbidden" };
  const mayChoose = scope.all || mine.length > 1;
  if (requested) {
    return inScope(scope, requested)
      ? { ok: true, value: { regulatorId: requested, mayChoose } }
      : { ok: false, code: "forbidden" };
  }
  const regulatorId = inScope(scope, user.regulator) ? user.regulator : mine[0]!;
  return { ok: true, value: { regulatorId, mayChoose } };
}

export function ceSettings(profile: RegulatorProfile): CeSettings {
  return profile.ce ?? DEFAULT_CE;
}

/** The cycle starting on `start` (YYYY-MM-DD), or the one running at `now` when none is asked for. */
export function resolveCycle(
  profile: RegulatorProfile,
  start: string | null,
  now = new Date(),
): { ok: true; value: CeCycle } | { ok: false; code: "bad-cycle" } {
  if (!start) return { ok: true, value: cycleContaining(now, ceSettings(profile), profile.timeZone) };
  const cycle = cycleStartingOn(start, ceSettings(profile), profile.timeZone);
  return cycle ? { ok: true, value: cycle } : { ok: false, code: "bad-cycle" };
}

export type StatusFilter = "all" | "meets" | "short";
export type ReportFilters = { status: StatusFilter; q: string };

export type OpenedReport = { profile: RegulatorProfile; cycle: CeCycle; mayChoose: boolean };
export type OpenFailure = "forbidden" | "not-found" | "bad-cycle";

/**
 * The regulator and cycle a person asked for, once allowed: their scope (reportScope), the
 * regulator's profile and the cycle. An admin who names no regulator gets their own, or the first
 * one when theirs has no profile.
 */
export async function openReport(
  user: { grants: readonly Grant[]; regulator: string },
  requested: { regulator: string | null; cycle: string | null },
  now = new Date(),
): Promise<{ ok: true; value: OpenedReport } | { ok: false; code: OpenFailure }> {
  const scope = reportScope(user, requested.regulator);
  if (!scope.ok) return scope;
  let profile = await getRegulator(scope.value.regulatorId);
  if (!profile && scope.value.mayChoose && !requested.regulator) profile = (await listRegulators())[0] ?? null;
  if (!profile) return { ok: false, code: "not-found" };
  const cycle = resolveCycle(profile, requested.cycle, now);
  if (!cycle.ok) return cycle;
  return { ok: true, value: { profile, cycle: cycle.value, mayChoose: scope.value.mayChoose } };
}

export type RegistrantSummary = {
  userId: string;
  /** As issued on their latest record when the account is closed (its profile is anonymized). */
  learnerName: string;
  registrationNumber: string;
  /** Hours that count in the cycle: credited completions whose certificate stands. */
  hours: number;
  requiredHours: number;
  meets: boolean;
  /** Distinct cases passed in the cycle (practice replays included; a revoked pass is not). */
  casesPassed: number;
  completions: number;
};

/** The certificate's standing (app/utils/certificate-status.ts), or "none" for a practice replay. */
export type CertificateStatus = CertificateStanding | "none";

/** One completion as accrediting bodies ask for it (CCCEP's list; ACCME/ANCC keep them 6 years). */
export type CeRecord = {
  completionId: string;
  userId: string;
  learnerName: string;
  registrationNumber: string;
  provider: string;
  providerContact: string;
  activityTitle: string;
  activitySlug: string;
  activityVersion: number;
  learningFormat: "online self-study";
  creditCategory: string;
  /** Hours actually awarded: 0 for a practice replay or a revoked certificate. */
  creditHours: number;
  completedAt: Date;
  /** The calendar day of completion on the regulator's clock. */
  completionDate: string;
  timeZone: string;
  score: number;
  passed: boolean;
  attemptNumber: number;
  certificateId: string | null;
  certificateStatus: CertificateStatus;
};

export type QaReport = {
  regulator: { id: string; name: string; contact: string; timeZone: string };
  cycle: CeCycle;
  requiredHours: number;
  /** Every registrant before filtering, and how many of them meet the requirement. */
  total: number;
  meeting: number;
  /** After the filters. */
  registrants: RegistrantSummary[];
  /** The CE records of the filtered registrants' completions in the cycle, oldest first. */
  records: CeRecord[];
};

// Quarter hours summed in binary floating point drift (0.1 + 0.2); hours are kept to 2 decimals.
const round2 = (n: number) => Math.round(n * 100) / 100;

/** Lower-case, without accents: "Élise" is found by "elise". */
function folded(text: string): string {
  return text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
}

/**
 * The report of one regulator for one cycle. Two queries whatever the number of registrants (the
 * cycle's completions with their certificates, and the registrants) and one for the credit
 * categories of the case versions involved; the sums are made here with `creditedHours`, the same
 * rule the transcript uses.
 */
export async function qaReport(
  profile: RegulatorProfile,
  cycle: CeCycle,
  filters: ReportFilters,
  locale: Locale,
): Promise<QaReport> {
  const db = getDb();
  const regulatorId = profile.id;
  const [completions, users] = await Promise.all([
    db.completion.findMany({
      where: { regulator: regulatorId, completedAt: { gte: cycle.from, lt: cycle.until } },
      orderBy: [{ completedAt: "asc" }, { id: "asc" }],
      include: { certificate: { select: { id: true, revokedAt: true, reissues: latestReissue } } },
    }),
    // Registrants: the regulator's learners, and anyone holding a record with it (a closed
    // account's anonymized profile still has its records until the retention purge).
    db.user.findMany({
      where: {
        OR: [
          { regulator: regulatorId, closedAt: null, roles: { some: { roleId: "learner" } } },
          { completions: { some: { regulator: regulatorId } } },
        ],
      },
      select: {
        id: true,
        name: true,
        registrationNumber: true,
        closedAt: true,
        completions: {
          where: { regulator: regulatorId },
          orderBy: { completedAt: "desc" },
          take: 1,
          select: { learnerName: true, registrationNumber: true },
        },
      },
    }),
  ]);
  const versionIds = [...new Set(completions.map((c) => c.caseVersionId))];
  const categories = new Map(
    (
      await db.caseVersion.findMany({
        where: { id: { in: versionIds } },
        select: { id: true, creditCategory: true },
      })
    ).map((v) => [v.id, v.creditCategory]),
  );

  const requiredHours = ceSettings(profile).requiredHours;
  const provider = localized(profile.name, locale);
  const providerContact = profile.contact?.email ?? profile.contact?.url ?? "";
  const records: CeRecord[] = completions.map((c) => ({
    completionId: c.id,
    userId: c.userId,
    learnerName: c.learnerName,
    registrationNumber: c.registrationNumber,
    provider,
    providerContact,
    activityTitle: localized(JSON.parse(c.caseTitle) as Record<string, string>, locale),
    activitySlug: c.caseSlug,
    activityVersion: c.caseVersion,
    learningFormat: "online self-study",
    creditCategory: categories.get(c.caseVersionId) ?? "",
    creditHours: creditedHours(c),
    completedAt: c.completedAt,
    completionDate: calendarDayOf(c.completedAt, profile.timeZone),
    timeZone: profile.timeZone,
    score: c.score,
    passed: c.passed,
    attemptNumber: c.attemptNumber,
    certificateId: c.certificate?.id ?? null,
    certificateStatus: c.certificate ? certificateState(c.certificate).status : "none",
  }));

  const byUser = new Map<string, CeRecord[]>();
  for (const r of records) byUser.set(r.userId, [...(byUser.get(r.userId) ?? []), r]);
  const all: RegistrantSummary[] = users.map((u) => {
    const own = byUser.get(u.id) ?? [];
    const issued = u.closedAt ? u.completions[0] : undefined;
    const hours = round2(own.reduce((sum, r) => sum + r.creditHours, 0));
    return {
      userId: u.id,
      learnerName: issued?.learnerName ?? u.name,
      registrationNumber: issued?.registrationNumber ?? u.registrationNumber,
      hours,
      requiredHours,
      meets: hours >= requiredHours,
      casesPassed: new Set(own.filter((r) => r.certificateStatus !== "revoked").map((r) => r.activitySlug)).size,
      completions: own.length,
    };
  });
  all.sort(
    (a, b) =>
      a.learnerName.localeCompare(b.learnerName, locale) || a.registrationNumber.localeCompare(b.registrationNumber),
  );

  const q = folded(filters.q.trim());
  const registrants = all.filter(
    (r) =>
      (filters.status === "all" || (filters.status === "meets") === r.meets) &&
      (q === "" || folded(r.learnerName).includes(q) || folded(r.registrationNumber).includes(q)),
  );
  const shown = new Set(registrants.map((r) => r.userId));
  return {
    regulator: { id: regulatorId, name: provider, contact: providerContact, timeZone: profile.timeZone },
    cycle,
    requiredHours,
    total: all.length,
    meeting: all.filter((r) => r.meets).length,
    registrants,
    records: records.filter((r) => shown.has(r.userId)),
  };
}

export type ExportKind = "registrants" | "completions";
export type ExportFormat = "csv" | "xlsx" | "json";

/**
 * A download or CLI export goes to the audit log under the regulator (`regulator:<id>`): who (the
 * staff member, or the operating-system account for the CLI), which cycle, what and how many rows.
 */
export async function recordExport(entry: {
  actorId: string | null;
  regulatorId: string;
  cycle: CeCycle;
  kind: ExportKind;
  format: ExportFormat;
  rows: number;
  filters: ReportFilters;
  via: "web" | "cli";
  osUser?: string;
}): Promise<void> {
  const detail = {
    regulator: entry.regulatorId,
    cycleStart: entry.cycle.start,
    cycleEnd: entry.cycle.end,
    kind: entry.kind,
    format: entry.format,
    rows: entry.rows,
    status: entry.filters.status,
    search: entry.filters.q !== "",
    via: entry.via,
    ...(entry.osUser ? { osUser: entry.osUser } : {}),
  };
  await recordAudit({
    subject: `regulator:${entry.regulatorId}`,
    actorId: entry.actorId,
    action: "records_exported",
    detail,
  });
  logEvent("records.exported", { actorId: entry.actorId, ...detail });
}
