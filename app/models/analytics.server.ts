// Analytics for authors and admins: per case version, how many learners started, completed and
// passed; how they chose at each decision against the expert; what each standard item earned on
// average against its best. Aggregates only: nothing here returns a learner's name, email,
// registration number or reflection, so neither the page nor the CSV can show one.
//
// Counting is done in SQL (one GROUP BY per figure, filtered by version, start date and cohort),
// and so is each completed attempt's time on task; per-standard means come from scoring each
// completed attempt's stored path with the engine's scorePath (each distinct path once, weighted
// by how many attempts took it; the parsed version and its analysis are cached by getParsedVersion).
// About 0.5 s for 10k attempts of a 9-step case on a development machine.
//
// Small groups: when fewer than SMALL_GROUP_MIN_LEARNERS learners match the filters, the figures
// are still shown but flagged, so a reader knows a "group" may be one identifiable person.
import { z } from "zod";
import { aggregateStandards, choiceDistribution, median, type ChoiceCount, type PathCount } from "~/engine/analytics";
import type { LocalizedText } from "~/engine";
import { Prisma } from "~/generated/prisma/client";
import { getI18n, localized, type Locale } from "~/i18n";
import { toCsv, type CsvCell } from "~/utils/csv.server";
import { getDb } from "~/utils/db.server";
import { formatCount, formatDate, formatDecimal, formatDuration, formatMonth, formatPercent } from "~/utils/format";
import { MAX_STEP_GAP_SECONDS } from "./attempt.server";
import { getParsedVersion } from "./case.server";
import { versionStatus } from "./studio.server";

/** Below this many distinct learners a filtered group is flagged as small (see the page's notice). */
export const SMALL_GROUP_MIN_LEARNERS = 5;

export type AnalyticsFilter = {
  /** Attempts started on or after this instant. */
  from?: Date;
  /** Attempts started on or before this instant. */
  to?: Date;
  /** Attempts by members of this cohort. */
  cohortId?: string;
};

// ---------------------------------------------------------------------------------------------
// Filters from the query string

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v));

export type FilterInputs = { from: string; to: string; cohort: string };

export type ParsedFilter =
  | { ok: true; filter: AnalyticsFilter; inputs: FilterInputs }
  | { ok: false; inputs: FilterInputs; error: "invalidDates" | "unknownCohort" };

/**
 * ?from=YYYY-MM-DD&to=YYYY-MM-DD&cohort=<id>, each optional. Days are whole days in UTC, as on the
 * transcript. `cohortIds` are the cohorts that exist (an unknown id is an error, not "everyone").
 */
export function parseAnalyticsFilter(params: URLSearchParams, cohortIds: ReadonlySet<string>): ParsedFilter {
  const inputs: FilterInputs = {
    from: (params.get("from") ?? "").trim(),
    to: (params.get("to") ?? "").trim(),
    cohort: (params.get("cohort") ?? "").trim(),
  };
  const filter: AnalyticsFilter = {};
  if (inputs.from) {
    if (!day.safeParse(inputs.from).success) return { ok: false, inputs, error: "invalidDates" };
    filter.from = new Date(`${inputs.from}T00:00:00.000Z`);
  }
  if (inputs.to) {
    if (!day.safeParse(inputs.to).success) return { ok: false, inputs, error: "invalidDates" };
    filter.to = new Date(`${inputs.to}T23:59:59.999Z`);
  }
  if (filter.from && filter.to && filter.from > filter.to) return { ok: false, inputs, error: "invalidDates" };
  if (inputs.cohort) {
    if (!cohortIds.has(inputs.cohort)) return { ok: false, inputs, error: "unknownCohort" };
    filter.cohortId = inputs.cohort;
  }
  return { ok: true, filter, inputs };
}

// ---------------------------------------------------------------------------------------------
// Queries

