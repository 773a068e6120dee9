// The end of the retention period: what `npm run records:purge` removes. Only records of closed
// accounts go, each once its completion date is RETENTION_YEARS behind (~/utils/retention): the
// completion, its certificate, the attempt it rests on with its steps, and at the end the
// anonymized account itself once nothing of it is left. An open account's records are never purged:
// the database checks that too (the Completion delete trigger opens only for a closed account's
// record older than the cutoff, and only while the purge's RecordPurge row exists, inside the
// purge's own transaction). See prisma/migrations/20261205000000_account_closure.
import type { Prisma } from "~/generated/prisma/client";
import type { Db } from "~/utils/db.server";
import { RETENTION_YEARS, retentionCutoff } from "~/utils/retention";
import { recordAudit } from "./audit.server";

type Client = Prisma.TransactionClient | Db;

export type PurgeCounts = {
  Certificate: number;
  Completion: number;
  AttemptStep: number;
  Reflection: number;
  Attempt: number;
  User: number;
};

export type PurgePlan = {
  cutoff: Date;
  retentionYears: number;
  counts: PurgeCounts;
  /** Completion dates of the oldest and newest record that goes (null when none does). */
  oldest: Date | null;
  newest: Date | null;
};

const expiredCompletion = (cutoff: Date) =>
  ({ completedAt: { lt: cutoff }, user: { closedAt: { not: null } } }) satisfies Prisma.CompletionWhereInput;

// A closed account that keeps nothing once its expired records go: no record still in its period,
// no attempt that is not behind an expired record.
const emptiedAccount = (cutoff: Date) =>
  ({
    closedAt: { not: null },
    completions: { none: { completedAt: { gte: cutoff } } },
    attempts: {
      none: { OR: [{ completion: { is: null } }, { completion: { is: { completedAt: { gte: cutoff } } } }] },
    },
  }) satisfies Prisma.UserWhereInput;

async function selectExpired(client: Client, cutoff: Date) {
  const completions = await client.completion.findMany({
    where: expiredCompletion(cutoff),
    select: { attemptId: true, completedAt: true },
    orderBy: { completedAt: "asc" },
  });
  const attemptIds = completions.map((c) => c.attemptId);
  const userIds = (await client.user.findMany({ where: emptiedAccount(cutoff), select: { id: true } })).map(
    (u) => u.id,
  );
  const [certificates, steps, reflections] = await Promise.all([
    client.certificate.count({ where: { completion: expiredCompletion(cutoff) } }),
    client.attemptStep.count({ where: { attemptId: { in: attemptIds } } }),
    client.reflection.count({ where: { attemptId: { in: attemptIds } } }),
  ]);
  return {
    attemptIds,
    userIds,
    counts: {
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
  const cutoff = retentionCutoff(now);
  const { counts, oldest, newest } = await selectExpired(db, cutoff);
  return { cutoff, retentionYears: RETENTION_YEARS, counts, oldest, newest };
}

/** Deletes what planPurge lists, in one transaction, and records the counts in the audit log. */
export async function purgeExpiredRecords(db: Db, now = new Date()): Promise<PurgePlan> {
  const cutoff = retentionCutoff(now);
  return db.$transaction(async (tx) => {
    const { attemptIds, userIds, counts, oldest, newest } = await selectExpired(tx, cutoff);
    // Opens the Completion delete trigger for this transaction only; removed again below.
    await tx.recordPurge.create({ data: { id: 1, cutoff } });
    await tx.certificate.deleteMany({ where: { completion: expiredCompletion(cutoff) } });
    await tx.completion.deleteMany({ where: expiredCompletion(cutoff) });
    await tx.attemptStep.deleteMany({ where: { attemptId: { in: attemptIds } } });
    await tx.reflection.deleteMany({ where: { attemptId: { in: attemptIds } } });
    await tx.attempt.deleteMany({ where: { id: { in: attemptIds } } });
    // Password, roles and sessions went at closure; the cascade would take any left.
    await tx.user.deleteMany({ where: { id: { in: userIds } } });
    await tx.recordPurge.delete({ where: { id: 1 } });
    const plan = { cutoff, retentionYears: RETENTION_YEARS, counts, oldest, newest };
    await recordAudit(
      {
        subject: "records",
        actorId: null,
        action: "records_purged",
        detail: {
          ...plan,
          asOf: now.toISOString(),
          cutoff: cutoff.toISOString(),
          oldest: oldest?.toISOString() ?? null,
          newest: newest?.toISOString() ?? null,
        },
      },
      tx,
    );
    return plan;
  });
}
