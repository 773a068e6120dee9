// The authoring studio: drafts of case files, their review, publication and retirement. A draft is
// mutable text until it is submitted; approval by someone else publishes it through
// publishContent (the one way to publish), so published versions stay immutable. Every status
// change is written to the append-only audit log.
import {
  caseImageRefs,
  catalogCodes,
  FORMAT_LIMITS,
  hasErrors,
  isRecord,
  parseJson,
  pointerLocator,
  sortDiagnostics,
  validateCase,
  validateCatalog,
  type CaseValidation,
  type CaseFile,
  type Catalog,
  type Diagnostic,
} from "~/engine";
import { getDb } from "~/utils/db.server";
import { zonedMidnight } from "~/utils/format";
import { forbidden } from "~/utils/http.server";
import { logEvent } from "~/utils/log.server";
import { fail, ok, type Failure, type Success } from "~/utils/result";
import { inScope, isEmptyScope, regulatorScope, scopeFilter, type RegulatorScope } from "~/utils/roles";
import { requireRole, type CurrentSession } from "~/utils/session.server";
import { listAudit, recordAudit } from "./audit.server";
import { missingImages } from "./case-image.server";
import { contentHash, publishContent, PublishError, type PublishStatus } from "./content.server";

/** Uploaded files larger than the format allows are refused before they are read. */
export const MAX_UPLOAD_BYTES = FORMAT_LIMITS.fileBytes;
/** A source typed in the editor: the validator then holds it to the format's byte limit. */
export const MAX_SOURCE_CHARS = FORMAT_LIMITS.fileBytes;
export const MAX_NOTE_CHARS = 2_000;

/** The case source posted in a form's `source` field, or why it cannot be taken. */
export function readSource(form: FormData): { ok: true; source: string } | { ok: false; error: "empty" | "tooLong" } {
  const source = form.get("source");
  if (typeof source !== "string" || source.trim() === "") return { ok: false, error: "empty" };
  if (source.length > MAX_SOURCE_CHARS) return { ok: false, error: "tooLong" };
  return { ok: true, source };
}

/** A small complete case for a new draft, scored against a catalog that exists. */
export function starterSource(catalog: Catalog | undefined): string {
  const id = catalog?.id ?? "your-catalog";
  const code = catalog ? (catalogCodes(catalog).at(-1) ?? "1") : "1";
  const value = {
    format: 1,
    slug: "new-case",
    regulator: catalog?.regulator ?? "your-regulator",
    locales: ["en", "fr"],
    title: { en: "New case", fr: "Nouveau cas" },
    summary: { en: "One sentence about the situation.", fr: "Une phrase sur la situation." },
    profession: "occupational-therapy",
    release: new Date().toISOString().slice(0, 7),
    credit: { hours: 0.25, category: "ethics" },
    passMark: 0.7,
    standards: [id],
    start: "context",
    nodes: {
      context: { kind: "scene", body: { en: "What happens.", fr: "Ce qui se passe." }, next: "q1" },
      q1: {
        kind: "decision",
        prompt: { en: "What do you do?", fr: "Que faites-vous?" },
        choices: [
          {
            id: "good",
            label: { en: "The right thing", fr: "Ce qu'il faut faire" },
            next: "end",
            effects: [{ standard: `${id}:${code}`, points: 1 }],
          },
          {
            id: "poor",
            label: { en: "Something else", fr: "Autre chose" },
            next: "end",
            effects: [{ standard: `${id}:${code}`, points: -1 }],
          },
        ],
      },
      end: { kind: "outcome", title: { en: "The end", fr: "La fin" }, body: { en: "What follows.", fr: "La suite." } },
    },
  };
  return `${JSON.stringify(value, null, 2)}\n`;
}

/**
 * An empty case for the visual editor: the case's settings with nothing filled in but what has a
 * sensible default, and no nodes. The validator lists what is left to write.
 */
export function emptySource(regulator: string, now = new Date()): string {
  const value = {
    format: 1,
    slug: "",
    regulator,
    locales: ["en", "fr"],
    title: {},
    summary: {},
    profession: "",
    release: now.toISOString().slice(0, 7),
    credit: { hours: 0.25, category: "" },
    passMark: 0.7,
    standards: [],
    start: "",
    nodes: {},
  };
  return `${JSON.stringify(value, null, 2)}\n`;
}

export type DraftStatus = "editing" | "in_review" | "approved" | "rejected";
export type VersionStatus = "scheduled" | "published" | "retired";
export type PublishMode = "publish_now" | "release_month";

/**
 * A studio session: the person, the regulators whose content they may change (`scope`: author), and
 * where they may look (`readScope`: author or reviewer) and approve or send back (`reviewScope`).
 */