/** Every case version (published, scheduled or retired: authors see them all) with its funnel counts. */
export async function listVersionsForAnalytics() {
  const db = getDb();
  const [versions, counts] = await Promise.all([
    db.caseVersion.findMany({
      select: {
        id: true,
        version: true,
        title: true,
        status: true,
        publishedAt: true,
        release: true,
        case: { select: { slug: true } },
      },
      orderBy: [{ case: { slug: "asc" } }, { version: "desc" }],
    }),
    db.attempt.groupBy({ by: ["caseVersionId", "status", "passed"], _count: { _all: true } }),
  ]);
  const totals = new Map<number, { started: number; completed: number; passed: number }>();
  for (const row of counts) {
    const t = totals.get(row.caseVersionId) ?? { started: 0, completed: 0, passed: 0 };
    t.started += row._count._all;
    if (row.status === "completed") t.completed += row._count._all;
    if (row.passed) t.passed += row._count._all;
    totals.set(row.caseVersionId, t);
  }
  return versions.map((v) => ({
    id: v.id,
    slug: v.case.slug,
    version: v.version,
    title: JSON.parse(v.title) as LocalizedText,
    status: v.status,
    publishedAt: v.publishedAt,
    release: v.release,
    ...(totals.get(v.id) ?? { started: 0, completed: 0, passed: 0 }),
  }));
}

export async function findVersionForAnalytics(slug: string, version: number) {
  return getDb().caseVersion.findFirst({
    where: { case: { slug }, version },
    select: { id: true, version: true, status: true, publishedAt: true, release: true },
  });
}

/** Cohorts to filter by: all of them, for authors and admins, with their size. */
export async function listCohortOptions() {
  const cohorts = await getDb().cohort.findMany({
    select: { id: true, name: true, _count: { select: { members: true } } },
    orderBy: [{ name: "asc" }, { id: "asc" }],
  });
  return cohorts.map((c) => ({ id: c.id, name: c.name, members: c._count.members }));
}

/** The WHERE clause on `Attempt a` for a version and filter; every value is a bound parameter. */
function attemptConditions(versionId: number, filter: AnalyticsFilter): Prisma.Sql {
  const parts: Prisma.Sql[] = [Prisma.sql`a."caseVersionId" = ${versionId}`];
  if (filter.from) parts.push(Prisma.sql`a."startedAt" >= ${filter.from}`);
  if (filter.to) parts.push(Prisma.sql`a."startedAt" <= ${filter.to}`);
  if (filter.cohortId) {
    parts.push(
      Prisma.sql`a."userId" IN (SELECT m."userId" FROM "CohortMember" m WHERE m."cohortId" = ${filter.cohortId})`,
    );
  }
  return Prisma.join(parts, " AND ");
}

const toNumber = (value: unknown): number => (value === null || value === undefined ? 0 : Number(value));

export type Funnel = {
  started: number;
  completed: number;
  passed: number;
  /** Distinct learners with at least one attempt in the group. */
  learners: number;
  /** Mean score (0..1) of completed attempts; null when none. */
  meanScore: number | null;
  /** Median active time of completed attempts, from their steps (as on completion records). */
  medianSeconds: number | null;
};

export type VersionAnalytics = {
  versionId: number;
  funnel: Funnel;
  small: boolean;
  decisions: ReturnType<typeof choiceDistribution>;
  standards: ReturnType<typeof aggregateStandards>;
  /** The same over each learner's first completed attempt: learners who replay count once. */
  firstAttempts: ReturnType<typeof aggregateStandards>;
};

