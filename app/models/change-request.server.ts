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
import { contentHash, publishContent } from "./content.server";
import { forgetRegulatorBrands } from "./regulator-brand.server";
import {
  checkProfileUpload,
  unchangedVersion,
  type CheckedProfile,
  type ProfileUpload,
} from "./regulator-profile.server";
import { MAX_NOTE_CHARS, publishCatalogUpload, retireCase } from "./studio.server";

export type ChangeKind = "catalog_publish" | "case_retire" | "regulator_profile";

/** What the studio's pages decide; a regulator profile is decided in the admin area, by its admins. */
export const STUDIO_CHANGES: readonly ChangeKind[] = ["catalog_publish", "case_retire"];
export const PROFILE_CHANGES: readonly ChangeKind[] = ["regulator_profile"];
export type ChangeStatus = "pending" | "approved" | "rejected" | "withdrawn";

const subjectOf = (kind: ChangeKind, subject: string) =>
  kind === "catalog_publish" ? `catalog:${subject}` : kind === "regulator_profile" ? `regulator:${subject}` : subject;

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

/** The payload a profile change keeps: the file as uploaded and the logo it comes with, if any. */
type ProfilePayload = { file: string; text: string; logo: string | null };

const profileUpload = (payload: string): ProfileUpload => {
  const { file, text, logo } = JSON.parse(payload) as ProfilePayload;
  return { file, text, ...(logo ? { logo: new Uint8Array(Buffer.from(logo, "base64")) } : {}) };
};

/**
 * A new version of a regulator's profile (its name, clock, logo, certificate wording...), uploaded by
 * an admin of that regulator: checked like cases:check, and published only when another admin of it
 * (or an operator) approves. A regulator that has no profile yet is made by an operator only.
 */
export async function requestProfileChange(
  upload: ProfileUpload,
  actorId: string,
  adminScope: RegulatorScope,
): Promise<RequestResult> {
  const checked = await checkProfileUpload(upload);
  if (!checked.ok) return checked;
  const { profile } = checked.value;
  const exists = (await getDb().regulator.count({ where: { id: profile.id } })) > 0;
  if (!inScope(adminScope, profile.id) || (!exists && !adminScope.all)) {
    const at = pointerLocator(upload.text)?.("/id");
    const message = exists
      ? `you are not an admin of regulator "${profile.id}"`
      : `there is no regulator "${profile.id}": an operator adds a new regulator`;
    const diagnostic: Diagnostic = { severity: "error", file: upload.file, path: "/id", message, ...(at ?? {}) };
    return { ok: false, code: "invalid", diagnostics: [diagnostic] };
  }
  const same = await unchangedVersion(checked.value);
  if (same !== null) return { ok: false, code: "unchanged", version: same };
  const logo = checked.value.logo ? Buffer.from(checked.value.logo.bytes).toString("base64") : null;
  const payload: ProfilePayload = { file: upload.file, text: upload.text, logo };
  return open("regulator_profile", profile.id, profile.id, payload, actorId);
}

/** The profiles waiting for a second admin in scope (of one regulator if given), checked again now. */
export async function pendingProfiles(
  adminScope: RegulatorScope,
  regulatorId?: string,
): Promise<Array<{ id: string; regulatorId: string; checked: CheckedProfile | null }>> {
  const rows = await getDb().changeRequest.findMany({
    where: {
      kind: "regulator_profile",
      status: "pending",
      regulator: scopeFilter(adminScope),
      ...(regulatorId ? { subject: regulatorId } : {}),
    },
    orderBy: { requestedAt: "asc" },
    select: { id: true, subject: true, payload: true },
  });
  return Promise.all(
    rows.map(async (r) => {
      const checked = await checkProfileUpload(profileUpload(r.payload));
      return { id: r.id, regulatorId: r.subject, checked: checked.ok ? checked.value : null };
    }),
  );
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

/** The files of the catalog versions waiting for a second person in scope (of one catalog if given). */
export async function pendingCatalogFiles(scope: RegulatorScope, catalogId?: string) {
  const rows = await getDb().changeRequest.findMany({
    where: {
      kind: "catalog_publish",
      status: "pending",
      regulator: scopeFilter(scope),
      ...(catalogId ? { subject: catalogId } : {}),
    },
    orderBy: { requestedAt: "asc" },
    select: { id: true, subject: true, payload: true },
  });
  return rows.map((r) => ({
    id: r.id,
    catalogId: r.subject,
    ...(JSON.parse(r.payload) as { file: string; text: string }),
  }));
}

export type DecisionResult =
  | { ok: true; value: { status: ChangeStatus; version?: number } }
  | { ok: false; code: "not-found" | "not-pending" | "own-request" | "not-requester" | "note-required" }
  | { ok: false; code: "failed"; message?: string; diagnostics?: Diagnostic[] };

/** Which kinds of change a page decides (a profile only in the admin area), and the clock for tests. */
export type DecideOptions = { kinds?: readonly ChangeKind[]; now?: Date };

async function findPending(id: string, scope: RegulatorScope, kinds: readonly ChangeKind[]) {
  return getDb().changeRequest.findFirst({ where: { id, regulator: scopeFilter(scope), kind: { in: [...kinds] } } });
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
  { kinds = STUDIO_CHANGES, now = new Date() }: DecideOptions = {},
): Promise<DecisionResult> {
  const request = await findPending(id, scope, kinds);
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
  if (kind === "regulator_profile") {
    // Checked again: the logo kept from the current version, or a limit, may have changed since.
    const checked = await checkProfileUpload(profileUpload(request.payload));
    if (!checked.ok) {
      await undo(checked.diagnostics[0]?.message ?? "the profile no longer validates");
      return { ok: false, code: "failed", diagnostics: checked.diagnostics };
    }
    const [published] = await publishContent(
      getDb(),
      { regulators: [checked.value], catalogs: [], cases: [] },
      { actorId, now },
    );
    // This process's pages show the new name, logo and colour at once (other instances within 30 s).
    forgetRegulatorBrands();
    return { ok: true, value: { status: "approved", version: published?.version } };
  }
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
  { kinds = STUDIO_CHANGES, now = new Date() }: DecideOptions = {},
): Promise<DecisionResult> {
  // `scope` is where the person reviews; the asker may withdraw their own request without being a reviewer.
  const request =
    (await findPending(id, scope, kinds)) ??
    (await getDb().changeRequest.findFirst({ where: { id, requestedById: actorId, kind: { in: [...kinds] } } }));
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
  kinds: readonly ChangeKind[] = STUDIO_CHANGES,
): Promise<DecisionResult | null> {
  const intent = form.get("intent");
  const id = String(form.get("requestId") ?? "");
  if (intent === "approve-change") return approveChange(id, actorId, scope, { kinds });
  if (intent === "decline-change") return declineChange(id, actorId, scope, String(form.get("note") ?? ""), { kinds });
  return null;
}