export type StudioSession = CurrentSession & {
  scope: RegulatorScope;
  readScope: RegulatorScope;
  reviewScope: RegulatorScope;
};

/**
 * Every studio loader and action starts here: authors and reviewers (and admins) only, 403 for anyone
 * else. Every read and change below takes a scope, and content outside it reads as not found.
 */
export async function requireStudio(request: Request): Promise<StudioSession> {
  const session = await requireRole(request, "author", "reviewer");
  return {
    ...session,
    scope: regulatorScope(session.user, "author"),
    readScope: regulatorScope(session.user, "author", "reviewer"),
    reviewScope: regulatorScope(session.user, "reviewer"),
  };
}

/**
 * 403 unless the person may do this: edit (author) or review, for `regulator` or, without one,
 * for some regulator. A reviewer sees a draft but may not change it; an author may not approve.
 */
export function requireStudioRight(session: StudioSession, right: "edit" | "review", regulator?: string): void {
  const scope = right === "edit" ? session.scope : session.reviewScope;
  const allowed = regulator === undefined ? !isEmptyScope(scope) : inScope(scope, regulator);
  if (!allowed) throw forbidden();
}

/** requireStudio for the pages that only make things (new draft, upload): authors only. */
export async function requireStudioAuthor(request: Request): Promise<StudioSession> {
  const session = await requireStudio(request);
  requireStudioRight(session, "edit");
  return session;
}

/** A scope of exactly one regulator: what a draft may name (it belongs to one for life). */
export const onlyRegulator = (regulator: string): RegulatorScope => ({ all: false, regulators: new Set([regulator]) });

// ---------------------------------------------------------------------------------------------
// Checking a case source the way cases:check does, plus what only the database knows.

/** The latest version of every standards catalog, as drafts are validated and published against. */
export async function latestCatalogs(): Promise<Map<string, Catalog>> {
  const rows = await getDb().catalogVersion.findMany({ orderBy: [{ catalogId: "asc" }, { sequence: "desc" }] });
  const map = new Map<string, Catalog>();
  for (const row of rows) if (!map.has(row.catalogId)) map.set(row.catalogId, JSON.parse(row.content) as Catalog);
  return map;
}

/** The latest catalogs of the regulators in scope (what an editor offers). */
export async function catalogsInScope(scope: RegulatorScope): Promise<Catalog[]> {
  return [...(await latestCatalogs()).values()].filter((catalog) => inScope(scope, catalog.regulator));
}

/** The JSON object in a source, if it parses to one (a draft may be half-written). */
function objectOf(source: string): Record<string, unknown> | undefined {
  const parsed = parseJson(source);
  return parsed.ok && isRecord(parsed.value) ? parsed.value : undefined;
}

function slugIn(value: Record<string, unknown> | undefined): string {
  return typeof value?.slug === "string" ? value.slug.slice(0, 200) : "";
}

/** The `slug` written in a source, or "" while it has none (the text may be invalid). */
export function slugOf(source: string): string {
  return slugIn(objectOf(source));
}

/** The `regulator` written in a source, or "" while it has none. */
export function regulatorOf(source: string): string {
  const regulator = objectOf(source)?.regulator;
  return typeof regulator === "string" ? regulator.slice(0, 200) : "";
}

export function caseFileName(slug: string): string {
  return `${slug || "draft"}.json`;
}

/** validateCase's answer (a case file and its analysis only when there are no errors), and the slug. */
export type SourceCheck = CaseValidation & { slug: string };

/**
 * validateCase against the published catalogs, then: the case must be of a regulator in `allowed`
 * (the person's scope, or a draft's own regulator), and the slug must not be another regulator's.
 */