/** The aggregates for one case version and filter; null when the version does not exist. */
export async function versionAnalytics(
  versionId: number,
  filter: AnalyticsFilter = {},
): Promise<VersionAnalytics | null> {
  const parsed = await getParsedVersion(versionId);
  if (!parsed) return null;
  const db = getDb();
  const where = attemptConditions(versionId, filter);

  const [funnelRows, choiceRows, pathRows, timeRows] = await Promise.all([
    db.$queryRaw<Array<Record<string, unknown>>>`
      SELECT COUNT(*) AS started,
             SUM(CASE WHEN a."status" = 'completed' THEN 1 ELSE 0 END) AS completed,
             SUM(CASE WHEN a."passed" = 1 THEN 1 ELSE 0 END) AS passed,
             COUNT(DISTINCT a."userId") AS learners,
             AVG(CASE WHEN a."status" = 'completed' THEN a."score" END) AS meanScore
      FROM "Attempt" a
      WHERE ${where}`,
    // Every recorded choice, in progress or completed: where learners go is what matters here.
    db.$queryRaw<Array<{ nodeId: string; choiceId: string; n: unknown }>>`
      SELECT s."nodeId" AS nodeId, s."choiceId" AS choiceId, COUNT(*) AS n
      FROM "AttemptStep" s JOIN "Attempt" a ON a."id" = s."attemptId"
      WHERE ${where} AND s."choiceId" IS NOT NULL
      GROUP BY s."nodeId", s."choiceId"`,
    // Completed attempts grouped by the path they took ("q1:decline,q2:explain") and by whether
    // the attempt is its learner's first completed one (within the filter): a case has few paths
    // people actually take, so each distinct one is scored once. Ids cannot hold ":" or ",".
    db.$queryRaw<Array<{ path: string | null; first: unknown; n: unknown }>>`
      SELECT path, first, COUNT(*) AS n FROM (
        SELECT group_concat(CASE WHEN s."choiceId" IS NOT NULL THEN s."nodeId" || ':' || s."choiceId" END, ',' ORDER BY s."seq") AS path,
               f.rn = 1 AS first
        FROM "AttemptStep" s JOIN (
          SELECT a."id" AS id, ROW_NUMBER() OVER (PARTITION BY a."userId" ORDER BY a."number") AS rn
          FROM "Attempt" a
          WHERE ${where} AND a."status" = 'completed'
        ) f ON f.id = s."attemptId"
        GROUP BY s."attemptId"
      ) GROUP BY path, first`,
    // Time on task per completed attempt: timeOnTaskSeconds's measure (the gaps from the start to
    // each step, each capped at MAX_STEP_GAP_SECONDS), summed in SQL in whole milliseconds so that
    // 10k attempts do not ship every step to JavaScript. julianday's error (~50 µs) is far below
    // the millisecond the ROUND keeps.
    db.$queryRaw<Array<{ ms: unknown }>>`
      SELECT SUM(MIN(${MAX_STEP_GAP_SECONDS * 1000}, MAX(0, t - COALESCE(prev, st)))) AS ms FROM (
        SELECT s."attemptId" AS attemptId,
               CAST(ROUND((julianday(s."createdAt") - 2440587.5) * 86400000) AS INTEGER) AS t,
               LAG(CAST(ROUND((julianday(s."createdAt") - 2440587.5) * 86400000) AS INTEGER))
                 OVER (PARTITION BY s."attemptId" ORDER BY s."seq") AS prev,
               CAST(ROUND((julianday(a."startedAt") - 2440587.5) * 86400000) AS INTEGER) AS st
        FROM "AttemptStep" s JOIN "Attempt" a ON a."id" = s."attemptId"
        WHERE ${where} AND a."status" = 'completed'
      ) GROUP BY attemptId`,
  ]);

  const counts: ChoiceCount[] = choiceRows.map((r) => ({
    nodeId: r.nodeId,
    choiceId: r.choiceId,
    count: toNumber(r.n),
  }));
  // Per distinct path: every completed attempt, and learners' first ones.
  const all = new Map<string, number>();
  const first = new Map<string, number>();
  for (const r of pathRows) {
    const path = r.path ?? "";
    all.set(path, (all.get(path) ?? 0) + toNumber(r.n));
    if (toNumber(r.first) === 1) first.set(path, (first.get(path) ?? 0) + toNumber(r.n));
  }
  const toPaths = (counts: Map<string, number>): PathCount[] =>
    [...counts].map(([path, count]) => ({
      choices: path
        .split(",")
        .filter(Boolean)
        .map((pair) => {
          const [nodeId = "", choiceId = ""] = pair.split(":");
          return { nodeId, choiceId };
        }),
      count,
    }));

  const seconds = timeRows.map((r) => Math.round(toNumber(r.ms) / 1000));

  const f = funnelRows[0] ?? {};
  const learners = toNumber(f.learners);
  const meanScore = f.meanScore === null || f.meanScore === undefined ? null : Number(f.meanScore);
  return {
    versionId,
    funnel: {
      started: toNumber(f.started),
      completed: toNumber(f.completed),
      passed: toNumber(f.passed),
      learners,
      meanScore,
      medianSeconds: median(seconds),
    },
    small: learners > 0 && learners < SMALL_GROUP_MIN_LEARNERS,
    decisions: choiceDistribution(parsed.caseFile, parsed.analysis, counts),
    standards: aggregateStandards(parsed.caseFile, parsed.analysis, toPaths(all)),
    firstAttempts: aggregateStandards(parsed.caseFile, parsed.analysis, toPaths(first)),
  };
}

