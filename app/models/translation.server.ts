// Translators' files in the studio (ADR 020): a case version's or draft's texts as XLIFF for an
// agency, and the translated file back as a new draft (never over the version or draft it came
// from); a catalog's, as a catalog change waiting for a second person. Each import records, per case
// (or catalog) and target locale, the hash of every source text it was translated from, so the next
// export marks the texts changed since for review.
import {
  exportXliff,
  importXliff,
  type CaseFile,
  type Catalog,
  type Diagnostic,
  type Locale,
  type XliffBaseline,
  type XliffFailure,
  type XliffFailureCode,
  type XliffImport,
  type XliffReview,
  type XliffUnitDiagnostic,
  type XliffVersion,
} from "~/engine";
import { getDb } from "~/utils/db.server";
import { fail, ok } from "~/utils/result";
import { scopeFilter, type RegulatorScope } from "~/utils/roles";
import { recordAudit } from "./audit.server";
import { requestCatalogPublish } from "./change-request.server";
import type { StudioTarget } from "./studio-view.server";
import { createDraft, onlyRegulator } from "./studio.server";

/** The case's regulator: the draft's, or the published file's. */
function regulatorOf(target: StudioTarget): string {
  return target.draft?.regulator ?? target.caseFile?.regulator ?? "";
}

function auditSubject(target: StudioTarget): string {
  return target.slug || `draft:${target.draft?.id ?? ""}`;
}

function where(target: StudioTarget) {
  return target.kind === "draft" ? { draftId: target.draft?.id } : { version: target.version };
}

/** The hashes the last import into `targetLocale` recorded for the case, if any. */
export async function translationBaseline(
  slug: string,
  regulator: string,
  targetLocale: Locale,
): Promise<XliffBaseline | null> {
  const row = await getDb().translationBaseline.findUnique({ where: { slug_targetLocale: { slug, targetLocale } } });
  if (!row || row.regulator !== regulator) return null;
  try {
    const hashes = JSON.parse(row.hashes) as unknown;
    return typeof hashes === "object" && hashes !== null ? (hashes as XliffBaseline) : null;
  } catch {
    return null;
  }
}

/** How many units a file holds, and how many of them are marked for review. */
function countUnits(xml: string): { units: number; review: number } {
  return {
    units: (xml.match(/<(unit|trans-unit) /g) ?? []).length,
    review: (xml.match(/state="(initial|needs-review-translation)"/g) ?? []).length,
  };
}

/** Replaces the baseline of `key` (a case slug, or `catalog:<id>`) into the import's target locale. */
async function saveBaseline(
  key: string,
  regulator: string,
  imported: XliffImport,
  draftId: string | null,
  actorId: string,
): Promise<void> {
  const id = { slug: key, targetLocale: imported.targetLocale };
  const row = {
    regulator,
    sourceLocale: imported.sourceLocale,
    hashes: JSON.stringify(imported.baseline),
    draftId,
    updatedAt: new Date(),
    updatedById: actorId,
  };
  await getDb().translationBaseline.upsert({
    where: { slug_targetLocale: id },
    create: { ...id, ...row },
    update: row,
  });
}

export type TranslationExportError = "invalid-case" | "same-locale" | "locale-not-listed";

/**
 * A case's or catalog's texts as XLIFF into `options.targetLocale`, from its other locale, marked
 * against the baseline the last import recorded under `baseline.key`; with the file's unit counts.
 */
async function exportMarked(
  value: CaseFile | Catalog,
  locales: readonly Locale[],
  options: { targetLocale: Locale; version: XliffVersion },
  baseline: { key: string; regulator: string; original: string },
) {
  if (!locales.includes(options.targetLocale)) return fail("locale-not-listed");
  const sourceLocale = locales.find((l) => l !== options.targetLocale);
  if (!sourceLocale) return fail("same-locale");
  const hashes = await translationBaseline(baseline.key, baseline.regulator, options.targetLocale);
  const xml = exportXliff(value, {
    sourceLocale,
    targetLocale: options.targetLocale,
    version: options.version,
    original: baseline.original,
    ...(hashes ? { baseline: hashes } : {}),
  });
  return ok({ xml, sourceLocale, ...countUnits(xml) });
}

/** The target's texts as XLIFF, marked against the last import's baseline; audited. */
export async function exportTranslation(
  target: StudioTarget,
  options: { targetLocale: Locale; version: XliffVersion },
  actorId: string,
): Promise<
  | { ok: true; value: { xml: string; fileName: string; units: number; review: number } }
  | { ok: false; code: TranslationExportError }