export async function checkCaseSource(
  source: string,
  file: string,
  allowed: RegulatorScope,
  catalogs?: Map<string, Catalog>,
): Promise<SourceCheck> {
  const result = validateCase({ file, text: source }, catalogs ?? (await latestCatalogs()));
  const diagnostics = [...result.diagnostics];
  // The text validateCase already read (parsed again only when it could not read it, e.g. over the size limit).
  const value = result.value === undefined ? objectOf(source) : isRecord(result.value) ? result.value : undefined;
  const slug = slugIn(value);
  const regulator = value?.regulator;
  if (typeof regulator === "string" && !inScope(allowed, regulator)) {
    const at = pointerLocator(source)?.("/regulator");
    const mine = allowed.all ? [] : [...allowed.regulators];
    diagnostics.push({
      severity: "error",
      file,
      path: "/regulator",
      message:
        mine.length === 1
          ? `this case must be of regulator "${mine[0]}", not "${regulator}"`
          : `you do not author cases of regulator "${regulator}"${mine.length ? `: yours are ${mine.map((id) => `"${id}"`).join(", ")}` : ""}`,
      ...(at ? { line: at.line, column: at.column } : {}),
    });
  }
  if (slug && typeof regulator === "string") {
    const existing = await getDb().case.findUnique({ where: { slug } });
    if (existing && existing.regulator !== regulator) {
      const at = pointerLocator(source)?.("/slug");
      diagnostics.push({
        severity: "error",
        file,
        path: "/slug",
        message: `the slug "${slug}" belongs to a case of regulator "${existing.regulator}", not "${regulator}": choose another slug`,
        ...(at ? { line: at.line, column: at.column } : {}),
      });
    }
  }
  if (typeof regulator === "string")
    diagnostics.push(...(await missingImageDiagnostics(value, regulator, source, file)));
  const sorted = sortDiagnostics(diagnostics);
  return result.caseFile && !hasErrors(sorted)
    ? { diagnostics: sorted, caseFile: result.caseFile, analysis: result.analysis, slug, value: result.value }
    : { diagnostics: sorted, analysis: result.analysis, slug, value: result.value };
}

/** An image the case names must be stored for its regulator (uploaded, or imported with its archive). */
async function missingImageDiagnostics(
  value: Record<string, unknown> | undefined,
  regulator: string,
  source: string,
  file: string,
): Promise<Diagnostic[]> {
  const refs = caseImageRefs(value);
  const missing = await missingImages(
    regulator,
    refs.map((ref) => ref.hash),
  );
  const locate = missing.size > 0 ? pointerLocator(source) : undefined;
  return refs
    .filter((ref) => missing.has(ref.hash))
    .map((ref) => {
      const at = locate?.(ref.path);
      return {
        severity: "error" as const,
        file,
        path: ref.path,
        message: `no image "sha256:${ref.hash.slice(0, 12)}…" is stored for regulator "${regulator}": upload it on the draft's Images page, or import the case's archive`,
        ...(at ? { line: at.line, column: at.column } : {}),
      };
    });
}

// ---------------------------------------------------------------------------------------------
// Status of published versions

export function versionStatus(version: { status: string; publishedAt: Date | null }, now = new Date()): VersionStatus {
  if (version.status === "retired") return "retired";
  if (version.publishedAt && version.publishedAt.getTime() > now.getTime()) return "scheduled";
  return "published";
}

/** A case is retired once it has versions and every one of them is retired. */
export function isRetired(versions: ReadonlyArray<{ status: string }>): boolean {
  return versions.length > 0 && versions.every((v) => v.status === "retired");
}

/** First day of a release month (YYYY-MM) at 00:00 on the regulators' clock, as an instant. */
export function releaseMonthStart(release: string): Date {
  const [year, month] = release.split("-").map(Number);
  return zonedMidnight(year!, month!, 1);
}

/** When an approved draft reaches learners: now, or its release month (now if that has passed). */
export function publishAtFor(mode: PublishMode, release: string, now = new Date()): Date {
  if (mode === "publish_now") return now;
  const start = releaseMonthStart(release);
  return start.getTime() > now.getTime() ? start : now;
}

// ---------------------------------------------------------------------------------------------
// Lists

async function userNames(ids: Array<string | null | undefined>): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id): id is string => typeof id === "string"))];
  if (wanted.length === 0) return new Map();
  const users = await getDb().user.findMany({ where: { id: { in: wanted } }, select: { id: true, name: true } });
  return new Map(users.map((u) => [u.id, u.name]));
}

type DraftRow = Awaited<ReturnType<ReturnType<typeof getDb>["caseDraft"]["findMany"]>>[number];

/** Include this to know who wrote a draft (mayReview needs it). */
const withEditors = { editors: { select: { userId: true } } } as const;

function draftSummary(d: DraftRow & { editors?: { userId: string }[] }, names: Map<string, string>) {
  return {
    id: d.id,
    slug: d.slug,
    regulator: d.regulator,
    status: d.status as DraftStatus,
    createdById: d.createdById,
    createdBy: names.get(d.createdById) ?? null,
    updatedById: d.updatedById,
    updatedBy: names.get(d.updatedById) ?? null,
    submittedById: d.submittedById,
    submittedBy: d.submittedById ? (names.get(d.submittedById) ?? null) : null,
    submittedAt: d.submittedAt,
    reviewedBy: d.reviewedById ? (names.get(d.reviewedById) ?? null) : null,
    reviewedAt: d.reviewedAt,
    reviewNote: d.reviewNote,
    publishMode: d.publishMode as PublishMode | null,
    caseVersionId: d.caseVersionId,
    revision: d.revision,
    updatedAt: d.updatedAt,
    createdAt: d.createdAt,
    /** Everyone who saved any version of it; without the include, those the row itself names. */
    editorIds: d.editors?.map((e) => e.userId) ?? [d.createdById, d.updatedById],
  };
}
export type DraftSummary = ReturnType<typeof draftSummary>;