// ---------------------------------------------------------------------------------------------
// Views (one language) and the CSV

type VersionRow = NonNullable<Awaited<ReturnType<typeof findVersionForAnalytics>>>;

/** What the page shows, in one language. Clause titles come from the catalogs the version was published with. */
export async function analyticsView(report: VersionAnalytics, version: VersionRow, locale: Locale) {
  const parsed = (await getParsedVersion(report.versionId))!;
  const { caseFile, clauses } = parsed;
  const f = report.funnel;
  const share = (n: number, of: number) => (of > 0 ? n / of : 0);
  return {
    slug: parsed.slug,
    version: parsed.version,
    caseTitle: localized(caseFile.title, locale),
    status: versionStatus(version),
    release: formatMonth(version.release, locale),
    publishedOn: version.publishedAt ? formatDate(version.publishedAt, locale) : null,
    small: report.small,
    smallThreshold: SMALL_GROUP_MIN_LEARNERS,
    funnel: {
      learners: f.learners,
      learnersText: formatCount(f.learners, locale),
      stages: (["started", "completed", "passed"] as const).map((stage) => ({
        stage,
        count: f[stage],
        countText: formatCount(f[stage], locale),
        fraction: share(f[stage], f.started),
        shareText: formatPercent(share(f[stage], f.started), locale),
      })),
      meanScore: f.meanScore === null ? null : formatPercent(f.meanScore, locale),
      medianSeconds: f.medianSeconds,
      medianTime: f.medianSeconds === null ? null : formatDuration(f.medianSeconds, locale),
    },
    decisions: report.decisions.map((d, index) => {
      const node = caseFile.nodes[d.nodeId];
      const decision = node?.kind === "decision" ? node : null;
      const expert = d.choices.find((c) => c.recommended);
      return {
        nodeId: d.nodeId,
        number: index + 1,
        title: decision?.title ? localized(decision.title, locale) : null,
        prompt: decision ? localized(decision.prompt, locale) : d.nodeId,
        responses: d.responses,
        responsesText: formatCount(d.responses, locale),
        onExpertPath: d.recommended?.onExpertPath ?? false,
        expertShareText: expert && d.responses > 0 ? formatPercent(expert.share, locale) : null,
        choices: d.choices.map((c) => {
          const choice = decision?.choices.find((x) => x.id === c.choiceId);
          return {
            choiceId: c.choiceId,
            label: choice ? localized(choice.label, locale) : c.choiceId,
            count: c.count,
            countText: formatCount(c.count, locale),
            share: c.share,
            shareText: formatPercent(c.share, locale),
            expert: c.recommended,
            critical: c.critical,
          };
        }),
      };
    }),
    standards: {
      scored: report.standards.scored,
      scoredText: formatCount(report.standards.scored, locale),
      learnersScored: report.firstAttempts.scored,
      rows: report.standards.standards.map((s) => {
        const first = report.firstAttempts.standards.find((f) => f.item === s.item);
        const firstMean = first?.mean ?? null;
        const firstRatio = first?.ratio ?? null;
        return {
          item: s.item,
          code: s.item.split(":")[1] ?? s.item,
          title: localized(clauses.get(s.item), locale) || s.item,
          mean: s.mean,
          meanText: s.mean === null ? "—" : formatDecimal(s.mean, locale),
          best: s.best,
          bestText: formatDecimal(s.best, locale),
          ratio: s.ratio,
          ratioText: s.ratio === null ? "—" : formatPercent(s.ratio, locale),
          firstMean,
          firstMeanText: firstMean === null ? "—" : formatDecimal(firstMean, locale),
          firstRatio,
          firstRatioText: firstRatio === null ? "—" : formatPercent(firstRatio, locale),
        };
      }),
    },
  };
}

