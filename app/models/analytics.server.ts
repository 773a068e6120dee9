// Analytics for authors and admins: per case version, how many learners started, completed and
// passed; how they chose at each decision against the expert; what each standard item earned on
// average against its best. Aggregates only: nothing here returns a learner's name, email,
// registration number or reflection, so neither the page nor the CSV can show one.
//
// A version's figures without a filter come from the tally kept as attempts advance (ADR 026,
// analytics-tally.server.ts): a few rows per version, whatever the number of attempts. A filtered
// view (date range, cohort) is counted in SQL from the matching attempts (one GROUP BY per figure),
// and so is each completed attempt's time on task; per-standard means come from scoring each
// completed attempt's stored path with the engine's scorePath (each distinct path once, weighted
// by how many attempts took it; the parsed version and its analysis are cached by getParsedVersion).
// About 0.5 s for 10k attempts of a 9-step case on a development machine.
//
// Small groups: no figure describes fewer than SMALL_GROUP_MIN_LEARNERS distinct learners, whatever
// the filter. A group under it (a one-member cohort, a narrow date range, a version few have
// played) shows no figure at all; inside a large enough group, a funnel stage or a choice taken by
// 1-4 learners is withheld with a second cell beside it (else the total minus the others gives it
// back), and so is a mean that carries such a choice's points (else mean × attempts gives it back).
// versionAnalytics applies this before returning, so no page or file can show a raw small figure.
// What it cannot stop: two filters whose groups differ by one learner (a cohort with and without a
// date range) each pass the threshold, and their difference describes that learner. Filters are
// limited to staff (authors, admins) for that reason.
import { z } from "zod";
import type { LocalizedText } from "~/engine";
import {
  aggregateStandards,
  choiceDistribution,
  choiceLearnersKey,
  hiddenCells,
  meansTouchedBySmallChoices,
  median,
  protectDistribution,
  protectFunnel,
  SUPPRESSED,
  type ChoiceCount,
  type Figure,
  type PathCount,
  type ProtectedDecision,
  type ProtectedFunnel,
  type StandardsAggregate,
} from "~/engine/analytics";
import { medianOfCounts } from "~/engine/analytics-tally";
import { Prisma } from "~/generated/prisma/client";
import { getI18n, localized, type Locale } from "~/i18n";
import { toCsv, type CsvCell } from "~/utils/csv.server";
import { getDb } from "~/utils/db.server";
import { databaseEngine, getEnv } from "~/utils/env.server";
import { formatCount, formatDate, formatDecimal, formatDuration, formatMonth, formatPercent } from "~/utils/format";
import { scopeFilter, type RegulatorScope } from "~/utils/roles";
import { catchUpAnalytics, readFunnels, readTally } from "./analytics-tally.server";
import { MAX_STEP_GAP_SECONDS } from "./attempt.server";
import { getParsedVersion } from "./case.server";
import { regulatorTimeZone } from "./regulator-brand.server";
import { versionStatus } from "./studio.server";

/** No figure is shown that describes fewer than this many distinct learners. */
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

const toNumber = (value: unknown): number => (value === null || value === undefined ? 0 : Number(value));

// The statements below are written for both engines (ADR 017): quoted aliases (PostgreSQL folds
// unquoted ones to lower case), TRUE/FALSE for booleans (SQLite stores 1/0 and reads TRUE as 1),
// and the few functions that differ taken from `dialect()`.

/** Attempts and the distinct learners behind each part of the funnel (see protectFunnel), per row. */
const FUNNEL_COLUMNS = Prisma.sql`
  COUNT(*) AS "started",
  SUM(CASE WHEN a."status" = 'completed' THEN 1 ELSE 0 END) AS "completed",
  SUM(CASE WHEN a."passed" = TRUE THEN 1 ELSE 0 END) AS "passed",
  COUNT(DISTINCT a."userId") AS "learners",
  COUNT(DISTINCT CASE WHEN a."status" <> 'completed' THEN a."userId" END) AS "inProgressLearners",
  COUNT(DISTINCT CASE WHEN a."status" = 'completed' AND COALESCE(a."passed", FALSE) = FALSE THEN a."userId" END) AS "failedLearners",
  COUNT(DISTINCT CASE WHEN a."passed" = TRUE THEN a."userId" END) AS "passedLearners",
  COUNT(DISTINCT CASE WHEN a."status" = 'completed' THEN a."userId" END) AS "completedLearners"`;