/** Every case in scope with its versions and open drafts, and drafts of cases not published yet. */
export async function listStudioCases(scope: RegulatorScope, now = new Date()) {
  const db = getDb();
  const cases = await db.case.findMany({
    where: { regulator: scopeFilter(scope) },
    orderBy: { slug: "asc" },
    include: {
      versions: {
        orderBy: { version: "desc" },
        select: {
          id: true,
          version: true,
          status: true,
          publishedAt: true,
          release: true,
          title: true,
          createdAt: true,
        },
      },
    },
  });
  const drafts = await db.caseDraft.findMany({
    where: { status: { not: "approved" }, regulator: scopeFilter(scope) },
    orderBy: { updatedAt: "desc" },
  });
  const names = await userNames(drafts.flatMap((d) => [d.createdById, d.updatedById, d.submittedById, d.reviewedById]));
  const summaries = drafts.map((d) => draftSummary(d, names));
  const slugs = new Set(cases.map((c) => c.slug));
  return {
    cases: cases.map((c) => ({
      slug: c.slug,
      regulator: c.regulator,
      title: JSON.parse(c.versions[0]?.title ?? "{}") as Record<string, string>,
      versions: c.versions.map((v) => ({
        version: v.version,
        status: versionStatus(v, now),
        release: v.release,
        publishedAt: v.publishedAt,
      })),
      drafts: summaries.filter((d) => d.slug === c.slug),
    })),
    newDrafts: summaries.filter((d) => !slugs.has(d.slug)),
  };
}

export async function getStudioCase(slug: string, scope: RegulatorScope, now = new Date()) {
  const db = getDb();
  const record = await db.case.findFirst({
    where: { slug, regulator: scopeFilter(scope) },
    include: {
      versions: {
        orderBy: { version: "desc" },
        include: { catalogs: { include: { catalogVersion: { select: { catalogId: true, sequence: true } } } } },
      },
    },
  });
  if (!record) return null;
  const drafts = await db.caseDraft.findMany({
    where: { slug, regulator: record.regulator },
    orderBy: { updatedAt: "desc" },
  });
  const audit = await listAudit(slug);
  const names = await userNames(drafts.flatMap((d) => [d.createdById, d.updatedById, d.submittedById, d.reviewedById]));
  return {
    slug: record.slug,
    regulator: record.regulator,
    title: JSON.parse(record.versions[0]?.title ?? "{}") as Record<string, string>,
    versions: record.versions.map((v) => ({
      id: v.id,
      version: v.version,
      status: versionStatus(v, now),
      release: v.release,
      publishedAt: v.publishedAt,
      createdAt: v.createdAt,
      contentHash: v.contentHash,
      passMark: v.passMark,
      bestTotal: v.bestTotal,
      decisionCount: v.decisionCount,
      catalogs: v.catalogs.map((l) => `${l.catalogVersion.catalogId} v${l.catalogVersion.sequence}`),
    })),
    drafts: drafts.map((d) => draftSummary(d, names)),
    audit,
  };
}

export async function getVersion(slug: string, version: number, scope: RegulatorScope) {
  if (!Number.isInteger(version) || version < 1) return null;
  return getDb().caseVersion.findFirst({
    where: { case: { slug, regulator: scopeFilter(scope) }, version },
    include: { case: true, catalogs: { include: { catalogVersion: true } } },
  });
}

/** A draft of a regulator in scope (null otherwise, as for a draft that does not exist). */
async function findDraft(id: string, scope: RegulatorScope) {
  return getDb().caseDraft.findFirst({ where: { id, regulator: scopeFilter(scope) }, include: withEditors });
}

export async function getDraft(id: string, scope: RegulatorScope) {
  const draft = await findDraft(id, scope);
  if (!draft) return null;
  const names = await userNames([draft.createdById, draft.updatedById, draft.submittedById, draft.reviewedById]);
  return { ...draftSummary(draft, names), source: draft.source };
}

/** Drafts in review, each saying whether this person may review it (not submitted or edited by them). */
export async function reviewQueue(userId: string, scope: RegulatorScope) {
  const drafts = await getDb().caseDraft.findMany({
    where: { status: "in_review", regulator: scopeFilter(scope) },
    orderBy: { submittedAt: "asc" },
    include: withEditors,
  });
  const names = await userNames(drafts.flatMap((d) => [d.createdById, d.updatedById, d.submittedById]));
  return drafts.map((d) => draftSummary(d, names)).map((d) => ({ ...d, canReview: mayReview(d, userId) }));
}

