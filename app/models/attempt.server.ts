// Attempts: starting, advancing one node at a time, and completing with a score, a completion
// record and a certificate. Every query is scoped by the learner's id: an attempt id alone never
// opens anything.
import { randomBytes } from "node:crypto";
import { planStep, replayPath } from "~/engine";
import { UNSAFE_MULTILINE } from "~/forms/text";
import type { Prisma } from "~/generated/prisma/client";
import type { TranslationKey } from "~/i18n";
import { getDb } from "~/utils/db.server";
import { hotPathSql, type AttemptRow, type ReflectionRow, type StepRow } from "~/utils/hot-path-sql.server";
import { fail, ok, type Failure, type Success } from "~/utils/result";
import { getCurrentVersion, getParsedVersion, type ParsedVersion } from "./case.server";
import { enqueueMail } from "./mail-outbox.server";
import { registrationWith } from "./registration.server";

/** Gaps longer than this between two steps count as this much: a learner who left for lunch was not on task. */
export const MAX_STEP_GAP_SECONDS = 30 * 60;
export const MAX_REFLECTION_LENGTH = 10_000;

export type StartResult =
  | Success<{ attemptId: string; resumed: boolean }>
  | Failure<"not-found">
  | (Failure<"no-attempts-left"> & { maxAttempts: number });

/**
 * Starts an attempt on the case's current version, or returns the one in progress (a double-click
 * on "start" must not open two). Refuses when the case's maxAttempts is used up.
 */
export async function startAttempt(userId: string, slug: string): Promise<StartResult> {
  const version = await versionForLearner(userId, slug);
  if (!version) return fail("not-found");
  const parsed = await getParsedVersion(version.id);
  if (!parsed) return fail("not-found");
  const start = () =>
    getDb().$transaction(async (tx): Promise<StartResult> => {
      // One read, so the open attempt and the count come from the same moment (on PostgreSQL two
      // statements could see a concurrent start between them and open a second attempt).
      const attempts = await tx.attempt.findMany({
        where: { userId, caseId: version.caseId },
        orderBy: { number: "desc" },
        select: { id: true, status: true },
      });
      const open = attempts.find((a) => a.status === "in_progress");
      if (open) return ok({ attemptId: open.id, resumed: true });
      if (!mayStartAnother(attempts.length, version.maxAttempts)) {
        return { ...fail("no-attempts-left"), maxAttempts: version.maxAttempts! };
      }
      const attempt = await tx.attempt.create({
        data: {
          userId,
          caseId: version.caseId,
          caseVersionId: version.id,
          number: attempts.length + 1,
          currentNodeId: parsed.caseFile.start,
        },
      });
      return ok({ attemptId: attempt.id, resumed: false });
    });
  // A concurrent start (another tab, a double click, another instance) took this number first: the
  // unique (learner, case, number) refused ours, and starting again finds its attempt open. SQLite
  // runs one transaction at a time, so only PostgreSQL gets here.
  for (let tries = 1; ; tries++) {
    try {
      return await start();
    } catch (error) {
      if (!isUniqueViolation(error) || tries === 3) throw error;
    }
  }
}

/** maxAttempts counts every attempt on the case, across versions; absent means unlimited. */
export function mayStartAnother(attemptsUsed: number, maxAttempts: number | null): boolean {
  return maxAttempts === null || attemptsUsed < maxAttempts;
}

/** The version this learner plays: one pinned for their cohort, else the case's current one. */
export async function versionForLearner(userId: string | null, slug: string) {
  return (userId ? await getPinnedVersion(userId, slug) : null) ?? (await getCurrentVersion(slug));
}

/**
 * The version an educator pinned for this learner (an assignment to one of their cohorts), if
 * any: the learner must be able to play what they were assigned even after a newer version is
 * published. The most recent such assignment wins.
 */
async function getPinnedVersion(userId: string, slug: string) {
  const found = await getDb().case.findUnique({ where: { slug }, select: { id: true } });
  if (!found) return null;
  const assignment = await getDb().assignment.findFirst({
    where: { caseId: found.id, caseVersionId: { not: null }, cohort: { members: { some: { userId } } } },
    orderBy: { createdAt: "desc" },
    select: { caseVersionId: true },
  });
  if (!assignment?.caseVersionId) return null;
  return getDb().caseVersion.findFirst({
    where: { id: assignment.caseVersionId, caseId: found.id, status: "published", publishedAt: { lte: new Date() } },
    include: { case: true },
  });
}

/** An attempt as the player and debrief need it: the rows the hot path reads, and its version. */
export type LoadedAttempt = AttemptRow & {
  steps: StepRow[];
  reflections: ReflectionRow[];
  completion: {
    id: string;
    creditHours: number;
    completedAt: Date;
    certificate: { code: string; revokedAt: Date | null } | null;
  } | null;
  version: ParsedVersion;
};

