// The audit log as people read it: who did what and when, with the details that matter.
import type { ScoringChange } from "~/engine";
import type { Locale } from "~/i18n";
import { formatDateTime, formatPercent } from "~/utils/format";
import { isAuditAction, type listAudit } from "./audit.server";

type Entry = Awaited<ReturnType<typeof listAudit>>[number];

function describeChange(change: ScoringChange, locale: Locale): string {
  switch (change.kind) {
    case "passMark":
      return `passMark ${formatPercent(change.from, locale)} → ${formatPercent(change.to, locale)}`;
    case "critical":
      return `${change.nodeId}/${change.choiceId} critical ${change.from} → ${change.to}`;
    case "effects": {
      const fmt = (e: Record<string, number>) =>
        Object.entries(e)
          .map(([k, v]) => `${k} ${v > 0 ? "+" : ""}${v}`)
          .join(", ") || "∅";
      return `${change.nodeId}/${change.choiceId}: ${fmt(change.from)} → ${fmt(change.to)}`;
    }
    case "choiceAdded":
      return `+ ${change.nodeId}/${change.choiceId}`;
    case "choiceRemoved":
      return `− ${change.nodeId}/${change.choiceId}`;
  }
}

/** The entries newest first, their times on `timeZone` (the clock of the regulator they belong to). */
export function auditView(entries: Entry[], locale: Locale, timeZone: string) {
  return entries
    .slice()
    .reverse()
    .map((e) => {
      const detail = (e.detail ?? {}) as Record<string, unknown>;
      return {
        id: e.id,
        at: formatDateTime(e.createdAt, locale, timeZone),
        actor: e.actorName,
        action: e.action,
        /** The action when it is one the catalogs name (an older log may hold others). */
        knownAction: isAuditAction(e.action) ? e.action : null,
        version: typeof detail.version === "number" ? detail.version : null,
        publishAt:
          typeof detail.publishAt === "string" ? formatDateTime(new Date(detail.publishAt), locale, timeZone) : null,
        note: typeof detail.note === "string" ? detail.note : null,
        message: typeof detail.message === "string" ? detail.message : null,
        label: typeof detail.label === "string" ? detail.label : null,
        versions: Array.isArray(detail.versions) ? (detail.versions as number[]).join(", ") : null,
        fromVersion: typeof detail.fromVersion === "number" ? detail.fromVersion : null,
        upload: typeof detail.upload === "string" ? detail.upload : null,
        changes: Array.isArray(detail.changes)
          ? (detail.changes as ScoringChange[]).map((c) => describeChange(c, locale))
          : [],
      };
    });
}

export type AuditRow = ReturnType<typeof auditView>[number];