// ---------------------------------------------------------------------------------------------
// Draft workflow

function auditSubject(draft: { id: string; slug: string }): string {
  return draft.slug || `draft:${draft.id}`;
}

export type CreateDraftResult =
  | { ok: true; value: { id: string; slug: string; regulator: string } }
  | { ok: false; code: "other-regulator" | "no-regulator"; regulator?: string };

/**
 * A new draft, of the regulator its source names (which must be in the person's scope) or, while the
 * source names none, of the person's only regulator. It stays that regulator's for life.
 */
export async function createDraft(
  source: string,
  actorId: string,
  scope: RegulatorScope,
  detail: Record<string, unknown> = {},
): Promise<CreateDraftResult> {
  const slug = slugOf(source);
  const named = regulatorOf(source);
  const only = !scope.all && scope.regulators.size === 1 ? [...scope.regulators][0]! : "";
  const regulator = named || only;
  if (!regulator) return { ok: false, code: "no-regulator" };
  if (!inScope(scope, regulator)) return { ok: false, code: "other-regulator", regulator };
  const draft = await getDb().caseDraft.create({
    data: {
      slug,
      regulator,
      source,
      createdById: actorId,
      updatedById: actorId,
      status: "editing",
      editors: { create: { userId: actorId } },
    },
  });
  await recordAudit({
    subject: auditSubject(draft),
    actorId,
    action: "draft_created",
    detail: { draftId: draft.id, regulator, ...detail },
  });
  return { ok: true, value: { id: draft.id, slug, regulator } };
}

export type WorkflowError =
  | "not-found"
  | "not-editable"
  | "not-in-review"
  | "own-submission"
  | "not-submitter"
  | "invalid"
  | "unchanged"
  | "note-required"
  | "publish-failed";

/** What an approval published: the version, and whether it is new, or scheduled for its month. */
export type Approved = { version?: number; status?: PublishStatus };

/** A refused step, with what the author needs to fix it: the diagnostics, the version it repeats. */
export type WorkflowFailure = Failure<WorkflowError> & {
  diagnostics?: Diagnostic[];
  message?: string;
  version?: number;
};
export type WorkflowResult = Success<Approved | null> | WorkflowFailure;

const EDITABLE = ["editing", "rejected"];

/** Whether a draft in this status may be edited (and submitted). */
export function isEditable(status: string): boolean {
  return EDITABLE.includes(status);
}

/** The save another person (or tab) made since the one a refused save was based on. */
export type NewerSave = { revision: number; source: string; updatedBy: string | null; updatedAt: Date };

export type SaveError = "not-found" | "not-editable" | "conflict";
export type SaveResult = Success<{ revision: number }> | (Failure<SaveError> & { newer?: NewerSave });

async function newerSave(id: string): Promise<NewerSave | null> {
  const row = await getDb().caseDraft.findUnique({
    where: { id },
    select: { revision: true, source: true, updatedById: true, updatedAt: true },
  });
  if (!row) return null;
  const names = await userNames([row.updatedById]);
  return {
    revision: row.revision,
    source: row.source,
    updatedBy: names.get(row.updatedById) ?? null,
    updatedAt: row.updatedAt,
  };
}

/**
 * Saves the draft's source. `basedOn` is the revision the author's text started from: when someone
 * saved since, nothing is written and the answer carries their save, so the author decides (a save
 * without `basedOn` is the command line's and scripts': last one wins).
 */
export async function updateDraft(
  id: string,
  source: string,
  actorId: string,
  scope: RegulatorScope,
  basedOn?: number,
): Promise<SaveResult> {
  const db = getDb();
  const draft = await findDraft(id, scope);
  if (!draft) return fail("not-found");
  if (!isEditable(draft.status)) return fail("not-editable");
  if (draft.source === source && draft.status === "editing") return ok({ revision: draft.revision });
  if (basedOn !== undefined && basedOn !== draft.revision) {
    return { ...fail("conflict"), newer: (await newerSave(id)) ?? undefined };
  }
  const slug = slugOf(source);
  // The save and the record that this person wrote the draft go together: a save without it would
  // let its author approve their own change.
  const [updated] = await db.$transaction([
    db.caseDraft.updateMany({
      where: { id, status: { in: EDITABLE }, revision: draft.revision },
      data: { source, slug, updatedById: actorId, status: "editing", revision: { increment: 1 } },
    }),
    db.caseDraftEditor.upsert({
      where: { draftId_userId: { draftId: id, userId: actorId } },
      create: { draftId: id, userId: actorId },
      update: {},
    }),
  ]);
  if (updated.count === 0) {
    // Between the read and the write: submitted (no longer editable), or saved by someone else.
    const now = await db.caseDraft.findUnique({ where: { id }, select: { status: true } });
    if (!now || !isEditable(now.status)) return fail("not-editable");
    if (basedOn === undefined) return updateDraft(id, source, actorId, scope);
    return { ...fail("conflict"), newer: (await newerSave(id)) ?? undefined };
  }
  await recordAudit({
    subject: auditSubject({ id, slug }),
    actorId,
    action: "draft_updated",
    detail: { draftId: id, ...(slug !== draft.slug ? { previousSlug: draft.slug } : {}) },
  });
  return ok({ revision: draft.revision + 1 });
}