/** What SQLite and PostgreSQL spell differently in these statements. */
function dialect() {
  if (databaseEngine(getEnv().DATABASE_URL) === "postgresql") {
    return {
      /** The attempt's choices in step order, "node:choice,…". */
      pathOf: Prisma.sql`string_agg(CASE WHEN s."choiceId" IS NOT NULL THEN s."nodeId" || ':' || s."choiceId" END, ',' ORDER BY s."seq")`,
      /** A DATETIME column in epoch milliseconds. */
      epochMs: (column: string) => Prisma.raw(`CAST(ROUND(EXTRACT(EPOCH FROM ${column}) * 1000) AS BIGINT)`),
      least: Prisma.raw("LEAST"),
      greatest: Prisma.raw("GREATEST"),
    };
  }
  return {
    pathOf: Prisma.sql`group_concat(CASE WHEN s."choiceId" IS NOT NULL THEN s."nodeId" || ':' || s."choiceId" END, ',' ORDER BY s."seq")`,
    // julianday's error (~50 µs) is far below the millisecond the ROUND keeps.
    epochMs: (column: string) => Prisma.raw(`CAST(ROUND((julianday(${column}) - 2440587.5) * 86400000) AS INTEGER)`),
    least: Prisma.raw("MIN"),
    greatest: Prisma.raw("MAX"),
  };
}

function funnelCounts(row: Record<string, unknown> | undefined) {
  const r = row ?? {};
  return {
    started: toNumber(r.started),
    completed: toNumber(r.completed),
    passed: toNumber(r.passed),
    learners: toNumber(r.learners),
    inProgressLearners: toNumber(r.inProgressLearners),
    failedLearners: toNumber(r.failedLearners),
    passedLearners: toNumber(r.passedLearners),
    completedLearners: toNumber(r.completedLearners),
  };
}

/**
 * Every case version (published, scheduled or retired: authors see them all) with its funnel
 * counts, withheld for a version fewer than SMALL_GROUP_MIN_LEARNERS learners have played.
 */
