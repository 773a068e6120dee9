// Changes that need a second person (four eyes), like a case draft's review: publishing a new
// version of a standards catalog (its clauses are what every case is scored against) and retiring a
// case (it leaves every learner's catalog). The person who asks cannot approve; anyone else of the
// same regulator's staff may, or may send it back with a note; the asker may withdraw it. The change
// itself is made at approval, by the same code the studio always used, checked again then.
import { pointerLocator, validateCatalog, type Diagnostic } from "~/engine";
import { getDb } from "~/utils/db.server";
import { logEvent } from "~/utils/log.server";
import { inScope, scopeFilter, type RegulatorScope } from "~/utils/roles";
import { recordAudit } from "./audit.server";
import { contentHash } from "./content.server";
import { MAX_NOTE_CHARS, publishCatalogUpload, retireCase } from "./studio.server";

export type ChangeKind = "catalog_publish" | "case_retire";
export type ChangeStatus = "pending" | "approved" | "rejected" | "withdrawn";

const subjectOf = (kind: ChangeKind, subject: string) => (kind === "catalog_publish" ? `catalog:${subject}` : subject);

export type RequestResult =
  | { ok: true; value: { id: string } }
  | { ok: false; code: "invalid"; diagnostics: Diagnostic[] }
  | { ok: false; code: "unchanged"; version: number }
  | { ok: false; code: "not-found" | "already-retired" | "already-pending" };

/** A pending request of this kind for this subject, if one waits. */
async function pendingFor(kind: ChangeKind, subject: string) {
  return getDb().changeRequest.findFirst({ where: { kind, subject, status: "pending" }, select: { id: true } });
}

async function open(
  kind: ChangeKind,
  regulator: string,
  subject: string,
  payload: unknown,
  actorId: string,
): Promise<RequestResult> {
  if (await pendingFor(kind, subject)) return { ok: false, code: "already-pending" };
  const row = await getDb().$transaction(async (tx) => {
    const created = await tx.changeRequest.create({
      data: { kind, regulator, subject, payload: JSON.stringify(payload), requestedById: actorId },
    });
    await recordAudit(
      {
        subject: subjectOf(kind, subject),
        actorId,
        action: "change_requested",
        detail: { requestId: created.id, kind },
      },
      tx,
    );
    return created;
  });
  logEvent("content.change_requested", { requestId: row.id, kind, subject, actorId });
  return { ok: true, value: { id: row.id } };
}

/**
 * An uploaded catalog file, checked like cases:check: valid, of a regulator in scope, and different
 * from the latest version. It waits for a second person before it is published.
 */
export async function requestCatalogPublish(
  file: string,
  text: string,
  actorId: string,
  scope: RegulatorScope,
): Promise<RequestResult> {
  const result = validateCatalog({ file, text });
  if (!result.catalog) return { ok: false, code: "invalid", diagnostics: result.diagnostics };
  const { catalog } = result;
  if (!inScope(scope, catalog.regulator)) {
    const at = pointerLocator(text)?.("/regulator");
    const message = `you do not publish catalogs of regulator "${catalog.regulator}"`;
    const diagnostic: Diagnostic = { severity: "error", file, path: "/regulator", message, ...(at ?? {}) };
    return { ok: false, code: "invalid", diagnostics: [diagnostic] };
  }
  const latest = await getDb().catalogVersion.findFirst({
    where: { catalogId: catalog.id },
    orderBy: { sequence: "desc" },
    select: { sequence: true, contentHash: true },
  });
  if (latest && latest.contentHash === contentHash(catalog)) {
    return { ok: false, code: "unchanged", version: latest.sequence };
  }
  return open("catalog_publish", catalog.regulator, catalog.id, { file, text }, actorId);
}

/** Asks for a case of a regulator in scope to be retired; another person confirms it. */
export async function requestRetire(slug: string, actorId: string, scope: RegulatorScope): Promise<RequestResult> {
  const record = await getDb().case.findFirst({
    where: { slug, regulator: scopeFilter(scope) },
    include: { versions: { where: { status: { not: "retired" } }, select: { id: true } } },
  });
  if (!record) return { ok: false, code: "not-found" };
  if (record.versions.length === 0) return { ok: false, code: "already-retired" };
  return open("case_retire", record.regulator, slug, {}, actorId);
}

/** Requests of the regulators in scope waiting for a second person, oldest first, with who asked. */
export async function listPendingChanges(scope: RegulatorScope, actorId: string, kind?: ChangeKind) {
  const db = getDb();
  const rows = await db.changeRequest.findMany({
    where: { status: "pending", regulator: scopeFilter(scope), ...(kind ? { kind } : {}) },
    orderBy: { requestedAt: "asc" },
  });
  const users = await db.user.findMany({
    where: { id: { in: [...new Set(rows.map((r) => r.requestedById))] } },
    select: { id: true, name: true },
  });
  const names = new Map(users.map((u) => [u.id, u.name]));
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind as ChangeKind,
    subject: r.subject,
    regulator: r.regulator,
    requestedBy: names.get(r.requestedById) ?? null,
    requestedAt: r.requestedAt,
    mine: r.requestedById === actorId,
    /** Four eyes: anyone but the person who asked. */
    mayDecide: r.requestedById !== actorId,
  }));
}

