// The end of the retention period: what `npm run records:purge` removes. Only records of closed
// accounts go, each once its completion date is its regulator's retention period behind (the
// profile's `retentionYears`; RETENTION_YEARS in ~/utils/retention for a regulator without one): the
// completion, its certificate, the attempt it rests on with its steps, and at the end the
// anonymized account itself once nothing of it is left. An open account's records are never purged:
// the database checks that too (the Completion delete trigger opens only for a closed account's
// record older than the cutoff, and only while the purge's RecordPurge row exists, inside the
// purge's own transaction; the purge sets that row's cutoff to each regulator's in turn while it deletes
// that regulator's records). See prisma/migrations/20261205000000_account_closure.
import type { Prisma } from "~/generated/prisma/client";
import type { Db } from "~/utils/db.server";
import { RETENTION_YEARS, retentionCutoff } from "~/utils/retention";
import { forgetLearners } from "./analytics-tally.server";
import { recordAudit } from "./audit.server";
import { retentionYearsByRegulator } from "./regulator.server";

type Client = Prisma.TransactionClient | Db;

export type PurgeCounts = {
  /** Duplicates of the certificates that go (they go with them), counted apart from the certificates. */
  CertificateReissue: number;
  Certificate: number;
  Completion: number;
  AttemptStep: number;
  Reflection: number;
  Attempt: number;
  User: number;
};

/** One regulator's retention: its records of closed accounts completed before `cutoff` go. */
export type RetentionPeriod = { regulator: string; retentionYears: number; cutoff: Date };

export type PurgePlan = {
  /** Per regulator that has records of closed accounts, by id. */
  periods: RetentionPeriod[];
  counts: PurgeCounts;
  /** Completion dates of the oldest and newest record that goes (null when none does). */
  oldest: Date | null;
  newest: Date | null;
};

/** Each regulator with records of closed accounts, its retention as of `now`. */
async function retentionPeriods(client: Client, now: Date): Promise<RetentionPeriod[]> {
  const years = await retentionYearsByRegulator(client);
  const regulators = await client.completion.findMany({
    where: { user: { closedAt: { not: null } } },
    distinct: ["regulator"],
    select: { regulator: true },
    orderBy: { regulator: "asc" },
  });
  return regulators.map(({ regulator }) => {
    const retentionYears = years.get(regulator) ?? RETENTION_YEARS;
    return { regulator, retentionYears, cutoff: retentionCutoff(now, retentionYears) };
  });
}

// A record past its regulator's retention period (an empty OR matches nothing).
const pastRetention = (periods: RetentionPeriod[]) =>
  ({
    OR: periods.map((p) => ({ regulator: p.regulator, completedAt: { lt: p.cutoff } })),
  }) satisfies Prisma.CompletionWhereInput;

const expiredCompletion = (periods: RetentionPeriod[]) =>
  ({ ...pastRetention(periods), user: { closedAt: { not: null } } }) satisfies Prisma.CompletionWhereInput;

// A closed account that keeps nothing once its expired records go: every record past its period,
// every attempt behind such a record.
const emptiedAccount = (periods: RetentionPeriod[]) =>
  ({
    closedAt: { not: null },
    completions: { every: pastRetention(periods) },
    attempts: { every: { completion: { is: pastRetention(periods) } } },
  }) satisfies Prisma.UserWhereInput;

async function selectExpired(client: Client, periods: RetentionPeriod[]) {
  const completions = await client.completion.findMany({
    where: expiredCompletion(periods),
    select: { attemptId: true, completedAt: true },
    orderBy: { completedAt: "asc" },
  });
  const attemptIds = completions.map((c) => c.attemptId);
  const userIds = (await client.user.findMany({ where: emptiedAccount(periods), select: { id: true } })).map(
    (u) => u.id,
  );
  const [reissues, certificates, steps, reflections] = await Promise.all([
    client.certificateReissue.count({ where: { certificate: { completion: expiredCompletion(periods) } } }),
    client.certificate.count({ where: { completion: expiredCompletion(periods) } }),
    client.attemptStep.count({ where: { attemptId: { in: attemptIds } } }),
    client.reflection.count({ where: { attemptId: { in: attemptIds } } }),
  ]);
  return {
    attemptIds,
    userIds,
    counts: {
      CertificateReissue: reissues,
      Certificate: certificates,
      Completion: completions.length,
      AttemptStep: steps,
      Reflection: reflections,
      Attempt: attemptIds.length,
      User: userIds.length,
    },
    oldest: completions[0]?.completedAt ?? null,
    newest: completions.at(-1)?.completedAt ?? null,
  };
}

/** What a purge as of `now` would delete, deleting nothing. */
export async function planPurge(db: Db, now = new Date()): Promise<PurgePlan> {
  const periods = await retentionPeriods(db, now);
  const { counts, oldest, newest } = await selectExpired(db, periods);
  return { periods, counts, oldest, newest };
}

/** Deletes what planPurge lists, in one transaction, and records the counts in the audit log. */
export async function purgeExpiredRecords(db: Db, now = new Date()): Promise<PurgePlan> {
  return db.$transaction(async (tx) => {
    const periods = await retentionPeriods(tx, now);
    const { attemptIds, userIds, counts, oldest, newest } = await selectExpired(tx, periods);
    // Opens the Completion delete trigger for this transaction only, at one regulator's cutoff at a
    // time while its records go; removed again below.
    for (const period of periods) {
      const { cutoff } = period;
      await tx.recordPurge.upsert({ where: { id: 1 }, create: { id: 1, cutoff }, update: { cutoff } });
      await tx.certificate.deleteMany({ where: { completion: expiredCompletion([period]) } });
      await tx.completion.deleteMany({ where: expiredCompletion([period]) });
    }
    // Analytics takes back what it counted of these attempts' learners before their rows go.
    const owners = await tx.attempt.findMany({
      where: { id: { in: attemptIds } },
      select: { userId: true },
      distinct: ["userId"],
    });
    await forgetLearners(
      tx,
      owners.map((o) => o.userId),
    );
    await tx.attemptStep.deleteMany({ where: { attemptId: { in: attemptIds } } });
    await tx.reflection.deleteMany({ where: { attemptId: { in: attemptIds } } });
    await tx.attempt.deleteMany({ where: { id: { in: attemptIds } } });
    // Password, roles and sessions went at closure; the cascade would take any left.
    await tx.user.deleteMany({ where: { id: { in: userIds } } });
    await tx.recordPurge.deleteMany({ where: { id: 1 } });
    const plan = { periods, counts, oldest, newest };
    await recordAudit(
      {
        subject: "records",
        actorId: null,
        action: "records_purged",
        detail: {
          ...plan,
          asOf: now.toISOString(),
          periods: periods.map((p) => ({ ...p, cutoff: p.cutoff.toISOString() })),
          oldest: oldest?.toISOString() ?? null,
          newest: newest?.toISOString() ?? null,
        },
      },
      tx,
    );
    return plan;
  });
}