/** Latest published version of the slug with the same content, if any ("nothing to publish"). */
async function sameAsLatest(caseFile: CaseFile): Promise<number | null> {
  const latest = await getDb().caseVersion.findFirst({
    where: { case: { slug: caseFile.slug } },
    orderBy: { version: "desc" },
    select: { version: true, contentHash: true },
  });
  return latest && latest.contentHash === contentHash(caseFile) ? latest.version : null;
}

export async function submitDraft(
  id: string,
  actorId: string,
  scope: RegulatorScope,
  now = new Date(),
): Promise<WorkflowResult> {
  const db = getDb();
  const draft = await findDraft(id, scope);
  if (!draft) return fail("not-found");
  if (!isEditable(draft.status)) return fail("not-editable");
  const check = await checkCaseSource(draft.source, caseFileName(draft.slug), onlyRegulator(draft.regulator));
  if (!check.caseFile) return { ok: false, code: "invalid", diagnostics: check.diagnostics };
  const same = await sameAsLatest(check.caseFile);
  if (same !== null) return { ok: false, code: "unchanged", version: same };
  const updated = await db.caseDraft.updateMany({
    where: { id, status: { in: EDITABLE }, source: draft.source },
    data: {
      status: "in_review",
      submittedById: actorId,
      submittedAt: now,
      reviewedById: null,
      reviewedAt: null,
      reviewNote: null,
    },
  });
  if (updated.count === 0) return fail("not-editable");
  await recordAudit({ subject: auditSubject(draft), actorId, action: "submitted", detail: { draftId: id }, at: now });
  return ok(null);
}

/** Whether this author may take the draft back: its submitter, while it waits for review. */
export function mayWithdraw(draft: { status: string; submittedById: string | null }, actorId: string): boolean {
  return draft.status === "in_review" && draft.submittedById === actorId;
}

/** The submitter takes a draft back to editing before anyone reviews it. */
export async function withdrawDraft(id: string, actorId: string, scope: RegulatorScope): Promise<WorkflowResult> {
  const db = getDb();
  const draft = await findDraft(id, scope);
  if (!draft) return fail("not-found");
  if (draft.submittedById !== actorId) return fail("not-submitter");
  const updated = await db.caseDraft.updateMany({ where: { id, status: "in_review" }, data: { status: "editing" } });
  if (updated.count === 0) return fail("not-in-review");
  await recordAudit({ subject: auditSubject(draft), actorId, action: "withdrawn", detail: { draftId: id } });
  return ok(null);
}

/** Reviewers are other authors: neither the submitter nor the last editor. */
/**
 * Four eyes: the reviewer is someone who neither submitted the draft nor saved any version of it
 * (an author cannot get their own change approved by having a colleague re-save and submit it).
 */
export function mayReview(
  draft: { submittedById: string | null; editorIds: readonly string[] },
  actorId: string,
): boolean {
  return draft.submittedById !== actorId && !draft.editorIds.includes(actorId);
}

/** The draft a reviewer decides on: in scope, in review, and neither submitted nor edited by them. */
async function findForReview(id: string, scope: RegulatorScope, actorId: string) {
  const draft = await findDraft(id, scope);
  if (!draft) return fail("not-found");
  if (draft.status !== "in_review") return fail("not-in-review");
  if (!mayReview({ ...draft, editorIds: draft.editors.map((e) => e.userId) }, actorId)) return fail("own-submission");
  return ok(draft);
}

export async function rejectDraft(
  id: string,
  actorId: string,
  scope: RegulatorScope,
  note: string,
  now = new Date(),
): Promise<WorkflowResult> {
  const db = getDb();
  const found = await findForReview(id, scope, actorId);
  if (!found.ok) return found;
  const draft = found.value;
  const trimmed = note.trim().slice(0, MAX_NOTE_CHARS);
  if (trimmed.length === 0) return fail("note-required");
  const updated = await db.caseDraft.updateMany({
    where: { id, status: "in_review" },
    data: { status: "rejected", reviewedById: actorId, reviewedAt: now, reviewNote: trimmed },
  });
  if (updated.count === 0) return fail("not-in-review");
  await recordAudit({
    subject: auditSubject(draft),
    actorId,
    action: "rejected",
    detail: { draftId: id, note: trimmed },
    at: now,
  });
  return ok(null);
}

