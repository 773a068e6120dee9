// Published cases as the player needs them. Versions are immutable, so a parsed version (content,
// engine analysis, clause titles) is cached in memory for the life of the process.
import {
  analyzeCase,
  catalogItems,
  type CaseAnalysis,
  type CaseFile,
  type Catalog,
  type LocalizedText,
} from "~/engine";
import { isLocale } from "~/i18n";
import { getDb } from "~/utils/db.server";

export type ParsedVersion = {
  id: number;
  caseId: number;
  slug: string;
  version: number;
  regulator: string;
  caseFile: CaseFile;
  analysis: CaseAnalysis;
  /** "catalogId:code" → the clause's title, from the catalog versions the case was published with. */
  clauses: Map<string, LocalizedText>;
};

const cache = new Map<number, ParsedVersion>();

/** Every clause's title by standard item key ("catalog-id:code"), nested clauses included. */
export function clauseTitles(catalogs: Iterable<Catalog>): Map<string, LocalizedText> {
  const map = new Map<string, LocalizedText>();
  for (const catalog of catalogs) {
    for (const item of catalogItems(catalog)) map.set(`${catalog.id}:${item.code}`, item.title);
  }
  return map;
}

export async function getParsedVersion(versionId: number): Promise<ParsedVersion | null> {
  const cached = cache.get(versionId);
  if (cached) return cached;
  const row = await getDb().caseVersion.findUnique({
    where: { id: versionId },
    include: { case: true, catalogs: { include: { catalogVersion: true } } },
  });
  if (!row) return null;
  // Content was validated before it was published; parsing it again is only a type assertion.
  const caseFile = JSON.parse(row.content) as CaseFile;
  const clauses = clauseTitles(row.catalogs.map((link) => JSON.parse(link.catalogVersion.content) as Catalog));
  const parsed: ParsedVersion = {
    id: row.id,
    caseId: row.caseId,
    slug: row.case.slug,
    version: row.version,
    regulator: row.case.regulator,
    caseFile,
    analysis: analyzeCase(caseFile),
    clauses,
  };
  cache.set(versionId, parsed);
  return parsed;
}

/** The version learners get now: the newest published one whose publication time has come. */
export async function getCurrentVersion(slug: string, now = new Date()) {
  return getDb().caseVersion.findFirst({
    where: { case: { slug }, status: "published", publishedAt: { lte: now } },
    orderBy: { version: "desc" },
    include: { case: true },
  });
}

export type LearnerCaseStatus = "not_started" | "in_progress" | "passed" | "failed";

/**
 * A learner's status on a case from their attempts on it: passed once an attempt passed, else in
 * progress while one is open, else failed once one was completed.
 */
export function learnerCaseStatus(
  attempts: ReadonlyArray<{ status: string; passed: boolean | null }>,
): LearnerCaseStatus {
  if (attempts.some((a) => a.status === "completed" && a.passed)) return "passed";
  if (attempts.some((a) => a.status === "in_progress")) return "in_progress";
  if (attempts.some((a) => a.status === "completed")) return "failed";
  return "not_started";
}

/** The catalog: each case's current version, newest release first, with the learner's status. */
export async function listPublishedCases(userId: string | null, now = new Date()) {
  const db = getDb();
  const versions = await db.caseVersion.findMany({
    where: { status: "published", publishedAt: { lte: now } },
    orderBy: [{ caseId: "asc" }, { version: "desc" }],
    include: { case: { select: { slug: true } } },
  });
  const current = new Map<number, (typeof versions)[number]>();
  for (const v of versions) if (!current.has(v.caseId)) current.set(v.caseId, v);

  const attempts = userId
    ? await db.attempt.findMany({ where: { userId }, select: { caseId: true, status: true, passed: true } })
    : [];
  const statusOf = (caseId: number) => learnerCaseStatus(attempts.filter((a) => a.caseId === caseId));
  return [...current.values()]
    .sort((a, b) => b.release.localeCompare(a.release) || a.case.slug.localeCompare(b.case.slug))
    .map((v) => ({
      slug: v.case.slug,
      version: v.version,
      title: JSON.parse(v.title) as LocalizedText,
      summary: JSON.parse(v.summary) as LocalizedText,
      release: v.release,
      creditHours: v.creditHours,
      locales: v.locales.split(",").filter(isLocale),
      status: statusOf(v.caseId),
    }));
}
