// The append-only audit log (triggers in the migration refuse updates and deletes).
import type { Prisma } from "~/generated/prisma/client";
import { getDb } from "~/utils/db.server";

type Client = Prisma.TransactionClient | ReturnType<typeof getDb>;

/** What an entry can record; the studio's audit log names each one (`studio.audit.actions.*`). */
export const auditActions = [
  "draft_created",
  "draft_updated",
  "submitted",
  "withdrawn",
  "approved",
  "rejected",
  "published",
  "scheduled",
  "scoring_changed",
  "retired",
  "publish_failed",
  "catalog_published",
  "regulator_published",
  "account_created",
  "role_granted",
  "role_revoked",
  "account_deactivated",
  "account_reactivated",
  "sessions_revoked",
  "reset_link_sent",
  "two_factor_reset",
  "account_closed",
  "records_purged",
  "records_exported",
  "certificate_reissued",
  "registration_added",
  "registration_changed",
  "change_requested",
  "change_approved",
  "change_rejected",
  "change_withdrawn",
  "cohort_invited",
  "cohort_invitation_revoked",
  "cohort_joined",
  "cohort_left",
  "sso_linked",
  "sso_name_synced",
  "name_changed",
  "locale_changed",
  "email_change_requested",
  "email_changed",
  "email_verified",
  "image_uploaded",
  "translation_exported",
  "translation_imported",
  "catalog_translation_imported",
] as const;
export type AuditAction = (typeof auditActions)[number];

export function isAuditAction(value: string): value is AuditAction {
  return (auditActions as readonly string[]).includes(value);
}

/**
 * Subjects: a case slug, `catalog:<id>` for a standards catalog, `regulator:<id>` for a profile, `account:<userId>` for a closed
 * account, `records` for a retention purge (those two never carry personal data in their detail).
 * `certificate:<id>` for a certificate (by id: its code lets anyone see it).
 * An admin's change to an account (admin.server.ts) is under `account:<userId>` too, with the
 * regulator and the reason the admin typed.
 * `cohort:<id>` for a cohort's invitations and its learners' consent (ids only, never addresses).
 */
export async function recordAudit(
  entry: { subject: string; actorId: string | null; action: AuditAction; detail?: unknown; at?: Date },

  client: Client = getDb(),
): Promise<void> {
  await client.auditEntry.create({
    data: {
      subject: entry.subject,
      actorId: entry.actorId,
      action: entry.action,
      detail: JSON.stringify(entry.detail ?? {}),
      ...(entry.at ? { createdAt: entry.at } : {}),
    },
  });
}

/** A subject's history, oldest first, with the actor's name when known. */
export async function listAudit(subject: string) {
  const entries = await getDb().auditEntry.findMany({
    where: { subject },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  const actorIds = [...new Set(entries.map((e) => e.actorId).filter((id): id is string => id !== null))];
  const users = await getDb().user.findMany({ where: { id: { in: actorIds } }, select: { id: true, name: true } });
  const names = new Map(users.map((u) => [u.id, u.name]));
  return entries.map((e) => ({
    ...e,
    detail: JSON.parse(e.detail) as unknown,
    actorName: e.actorId ? (names.get(e.actorId) ?? null) : null,
  }));
}