> {
  const caseFile = target.caseFile;
  if (!caseFile) return { ok: false, code: "invalid-case" };
  const exported = await exportMarked(target.value as CaseFile, caseFile.locales, options, {
    key: caseFile.slug,
    regulator: caseFile.regulator,
    original: `${caseFile.slug}.json`,
  });
  if (!exported.ok) return exported;
  const { xml, sourceLocale, units, review } = exported.value;
  await recordAudit({
    subject: auditSubject(target),
    actorId,
    action: "translation_exported",
    detail: {
      ...where(target),
      sourceLocale,
      targetLocale: options.targetLocale,
      xliff: options.version,
      units,
      review,
    },
  });
  const suffix = target.kind === "draft" ? "draft" : `v${target.version}`;
  const fileName = `${caseFile.slug}-${suffix}.${options.targetLocale}.xlf`;
  return { ok: true, value: { xml, fileName, units, review } };
}

export type TranslationImportError = XliffFailureCode | "invalid-case" | "other-regulator";

export type TranslationImported = {
  draftId: string;
  applied: number;
  unchanged: number;
  untranslated: number;
  needsReview: XliffReview[];
  diagnostics: XliffUnitDiagnostic[];
  sourceLocale: Locale;
  targetLocale: Locale;
};

/** A refused XLIFF file as the studio answers it: its code, and the reason with its line. */
function xliffRefusal(result: XliffFailure) {
  return {
    ok: false as const,
    code: result.code,
    message: result.line ? `line ${result.line}: ${result.message}` : result.message,
  };
}

/**
 * Applies a translated XLIFF file to the target's source and saves the result as a new draft of
 * the case (createDraft: the version or draft it came from is untouched). Nothing is written when
 * the file as a whole is refused. The new draft is validated like any draft (raw HTML a translator
 * typed shows there as an error, pinned to its line).
 */