/**
 * Another author (or an admin) approves: the draft is published now or at its release month.
 * The draft is claimed first (in_review → approved) so two reviewers cannot both publish it.
 */
export async function approveDraft(
  id: string,
  actorId: string,
  scope: RegulatorScope,
  mode: PublishMode,
  now = new Date(),
): Promise<WorkflowResult> {
  const db = getDb();
  const found = await findForReview(id, scope, actorId);
  if (!found.ok) return found;
  const draft = found.value;
  // Catalogs may have changed since submission: check again against what publishing will use.
  const file = caseFileName(draft.slug);
  const check = await checkCaseSource(draft.source, file, onlyRegulator(draft.regulator));
  if (!check.caseFile) return { ok: false, code: "invalid", diagnostics: check.diagnostics };
  const same = await sameAsLatest(check.caseFile);
  if (same !== null) return { ok: false, code: "unchanged", version: same };
  const publishAt = publishAtFor(mode, check.caseFile.release, now);

  const claimed = await db.caseDraft.updateMany({
    where: { id, status: "in_review", source: draft.source },
    data: { status: "approved", reviewedById: actorId, reviewedAt: now, publishMode: mode, reviewNote: null },
  });
  if (claimed.count === 0) return fail("not-in-review");
  const subject = auditSubject(draft);
  await recordAudit({
    subject,
    actorId,
    action: "approved",
    detail: { draftId: id, publishMode: mode, publishAt: publishAt.toISOString() },
    at: now,
  });
  logEvent("content.draft_approved", { draftId: id, slug: draft.slug, actorId, publishMode: mode });
  try {
    const [report] = await publishContent(
      db,
      { catalogs: [], cases: [{ file, text: draft.source, caseFile: check.caseFile, analysis: check.analysis }] },
      { actorId, publishAt, now },
    );
    const version = await db.caseVersion.findFirst({
      where: { case: { slug: check.caseFile.slug }, version: report?.version ?? 0 },
      select: { id: true },
    });
    await db.caseDraft.update({ where: { id }, data: { caseVersionId: version?.id ?? null } });
    logEvent("content.published", {
      kind: "case",
      slug: check.caseFile.slug,
      version: report?.version,
      actorId,
      publishAt: publishAt.toISOString(),
    });
    return ok({ version: report?.version, status: report?.status });
  } catch (error) {
    // Nothing was published (one transaction): the draft goes back to review, and the log says why.
    await db.caseDraft.update({
      where: { id },
      data: { status: "in_review", reviewedById: null, reviewedAt: null, publishMode: null },
    });
    const message = error instanceof PublishError ? error.message : "publication failed";
    await recordAudit({ subject, actorId, action: "publish_failed", detail: { draftId: id, message } });
    if (!(error instanceof PublishError)) throw error;
    return { ok: false, code: "publish-failed", message };
  }
}

/** A new draft from a published version's exact source ("edit" never touches the version). */
export async function draftFromVersion(slug: string, version: number, actorId: string, scope: RegulatorScope) {
  const row = await getVersion(slug, version, scope);
  if (!row) return null;
  return createDraft(row.source, actorId, onlyRegulator(row.case.regulator), { fromVersion: version });
}

/** Takes every version of a case out of the learner catalog; attempts and completions stay. */
export async function retireCase(
  slug: string,
  actorId: string,
  scope: RegulatorScope,
  now = new Date(),
): Promise<{ ok: true; value: { versions: number[] } } | { ok: false; code: "not-found" | "already-retired" }> {
  const db = getDb();
  const record = await db.case.findFirst({
    where: { slug, regulator: scopeFilter(scope) },
    include: { versions: { where: { status: { not: "retired" } } } },
  });
  if (!record) return { ok: false, code: "not-found" };
  if (record.versions.length === 0) return { ok: false, code: "already-retired" };
  const versions = record.versions.map((v) => v.version);
  await db.$transaction(async (tx) => {
    await tx.caseVersion.updateMany({
      where: { caseId: record.id, status: { not: "retired" } },
      data: { status: "retired" },
    });
    await recordAudit({ subject: slug, actorId, action: "retired", detail: { versions }, at: now }, tx);
  });
  logEvent("content.retired", { kind: "case", slug, versions, actorId });
  return { ok: true, value: { versions } };
}

// ---------------------------------------------------------------------------------------------
// Uploads