/**
 * The learner's own attempt, or null — also when it exists but belongs to someone else. Read with
 * prepared statements on the read connection (every player page does this; see sqlite-read.server.ts).
 */
export async function getAttemptForUser(attemptId: string, userId: string): Promise<LoadedAttempt | null> {
  const sql = hotPathSql();
  const row = await sql.attempt(attemptId, userId);
  if (!row) return null;
  const version = await getParsedVersion(row.caseVersionId);
  if (!version) return null;
  const steps = await sql.steps(attemptId);
  // Reflections and the completion are shown in the debrief only: not read on every step.
  const completed = row.status === "completed";
  const reflections = completed ? await sql.reflections(attemptId) : [];
  const completion = completed ? await sql.completion(attemptId) : undefined;
  return {
    ...row,
    steps,
    reflections,
    completion: completion
      ? {
          id: completion.id,
          creditHours: completion.creditHours,
          completedAt: completion.completedAt,
          certificate: completion.code === null ? null : { code: completion.code, revokedAt: completion.revokedAt },
        }
      : null,
    version,
  };
}

export type AdvanceInput = { from: string; choiceId?: string; reflection?: string };

export type AdvanceResult =
  | Success<{ completed: boolean }>
  /** "stale": the attempt was not at `from` (a replayed or double-submitted form): nothing recorded. */
  | Failure<"stale" | "not-found">
  | (Failure<"invalid"> & { field: "choice" | "reflection"; message: TranslationKey });

class StaleAttempt extends Error {}

/**
 * Why a reflection (already trimmed) is refused, if it is. The player's input rule, not the case's:
 * the length limit is what we store, the characters are those no free text may hold (~/forms/text).
 */
function reflectionProblem(text: string): TranslationKey | null {
  if (text.length === 0) return "play.reflectionRequired";
  // Refused, never cut: the learner keeps what they wrote and decides what to shorten.
  if (text.length > MAX_REFLECTION_LENGTH) return "play.reflectionTooLong";
  if (UNSAFE_MULTILINE.test(text)) return "play.reflectionUnsafe";
  return null;
}

/**
 * Moves the attempt on from `from`. It advances only from the node it is on, and the step is keyed
 * by (attempt, node), so a POST replayed from a second tab or the back button records nothing twice
 * and skips nothing.
 */
export async function advanceAttempt(
  attemptId: string,
  userId: string,
  input: AdvanceInput,
  now = new Date(),
): Promise<AdvanceResult> {
  // The checks read committed state on the read connection; the transaction below re-checks the
  // node with a compare-and-set, so nothing acts on a stale read.
  const attempt = await hotPathSql().position(attemptId, userId);
  if (!attempt) return fail("not-found");
  if (attempt.status !== "in_progress") return fail("stale");
  const version = await getParsedVersion(attempt.caseVersionId);
  if (!version) return fail("not-found");
  // What the step does is the engine's, as in the studio preview; the reflection's text is ours.
  const plan = planStep(version.caseFile, attempt.currentNodeId, input);
  if (plan.kind === "stale") return fail("stale");
  if (plan.kind === "invalid") return { ...fail("invalid"), field: "choice", message: "play.choiceRequired" };
  let reflection: string | undefined;
  if (plan.step.kind === "reflection") {
    reflection = (input.reflection ?? "").trim();
    const problem = reflectionProblem(reflection);
    if (problem) return { ...fail("invalid"), field: "reflection", message: problem };
  }
  const completes = plan.kind === "completed";
  const nextNodeId = plan.kind === "completed" ? plan.outcomeId : plan.at;
  const choiceId = plan.step.choiceId;
  if (!completes) {
    // Most steps: the compare-and-set and the step row, with hand-written statements (ADR 009).
    const recorded = await hotPathSql().recordStep({
      attemptId,
      userId,
      from: input.from,
      to: nextNodeId,
      seq: attempt.steps,
      choiceId,
      reflection,
      at: now,
    });
    return recorded === "recorded" ? ok({ completed: false }) : fail("stale");
  }

  // The last step also scores the attempt and writes its completion and certificate: Prisma.
  try {
    await getDb().$transaction(async (tx) => {
      // Compare-and-set on the current node: a concurrent request that got here first wins.
      const moved = await tx.attempt.updateMany({
        where: { id: attemptId, userId, status: "in_progress", currentNodeId: input.from },
        data: { currentNodeId: nextNodeId },
      });
      if (moved.count !== 1) throw new StaleAttempt();
      // The step count read before is still right: had another request moved the attempt since,
      // the compare-and-set would have failed (a case graph never comes back to a node).
      await tx.attemptStep.create({
        data: { attemptId, seq: attempt.steps, nodeId: input.from, choiceId, createdAt: now },
      });
      if (reflection !== undefined) {
        await tx.reflection.create({ data: { attemptId, nodeId: input.from, text: reflection, createdAt: now } });
      }
      await completeAttempt(tx, attemptId, version, now);
    });
  } catch (error) {
    if (error instanceof StaleAttempt) return fail("stale");
    if (isUniqueViolation(error)) return fail("stale");
    throw error;
  }
  return ok({ completed: true });
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: string }).code === "P2002";
}