export type DecisionResult =
  | { ok: true; value: { status: ChangeStatus; version?: number } }
  | { ok: false; code: "not-found" | "not-pending" | "own-request" | "not-requester" | "note-required" }
  | { ok: false; code: "failed"; message?: string; diagnostics?: Diagnostic[] };

async function findPending(id: string, scope: RegulatorScope) {
  return getDb().changeRequest.findFirst({ where: { id, regulator: scopeFilter(scope) } });
}

/** Claims a pending request (compare-and-set), so two people deciding at once cannot both act. */
async function claim(id: string, status: ChangeStatus, actorId: string, now: Date, note: string | null = null) {
  const claimed = await getDb().changeRequest.updateMany({
    where: { id, status: "pending" },
    data: { status, decidedById: actorId, decidedAt: now, note },
  });
  return claimed.count === 1;
}

/** Someone other than the asker approves: the change is made now, checked again against today's data. */
export async function approveChange(
  id: string,
  actorId: string,
  scope: RegulatorScope,
  now = new Date(),
): Promise<DecisionResult> {
  const request = await findPending(id, scope);
  if (!request) return { ok: false, code: "not-found" };
  if (request.status !== "pending") return { ok: false, code: "not-pending" };
  if (request.requestedById === actorId) return { ok: false, code: "own-request" };
  if (!(await claim(id, "approved", actorId, now))) return { ok: false, code: "not-pending" };
  const kind = request.kind as ChangeKind;
  const subject = subjectOf(kind, request.subject);
  await recordAudit({ subject, actorId, action: "change_approved", detail: { requestId: id, kind }, at: now });
  const undo = async (message: string) => {
    await getDb().changeRequest.update({
      where: { id },
      data: { status: "pending", decidedById: null, decidedAt: null },
    });
    await recordAudit({ subject, actorId, action: "publish_failed", detail: { requestId: id, message } });
  };
  if (kind === "catalog_publish") {
    const { file, text } = JSON.parse(request.payload) as { file: string; text: string };
    // The requester's file, published in the approver's name: the audit log holds both.
    const published = await publishCatalogUpload(file, text, actorId, scope);
    if (!published.ok) {
      await undo(published.message ?? "the catalog no longer validates");
      return { ok: false, code: "failed", message: published.message, diagnostics: published.diagnostics };
    }
    return { ok: true, value: { status: "approved", version: published.version } };
  }
  const retired = await retireCase(request.subject, actorId, scope, now);
  if (!retired.ok && retired.code === "not-found") {
    await undo("the case is gone");
    return { ok: false, code: "failed" };
  }
  return { ok: true, value: { status: "approved" } };
}

/** Someone other than the asker sends it back, saying why; the asker may withdraw it instead. */
export async function declineChange(
  id: string,
  actorId: string,
  scope: RegulatorScope,
  note: string,
  now = new Date(),
): Promise<DecisionResult> {
  const request = await findPending(id, scope);
  if (!request) return { ok: false, code: "not-found" };
  if (request.status !== "pending") return { ok: false, code: "not-pending" };
  const withdrawing = request.requestedById === actorId;
  const trimmed = note.trim().slice(0, MAX_NOTE_CHARS);
  if (!withdrawing && trimmed.length === 0) return { ok: false, code: "note-required" };
  const status: ChangeStatus = withdrawing ? "withdrawn" : "rejected";
  if (!(await claim(id, status, actorId, now, trimmed || null))) return { ok: false, code: "not-pending" };
  const kind = request.kind as ChangeKind;
  await recordAudit({
    subject: subjectOf(kind, request.subject),
    actorId,
    action: withdrawing ? "change_withdrawn" : "change_rejected",
    detail: { requestId: id, kind, ...(trimmed ? { note: trimmed } : {}) },
    at: now,
  });
  return { ok: true, value: { status } };
}

export type PendingChange = Awaited<ReturnType<typeof listPendingChanges>>[number];

/**
 * The approve / send back / withdraw forms of a pending change (components/studio/pending-change),
 * for the page's action: null when the form is not one of them.
 */
export async function decideFromForm(
  form: FormData,
  actorId: string,
  scope: RegulatorScope,
): Promise<DecisionResult | null> {
  const intent = form.get("intent");
  const id = String(form.get("requestId") ?? "");
  if (intent === "approve-change") return approveChange(id, actorId, scope);
  if (intent === "decline-change") return declineChange(id, actorId, scope, String(form.get("note") ?? ""));
  return null;
}