export type CaseUploadResult =
  | { ok: false; diagnostics: Diagnostic[] }
  | { ok: true; status: "unchanged"; slug: string; version: number }
  | { ok: true; status: "draft"; draftId: string; slug: string };

/**
 * An uploaded case file is checked like cases:check. A broken file changes nothing; a file equal
 * to the latest published version is "unchanged"; anything else becomes a draft for review.
 */
export async function importCaseUpload(
  file: string,
  text: string,
  actorId: string,
  scope: RegulatorScope,
): Promise<CaseUploadResult> {
  const check = await checkCaseSource(text, file, scope);
  if (!check.caseFile) return { ok: false, diagnostics: check.diagnostics };
  const same = await sameAsLatest(check.caseFile);
  if (same !== null) return { ok: true, status: "unchanged", slug: check.caseFile.slug, version: same };
  // checkCaseSource has held the case's regulator to the scope: the draft is of that regulator.
  const draft = await createDraft(text, actorId, onlyRegulator(check.caseFile.regulator), { upload: file });
  if (!draft.ok) throw new Error(`a checked upload could not become a draft: ${draft.code}`);
  return { ok: true, status: "draft", draftId: draft.value.id, slug: check.caseFile.slug };
}

export type CatalogUploadResult =
  | { ok: false; diagnostics: Diagnostic[]; message?: string }
  | { ok: true; id: string; version: number; status: PublishStatus };

/** Catalogs are reference text, not scoring: a valid upload is published at once as a new version. */
export async function publishCatalogUpload(
  file: string,
  text: string,
  actorId: string,
  scope: RegulatorScope,
): Promise<CatalogUploadResult> {
  const result = validateCatalog({ file, text });
  if (!result.catalog) return { ok: false, diagnostics: result.diagnostics };
  if (!inScope(scope, result.catalog.regulator)) {
    const at = pointerLocator(text)?.("/regulator");
    const diagnostic: Diagnostic = {
      severity: "error",
      file,
      path: "/regulator",
      message: `you do not publish catalogs of regulator "${result.catalog.regulator}"`,
      ...(at ? { line: at.line, column: at.column } : {}),
    };
    return { ok: false, diagnostics: [diagnostic] };
  }
  const existing = await getDb().catalog.findUnique({ where: { id: result.catalog.id } });
  if (existing && existing.regulator !== result.catalog.regulator) {
    const at = pointerLocator(text)?.("/id");
    const diagnostic: Diagnostic = {
      severity: "error",
      file,
      path: "/id",
      message: `the catalog id "${existing.id}" belongs to regulator "${existing.regulator}": choose another id`,
      ...(at ? { line: at.line, column: at.column } : {}),
    };
    return { ok: false, diagnostics: [diagnostic] };
  }
  try {
    const [report] = await publishContent(
      getDb(),
      { catalogs: [{ file, text, catalog: result.catalog }], cases: [] },
      { actorId },
    );
    if (report!.status !== "unchanged") {
      logEvent("content.published", {
        kind: "catalog",
        catalogId: result.catalog.id,
        version: report!.version,
        actorId,
      });
    }
    return { ok: true, id: result.catalog.id, version: report!.version, status: report!.status };
  } catch (error) {
    if (error instanceof PublishError) return { ok: false, diagnostics: result.diagnostics, message: error.message };
    throw error;
  }
}

export async function listCatalogs(scope: RegulatorScope) {
  const catalogs = await getDb().catalog.findMany({
    where: { regulator: scopeFilter(scope) },
    orderBy: { id: "asc" },
    include: {
      versions: {
        orderBy: { sequence: "desc" },
        select: { sequence: true, label: true, effective: true, importedAt: true, content: true },
      },
    },
  });
  return catalogs.map((c) => ({
    id: c.id,
    regulator: c.regulator,
    title: (JSON.parse(c.versions[0]?.content ?? "{}") as Partial<Catalog>).title ?? {},
    versions: c.versions.map(({ content: _content, ...v }) => v),
  }));
}

export async function getCatalogVersion(id: string, scope: RegulatorScope, sequence?: number) {
  const db = getDb();
  const versions = await db.catalogVersion.findMany({
    where: { catalogId: id, catalog: { regulator: scopeFilter(scope) } },
    orderBy: { sequence: "desc" },
    select: { sequence: true, label: true, effective: true, importedAt: true },
  });
  if (versions.length === 0) return null;
  const chosen = sequence ?? versions[0]!.sequence;
  const row = await db.catalogVersion.findUnique({
    where: { catalogId_sequence: { catalogId: id, sequence: chosen } },
  });
  if (!row) return null;
  const audit = await listAudit(`catalog:${id}`);
  return { versions, row, catalog: JSON.parse(row.content) as Catalog, audit };
}