/** Active time: the sum of the gaps between start and each step, each gap capped. */
export function timeOnTaskSeconds(startedAt: Date, stepTimes: Date[]): number {
  let total = 0;
  let previous = startedAt.getTime();
  for (const time of stepTimes) {
    total += Math.min(MAX_STEP_GAP_SECONDS, Math.max(0, (time.getTime() - previous) / 1000));
    previous = time.getTime();
  }
  return Math.round(total);
}

const CODE_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"; // no 0/o, 1/l: codes get read aloud and typed

/** 128 random bits as 26 unambiguous characters. */
export function newCertificateCode(): string {
  const bytes = randomBytes(17);
  let bits = 0n;
  for (const byte of bytes) bits = (bits << 8n) | BigInt(byte);
  let code = "";
  for (let i = 0; i < 26; i++) {
    code += CODE_ALPHABET[Number(bits & 31n)];
    bits >>= 5n;
  }
  return code;
}

async function completeAttempt(tx: Prisma.TransactionClient, attemptId: string, version: ParsedVersion, now: Date) {
  const attempt = await tx.attempt.findUniqueOrThrow({
    where: { id: attemptId },
    include: { steps: { orderBy: { seq: "asc" } }, user: true },
  });
  // The stored rows replayed by the engine, as the preview replays its URL: they must end the case.
  const replay = replayPath(version.caseFile, version.analysis, attempt.steps);
  const result = replay.ok && replay.status === "completed" ? replay.score : null;
  if (!result) throw new Error(`attempt ${attemptId}: stored steps do not complete the case`);
  await tx.attempt.update({
    where: { id: attemptId },
    data: { status: "completed", completedAt: now, total: result.total, score: result.score, passed: result.passed },
  });
  if (!result.passed) return;

  // A completion record is for the case's regulator, through the learner's registration with it:
  // a learner not registered with that regulator has played it as practice (no record, no credit).
  const registrationNumber = await registrationWith(attempt.userId, version.regulator, tx);
  if (registrationNumber === null) return;
  // Credit once per case: the first passing attempt, on whichever version, earns it.
  const creditKey = `${attempt.userId}:${version.slug}`;
  const alreadyCredited = await tx.completion.findUnique({ where: { creditKey } });
  const credited = !alreadyCredited;
  const { user } = attempt;
  const completion = await tx.completion.create({
    data: {
      attemptId,
      userId: user.id,
      learnerName: user.name,
      registrationNumber,
      regulator: version.regulator,
      caseSlug: version.slug,
      caseVersion: version.version,
      caseVersionId: version.id,
      caseTitle: JSON.stringify(version.caseFile.title),
      locale: user.locale,
      startedAt: attempt.startedAt,
      completedAt: now,
      timeOnTaskSeconds: timeOnTaskSeconds(
        attempt.startedAt,
        attempt.steps.map((s) => s.createdAt),
      ),
      score: result.score,
      passed: true,
      creditHours: credited ? version.caseFile.credit.hours : 0,
      attemptNumber: attempt.number,
      creditKey: credited ? creditKey : null,
      createdAt: now,
    },
  });
  if (credited) {
    const certificate = await tx.certificate.create({
      data: { completionId: completion.id, code: newCertificateCode(), issuedAt: now },
    });
    // "Certificate issued", queued in this transaction: no certificate without its mail, nor the reverse.
    await enqueueMail(
      tx,
      {
        kind: "certificate_issued",
        to: user.email,
        locale: user.locale === "fr" ? "fr" : "en",
        regulator: completion.regulator,
        userId: user.id,
        params: { certificateId: certificate.id },
      },
      now,
    );
  }
}

/** The learner's attempts on a case, newest first (for the overview page). */
export async function listAttemptsForCase(userId: string, caseId: number) {
  return getDb().attempt.findMany({
    where: { userId, caseId },
    orderBy: { number: "desc" },
    include: { completion: { select: { creditHours: true, completedAt: true } } },
  });
}