export type AnalyticsView = Awaited<ReturnType<typeof analyticsView>>;

/**
 * The aggregates as CSV, one row per figure: machine-readable numbers (dot decimals, shares as
 * fractions) with the filter that produced them on the first rows. No learner appears in it.
 */
export function analyticsCsv(
  view: AnalyticsView,
  inputs: FilterInputs,
  cohortName: string | null,
  locale: Locale,
): string {
  const t = getI18n(locale).t;
  const header = ["section", "id", "label", "expert", "critical", "count", "share", "mean_earned", "best", "ratio"];
  const rows: CsvCell[][] = [];
  const meta = (id: string, label: string | number | null) =>
    rows.push(["filter", id, label === null ? "" : String(label), null, null, null, null, null, null, null]);
  meta("case", view.slug);
  meta("version", view.version);
  meta("from", inputs.from || null);
  meta("to", inputs.to || null);
  meta("cohort", cohortName);
  meta("small_group", view.small ? `true (< ${view.smallThreshold} learners)` : "false");
  const funnel = (id: string, label: string, count: number | null, shareValue: number | null = null) =>
    rows.push(["funnel", id, label, null, null, count, shareValue, null, null, null]);
  funnel("learners", t("analytics.funnel.learners"), view.funnel.learners);
  for (const s of view.funnel.stages) funnel(s.stage, t(`analytics.funnel.${s.stage}`), s.count, s.fraction);
  funnel("median_time_on_task_seconds", t("analytics.funnel.medianTime"), view.funnel.medianSeconds);
  for (const d of view.decisions) {
    for (const c of d.choices) {
      rows.push([
        "choice",
        `${d.nodeId}/${c.choiceId}`,
        `${d.title ?? d.prompt} — ${c.label}`,
        c.expert,
        c.critical,
        c.count,
        c.share,
        null,
        null,
        null,
      ]);
    }
  }
  // Per attempt, then over each learner's first completed attempt (count = learners).
  const standardSections = [
    ["standard", view.standards.scored, "mean", "ratio"],
    ["standard_first_attempt", view.standards.learnersScored, "firstMean", "firstRatio"],
  ] as const;
  for (const [section, count, mean, ratio] of standardSections) {
    for (const s of view.standards.rows) {
      rows.push([section, s.item, `${s.code} — ${s.title}`, null, null, count, null, s[mean], s.best, s[ratio]]);
    }
  }
  return toCsv(header, rows);
}

// ---------------------------------------------------------------------------------------------
// One request: /analytics/:slug/:version[.csv]?from&to&cohort

const VERSION_PARAM = /^[1-9]\d{0,8}$/;

export type VersionRequest =
  | { found: false }
  | {
      found: true;
      version: VersionRow;
      cohorts: Awaited<ReturnType<typeof listCohortOptions>>;
      filter: ParsedFilter;
      /** Null when the filter is invalid: nothing is computed for a query we could not read. */
      report: VersionAnalytics | null;
    };

export async function loadVersionRequest(
  slug: string | undefined,
  versionParam: string | undefined,
  query: URLSearchParams,
): Promise<VersionRequest> {
  if (!slug || !versionParam || !VERSION_PARAM.test(versionParam)) return { found: false };
  const version = await findVersionForAnalytics(slug, Number(versionParam));
  if (!version) return { found: false };
  const cohorts = await listCohortOptions();
  const filter = parseAnalyticsFilter(query, new Set(cohorts.map((c) => c.id)));
  const report = filter.ok ? await versionAnalytics(version.id, filter.filter) : null;
  return { found: true, version, cohorts, filter, report };
}