export async function listVersionsForAnalytics(scope: RegulatorScope) {
  const db = getDb();
  const [versions, rows] = await Promise.all([
    db.caseVersion.findMany({
      where: { case: { regulator: scopeFilter(scope) } },
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
    catchUpAnalytics().then(() => readFunnels()),
  ]);
  const totals = new Map(rows.map((r) => [r.caseVersionId, funnelCounts(r)]));
  return versions.map((v) => ({
    id: v.id,
    slug: v.case.slug,
    version: v.version,
    title: JSON.parse(v.title) as LocalizedText,
    status: v.status,
    publishedAt: v.publishedAt,
    release: v.release,
    ...protectFunnel(totals.get(v.id) ?? funnelCounts(undefined), SMALL_GROUP_MIN_LEARNERS),
  }));
}

export async function findVersionForAnalytics(slug: string, version: number, scope: RegulatorScope) {
  return getDb().caseVersion.findFirst({
    where: { case: { slug, regulator: scopeFilter(scope) }, version },
    select: { id: true, version: true, status: true, publishedAt: true, release: true },
  });
}

/**
 * Cohorts to filter by, with their size: those run by educators (or admins) of the regulators in
 * scope, so no cohort of another regulator is even named.
 */
export async function listCohortOptions(scope: RegulatorScope) {
  const db = getDb();
  const educators = scope.all
    ? undefined
    : (
        await db.userRole.findMany({
          where: { roleId: { in: ["educator", "admin"] }, regulatorId: scopeFilter(scope) },
          select: { userId: true },
        })
      ).map((r) => r.userId);
  const cohorts = await db.cohort.findMany({
    where: educators ? { educatorId: { in: educators } } : {},
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
    // The cohort's members' attempts since they joined it, as their educator sees them (ADR 018):
    // a member's earlier attempts are theirs, not the cohort's.
    parts.push(
      Prisma.sql`EXISTS (SELECT 1 FROM "CohortMember" m WHERE m."cohortId" = ${filter.cohortId} AND m."userId" = a."userId" AND a."startedAt" >= m."addedAt")`,
    );
  }
  return Prisma.join(parts, " AND ");
}

/** Figures are SUPPRESSED where they would describe fewer than SMALL_GROUP_MIN_LEARNERS learners. */
export type Funnel = ProtectedFunnel & {
  /** Mean score (0..1) of completed attempts; null when none. */
  meanScore: Figure | null;
  /** Median active time of completed attempts, from their steps (as on completion records). */
  medianSeconds: Figure | null;
};

export type ProtectedStandards = {
  /** Attempts (or, for first attempts, learners) the means are over. */
  scored: Figure;
  standards: Array<{ item: string; best: number; worst: number; mean: Figure | null; ratio: Figure | null }>;
};

export type VersionAnalytics = {
  versionId: number;
  /** Fewer than SMALL_GROUP_MIN_LEARNERS learners match the filter: no figure at all below. */
  suppressed: boolean;
  funnel: Funnel;
  decisions: ProtectedDecision[];
  standards: ProtectedStandards;
  /** The same over each learner's first completed attempt: learners who replay count once. */
  firstAttempts: ProtectedStandards;
};

/**
 * The standards means as they may be shown: withheld when fewer than the threshold's learners
 * completed, or (per item) when a choice of 1-4 of those learners earned points in it.
 */
function protectStandards(
  aggregate: StandardsAggregate,
  scored: Figure,
  learners: number,
  touched: ReadonlySet<string>,
  min: number,
): ProtectedStandards {
  const withheld = (item: string) => learners > 0 && (learners < min || touched.has(item));
  return {
    scored,
    standards: aggregate.standards.map((s) => ({
      item: s.item,
      best: s.best,
      worst: s.worst,
      mean: withheld(s.item) ? SUPPRESSED : s.mean,
      ratio: withheld(s.item) ? SUPPRESSED : s.ratio,
    })),
  };
}

/** The rows the figures are made of. */
type FigureRows = {
  funnelRow: Record<string, unknown> | undefined;
  choiceRows: Array<{ nodeId: string; choiceId: string; n: unknown; learners: unknown; completedLearners: unknown }>;
  nodeRows: Array<{ nodeId: string; learners: unknown }>;
  pathRows: Array<{ path: string | null; first: unknown; n: unknown }>;
  medianSeconds: number | null;
};

/**
 * A version's unfiltered figures from the tally kept as attempts advance (ADR 026): a few rows per
 * version, whatever the number of attempts, after counting what is not counted yet.
 */
async function tallyRows(versionId: number): Promise<FigureRows> {
  await catchUpAnalytics();
  const tally = await readTally(versionId);
  const f = tally.funnel;
  return {
    funnelRow: f ? { ...f, meanScore: f.scored > 0 ? f.scoreSum / f.scored : null } : undefined,
    choiceRows: tally.choices.map((c) => ({ ...c, n: c.taken })),
    nodeRows: tally.nodes,
    pathRows: tally.paths.flatMap((p) => [
      { path: p.path, first: 1, n: p.firstAttempts },
      { path: p.path, first: 0, n: p.attempts - p.firstAttempts },
    ]),
    medianSeconds: medianOfCounts(tally.durations.map((d) => [d.seconds, d.attempts] as const)),
  };
}

/**
 * A filtered view's figures, counted from the attempt rows that match: the date range is read through
 * the (version, start) index, a cohort through its members, so the cost is that of the matching rows.
 */
async function scanRows(versionId: number, filter: AnalyticsFilter): Promise<FigureRows> {
  const db = getDb();
  const where = attemptConditions(versionId, filter);
  const sql = dialect();

  const [funnelRows, choiceRows, nodeRows, pathRows, timeRows] = await Promise.all([
    db.$queryRaw<Array<Record<string, unknown>>>`
      SELECT ${FUNNEL_COLUMNS}, AVG(CASE WHEN a."status" = 'completed' THEN a."score" END) AS "meanScore"
      FROM "Attempt" a
      WHERE ${where}`,
    // Every recorded choice, in progress or completed: where learners go is what matters here.
    // With the learners who took it, over all attempts and over completed ones (for the means).
    db.$queryRaw<
      Array<{ nodeId: string; choiceId: string; n: unknown; learners: unknown; completedLearners: unknown }>
    >`
      SELECT s."nodeId" AS "nodeId", s."choiceId" AS "choiceId", COUNT(*) AS "n", COUNT(DISTINCT a."userId") AS "learners",
             COUNT(DISTINCT CASE WHEN a."status" = 'completed' THEN a."userId" END) AS "completedLearners"
      FROM "AttemptStep" s JOIN "Attempt" a ON a."id" = s."attemptId"
      WHERE ${where} AND s."choiceId" IS NOT NULL
      GROUP BY s."nodeId", s."choiceId"`,
    // Learners who answered each decision (one learner may have taken several of its choices).
    db.$queryRaw<Array<{ nodeId: string; learners: unknown }>>`
      SELECT s."nodeId" AS "nodeId", COUNT(DISTINCT a."userId") AS "learners"
      FROM "AttemptStep" s JOIN "Attempt" a ON a."id" = s."attemptId"
      WHERE ${where} AND s."choiceId" IS NOT NULL
      GROUP BY s."nodeId"`,
    // Completed attempts grouped by the path they took ("q1:decline,q2:explain") and by whether
    // the attempt is its learner's first completed one (within the filter): a case has few paths
    // people actually take, so each distinct one is scored once. Ids cannot hold ":" or ",".
    db.$queryRaw<Array<{ path: string | null; first: unknown; n: unknown }>>`
      SELECT p."path", p."first", COUNT(*) AS "n" FROM (
        SELECT ${sql.pathOf} AS "path",
               f.rn = 1 AS "first"
        FROM "AttemptStep" s JOIN (
          SELECT a."id" AS id, ROW_NUMBER() OVER (PARTITION BY a."userId" ORDER BY a."number") AS rn
          FROM "Attempt" a
          WHERE ${where} AND a."status" = 'completed'
        ) f ON f.id = s."attemptId"
        GROUP BY s."attemptId", f.rn
      ) p GROUP BY p."path", p."first"`,
    // Time on task per completed attempt: timeOnTaskSeconds's measure (the gaps from the start to
    // each step, each capped at MAX_STEP_GAP_SECONDS), summed in SQL in whole milliseconds so that
    // 10k attempts do not ship every step to JavaScript.
    db.$queryRaw<Array<{ ms: unknown }>>`
      SELECT SUM(${sql.least}(${MAX_STEP_GAP_SECONDS * 1000}, ${sql.greatest}(0, g.t - COALESCE(g.prev, g.st)))) AS "ms" FROM (
        SELECT s."attemptId" AS "attemptId",
               ${sql.epochMs('s."createdAt"')} AS t,
               LAG(${sql.epochMs('s."createdAt"')}) OVER (PARTITION BY s."attemptId" ORDER BY s."seq") AS prev,
               ${sql.epochMs('a."startedAt"')} AS st
        FROM "AttemptStep" s JOIN "Attempt" a ON a."id" = s."attemptId"
        WHERE ${where} AND a."status" = 'completed'
      ) g GROUP BY g."attemptId"`,
  ]);

  return {
    funnelRow: funnelRows[0],
    choiceRows,
    nodeRows,
    pathRows,
    medianSeconds: median(timeRows.map((r) => Math.round(toNumber(r.ms) / 1000))),
  };
}

/**
 * The aggregates for one case version and filter, with small groups suppressed; null when the
 * version does not exist. `minLearners` is SMALL_GROUP_MIN_LEARNERS everywhere but in the tests
 * that check the arithmetic on a handful of learners (1 withholds nothing).
 */
export async function versionAnalytics(
  versionId: number,
  filter: AnalyticsFilter = {},
  { minLearners = SMALL_GROUP_MIN_LEARNERS }: { minLearners?: number } = {},
): Promise<VersionAnalytics | null> {
  const parsed = await getParsedVersion(versionId);
  if (!parsed) return null;
  const unfiltered = !filter.from && !filter.to && !filter.cohortId;
  const { funnelRow, choiceRows, nodeRows, pathRows, medianSeconds } = unfiltered
    ? await tallyRows(versionId)
    : await scanRows(versionId, filter);

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

  const min = minLearners;
  const raw = funnelCounts(funnelRow);
  const funnel = protectFunnel(raw, min);
  if (funnel.suppressed) {
    const noStandards: ProtectedStandards = { scored: SUPPRESSED, standards: [] };
    return {
      versionId,
      suppressed: true,
      funnel: { ...funnel, meanScore: SUPPRESSED, medianSeconds: SUPPRESSED },
      decisions: [],
      standards: noStandards,
      firstAttempts: noStandards,
    };
  }

  const learnersByNode = new Map(nodeRows.map((r) => [r.nodeId, toNumber(r.learners)]));
  const learnersByChoice = new Map(
    choiceRows.map((r) => [choiceLearnersKey(r.nodeId, r.choiceId), toNumber(r.learners)]),
  );
  const completedByChoice = new Map(
    choiceRows.map((r) => [choiceLearnersKey(r.nodeId, r.choiceId), toNumber(r.completedLearners)]),
  );
  // A learner has one first completed attempt, so a first path's count is its learners.
  const firstByChoice = new Map<string, number>();
  for (const p of toPaths(first)) {
    for (const c of p.choices) {
      const key = choiceLearnersKey(c.nodeId, c.choiceId);
      firstByChoice.set(key, (firstByChoice.get(key) ?? 0) + p.count);
    }
  }
  const touched = meansTouchedBySmallChoices(parsed.caseFile, completedByChoice, min);
  const touchedFirst = meansTouchedBySmallChoices(parsed.caseFile, firstByChoice, min);

  const completedLearners = raw.completedLearners;
  const overCompleted = (value: number | null, withheld: boolean): Figure | null =>
    completedLearners === 0 ? null : completedLearners < min || withheld ? SUPPRESSED : value;
  const meanScore = funnelRow?.meanScore;
  const standards = aggregateStandards(parsed.caseFile, parsed.analysis, toPaths(all));
  const firstAttempts = aggregateStandards(parsed.caseFile, parsed.analysis, toPaths(first));
  // The counts the means are over would give back a withheld stage: "completed" for attempts;
  // for first attempts, the learners with one, against the learners shown in the funnel.
  const scored = funnel.completed === SUPPRESSED || standards.unscored > 0 ? SUPPRESSED : standards.scored;
  const learnersScored =
    hiddenCells([completedLearners, raw.learners - completedLearners], min).includes(true) || firstAttempts.unscored > 0
      ? SUPPRESSED
      : firstAttempts.scored;
  return {
    versionId,
    suppressed: false,
    funnel: {
      ...funnel,
      meanScore: overCompleted(
        meanScore === null || meanScore === undefined ? null : Number(meanScore),
        touched.has("score"),
      ),
      medianSeconds: overCompleted(medianSeconds, false),
    },
    decisions: protectDistribution(
      choiceDistribution(parsed.caseFile, parsed.analysis, counts),
      learnersByNode,
      learnersByChoice,
      min,
    ),
    standards: protectStandards(standards, scored, completedLearners, touched, min),
    firstAttempts: protectStandards(firstAttempts, learnersScored, completedLearners, touchedFirst, min),
  };
}

// ---------------------------------------------------------------------------------------------
// Views (one language) and the CSV

type VersionRow = NonNullable<Awaited<ReturnType<typeof findVersionForAnalytics>>>;

/** What the page shows, in one language. Clause titles come from the catalogs the version was published with. */
export async function analyticsView(report: VersionAnalytics, version: VersionRow, locale: Locale) {
  const parsed = (await getParsedVersion(report.versionId))!;
  const { caseFile, clauses } = parsed;
  const t = getI18n(locale).t;
  const f = report.funnel;
  const hidden = t("analytics.hiddenCell");
  /** A figure's text: the formatted number, "hidden" when withheld, the fallback when there is none. */
  const text = (value: Figure | null, format: (n: number) => string, none = "—") =>
    value === SUPPRESSED ? hidden : value === null ? none : format(value);
  const count = (n: number) => formatCount(n, locale);
  const percent = (n: number) => formatPercent(n, locale);
  const decimal = (n: number) => formatDecimal(n, locale);
  const started = typeof f.started === "number" ? f.started : 0;
  const fraction = (n: Figure): Figure => (n === SUPPRESSED ? SUPPRESSED : started > 0 ? n / started : 0);
  const decisions = report.decisions.map((d, index) => {
    const node = caseFile.nodes[d.nodeId];
    const decision = node?.kind === "decision" ? node : null;
    const expert = d.choices.find((c) => c.recommended);
    return {
      nodeId: d.nodeId,
      number: index + 1,
      title: decision?.title ? localized(decision.title, locale) : null,
      prompt: decision ? localized(decision.prompt, locale) : d.nodeId,
      responses: d.responses,
      responsesText: text(d.responses, count),
      onExpertPath: d.recommended?.onExpertPath ?? false,
      expertShareText:
        expert && typeof expert.share === "number" && typeof d.responses === "number" && d.responses > 0
          ? percent(expert.share)
          : null,
      choices: d.choices.map((c) => {
        const choice = decision?.choices.find((x) => x.id === c.choiceId);
        return {
          choiceId: c.choiceId,
          label: choice ? localized(choice.label, locale) : c.choiceId,
          count: c.count,
          countText: text(c.count, count),
          share: c.share,
          shareText: text(c.share, percent),
          expert: c.recommended,
          critical: c.critical,
        };
      }),
    };
  });
  const rows = report.standards.standards.map((s) => {
    const first = report.firstAttempts.standards.find((x) => x.item === s.item);
    const firstMean = first?.mean ?? null;
    const firstRatio = first?.ratio ?? null;
    return {
      item: s.item,
      code: s.item.split(":")[1] ?? s.item,
      title: localized(clauses.get(s.item), locale) || s.item,
      mean: s.mean,
      meanText: text(s.mean, decimal),
      best: s.best,
      bestText: decimal(s.best),
      ratio: s.ratio,
      ratioText: text(s.ratio, percent),
      firstMean,
      firstMeanText: text(firstMean, decimal),
      firstRatio,
      firstRatioText: text(firstRatio, percent),
    };
  });
  const stages = (["started", "completed", "passed"] as const).map((stage) => ({
    stage,
    count: f[stage],
    countText: text(f[stage], count),
    fraction: fraction(f[stage]),
    shareText: text(fraction(f[stage]), percent),
  }));
  // Within a group large enough, whether any single figure is withheld (the page says why).
  const figures: Array<Figure | null> = [
    ...stages.map((s) => s.count),
    f.meanScore,
    f.medianSeconds,
    report.standards.scored,
    report.firstAttempts.scored,
    ...decisions.flatMap((d) => [d.responses, ...d.choices.map((c) => c.count)]),
    ...rows.flatMap((r) => [r.mean, r.firstMean]),
  ];
  return {
    slug: parsed.slug,
    version: parsed.version,
    caseTitle: localized(caseFile.title, locale),
    status: versionStatus(version),
    release: formatMonth(version.release, locale),
    publishedOn: version.publishedAt
      ? formatDate(version.publishedAt, locale, await regulatorTimeZone(caseFile.regulator))
      : null,
    /** Fewer than smallThreshold learners match: the page shows no figure, only why. */
    suppressed: report.suppressed,
    /** Some figures are withheld inside a group large enough. */
    partlyHidden: !report.suppressed && figures.includes(SUPPRESSED),
    smallThreshold: SMALL_GROUP_MIN_LEARNERS,
    funnel: {
      learners: f.learners,
      learnersText: text(f.learners, count),
      stages,
      meanScore: text(f.meanScore, percent, t("analytics.funnel.none")),
      medianSeconds: f.medianSeconds,
      medianTime: text(f.medianSeconds, (n) => formatDuration(n, locale), t("analytics.funnel.none")),
    },
    decisions,
    standards: {
      scored: report.standards.scored,
      scoredText: text(report.standards.scored, count),
      learnersScored: report.firstAttempts.scored,
      /** Whether any completed attempt was scored (its count may be withheld). */
      any: report.standards.scored === SUPPRESSED || report.standards.scored > 0,
      rows,
    },
  };
}

export type AnalyticsView = Awaited<ReturnType<typeof analyticsView>>;

/**
 * The aggregates as CSV, one row per figure: machine-readable numbers (dot decimals, shares as
 * fractions) with the filter that produced them on the first rows. No learner appears in it, and a
 * figure withheld for a small group reads "suppressed" (the "suppression" row says how much).
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
  meta(
    "suppression",
    view.suppressed
      ? `all figures (fewer than ${view.smallThreshold} learners)`
      : view.partlyHidden
        ? `some figures (fewer than ${view.smallThreshold} learners)`
        : "none",
  );
  const funnel = (id: string, label: string, count: Figure | null, shareValue: Figure | null = null) =>
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
  scope: RegulatorScope,
): Promise<VersionRequest> {
  if (!slug || !versionParam || !VERSION_PARAM.test(versionParam)) return { found: false };
  const version = await findVersionForAnalytics(slug, Number(versionParam), scope);
  if (!version) return { found: false };
  const cohorts = await listCohortOptions(scope);
  const filter = parseAnalyticsFilter(query, new Set(cohorts.map((c) => c.id)));
  const report = filter.ok ? await versionAnalytics(version.id, filter.filter) : null;
  return { found: true, version, cohorts, filter, report };
}