export async function importTranslation(
  target: StudioTarget,
  xml: string,
  fileName: string,
  actorId: string,
): Promise<{ ok: true; value: TranslationImported } | { ok: false; code: TranslationImportError; message?: string }> {
  const caseFile = target.caseFile;
  if (!caseFile) return { ok: false, code: "invalid-case" };
  const result = importXliff(xml, target.value as CaseFile);
  if (!result.ok) return xliffRefusal(result);
  const imported = result.value;
  const source = `${JSON.stringify(imported.value, null, 2)}\n`;
  const regulator = regulatorOf(target);
  const draft = await createDraft(source, actorId, onlyRegulator(regulator), {
    xliff: fileName,
    ...(target.kind === "draft" ? { fromDraft: target.draft?.id } : { fromVersion: target.version }),
    targetLocale: imported.targetLocale,
  });
  if (!draft.ok) return { ok: false, code: "other-regulator" };
  await saveBaseline(caseFile.slug, regulator, imported, draft.value.id, actorId);
  await recordAudit({
    subject: auditSubject(target),
    actorId,
    action: "translation_imported",
    detail: {
      ...where(target),
      draftId: draft.value.id,
      file: fileName,
      sourceLocale: imported.sourceLocale,
      targetLocale: imported.targetLocale,
      applied: imported.applied,
      review: imported.needsReview.length,
      skipped: imported.diagnostics.length,
    },
  });
  return {
    ok: true,
    value: {
      draftId: draft.value.id,
      applied: imported.applied,
      unchanged: imported.unchanged,
      untranslated: imported.untranslated,
      needsReview: imported.needsReview,
      diagnostics: imported.diagnostics,
      sourceLocale: imported.sourceLocale,
      targetLocale: imported.targetLocale,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Catalogs: the same files, but a translated catalog is not a draft. It takes the road every catalog
// change takes (change-request.server.ts): a new version once a second person approves it.

/** The baseline key of a catalog: case slugs have no ":", so it never meets a case's. */
const catalogKey = (catalogId: string) => `catalog:${catalogId}`;

/** A catalog version in scope, as its file was uploaded (the CLI reads the file, not the parsed defaults). */
async function catalogFile(catalogId: string, scope: RegulatorScope, sequence?: number) {
  const row = await getDb().catalogVersion.findFirst({
    where: { catalogId, catalog: { regulator: scopeFilter(scope) }, ...(sequence !== undefined ? { sequence } : {}) },
    orderBy: { sequence: "desc" },
    include: { catalog: { select: { regulator: true } } },
  });
  if (!row) return null;
  return { sequence: row.sequence, regulator: row.catalog.regulator, value: JSON.parse(row.source) as Catalog };
}

/** A catalog version's texts as XLIFF, the CLI's file, marked against the last import's baseline; audited. */
export async function exportCatalogTranslation(
  catalogId: string,
  sequence: number,
  scope: RegulatorScope,
  options: { targetLocale: Locale; version: XliffVersion },
  actorId: string,
): Promise<
  | { ok: true; value: { xml: string; fileName: string; units: number; review: number } }
  | { ok: false; code: Exclude<TranslationExportError, "invalid-case"> | "not-found" }
> {
  const found = await catalogFile(catalogId, scope, sequence);
  if (!found) return { ok: false, code: "not-found" };
  const exported = await exportMarked(found.value, found.value.locales ?? ["en", "fr"], options, {
    key: catalogKey(catalogId),
    regulator: found.regulator,
    original: `${catalogId}.json`,
  });
  if (!exported.ok) return exported;
  const { xml, sourceLocale, units, review } = exported.value;
  await recordAudit({
    subject: catalogKey(catalogId),
    actorId,
    action: "translation_exported",
    detail: { sequence, sourceLocale, targetLocale: options.targetLocale, xliff: options.version, units, review },
  });
  return { ok: true, value: { xml, fileName: `${catalogId}-v${sequence}.${options.targetLocale}.xlf`, units, review } };
}

export type CatalogTranslationImportError = XliffFailureCode | "not-found" | "invalid-catalog" | "already-pending";

export type CatalogTranslationImported = Omit<TranslationImported, "draftId"> & {
  /** The change request waiting for a second person; null when the file changes nothing. */
  requestId: string | null;
  /** The version the translations were applied to (the latest). */
  sequence: number;
};

/**
 * Applies a translated XLIFF file to the catalog's latest version (what a new version replaces) and
 * asks for the result to be published, like an uploaded catalog: a second person approves it. The file
 * refused as a whole, a result that does not validate, or one already waiting: nothing is written. A
 * result identical to the latest version (nothing translated) changes nothing and writes nothing.
 */
export async function importCatalogTranslation(
  catalogId: string,
  xml: string,
  fileName: string,
  actorId: string,
  scope: RegulatorScope,
): Promise<
  | { ok: true; value: CatalogTranslationImported }
  | { ok: false; code: CatalogTranslationImportError; message?: string; diagnostics?: Diagnostic[] }
> {
  const found = await catalogFile(catalogId, scope);
  if (!found) return { ok: false, code: "not-found" };
  const result = importXliff(xml, found.value);
  if (!result.ok) return xliffRefusal(result);
  const imported = result.value;
  const text = `${JSON.stringify(imported.value, null, 2)}\n`;
  const requested = await requestCatalogPublish(`${catalogId}.json`, text, actorId, scope);
  const summary = {
    sequence: found.sequence,
    applied: imported.applied,
    unchanged: imported.unchanged,
    untranslated: imported.untranslated,
    needsReview: imported.needsReview,
    diagnostics: imported.diagnostics,
    sourceLocale: imported.sourceLocale,
    targetLocale: imported.targetLocale,
  };
  if (!requested.ok) {
    if (requested.code === "unchanged") return { ok: true, value: { ...summary, requestId: null } };
    if (requested.code === "invalid") {
      // What a translator typed that no catalog may hold (raw HTML...), at its JSON pointer.
      const message = requested.diagnostics
        .filter((d) => d.severity === "error")
        .map((d) => `${d.path}: ${d.message}`)
        .join("; ");
      return { ok: false, code: "invalid-catalog", message, diagnostics: requested.diagnostics };
    }
    return { ok: false, code: requested.code === "already-pending" ? "already-pending" : "not-found" };
  }
  const requestId = requested.value.id;
  await saveBaseline(catalogKey(catalogId), found.regulator, imported, null, actorId);
  await recordAudit({
    subject: catalogKey(catalogId),
    actorId,
    action: "catalog_translation_imported",
    detail: {
      sequence: found.sequence,
      requestId,
      file: fileName,
      sourceLocale: imported.sourceLocale,
      targetLocale: imported.targetLocale,
      applied: imported.applied,
      review: imported.needsReview.length,
      skipped: imported.diagnostics.length,
    },
  });
  return { ok: true, value: { ...summary, requestId } };
}
