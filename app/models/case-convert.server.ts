// Studio uploads of an H5P Branching Scenario or a Twine story: converted by the engine
// (app/engine/convert), saved as a new draft even when it does not validate yet (the draft page
// lists what is left), with the conversion's warnings kept in the draft's "draft_created" audit
// entry, where the draft page reads them back. docs/decisions/021-importers.md.
import type { Locale } from "~/engine";
import { convertCase, type ConvertFailureCode, type ConvertFormat, type ConvertWarning } from "~/engine/convert";
import { getDb } from "~/utils/db.server";
import { inScope, type RegulatorScope } from "~/utils/roles";
import { createDraft, onlyRegulator } from "./studio.server";

/** An .h5p carries its images and videos: uploads to convert may be larger than a case file. */
export const MAX_CONVERT_UPLOAD_BYTES = 16 * 1024 * 1024;
/** A conversion's warnings kept with the draft; more are counted, not kept. */
const MAX_KEPT_WARNINGS = 500;

export type Conversion = { file: string; format: ConvertFormat; warnings: ConvertWarning[]; more: number };

export type ConvertUploadResult =
  | { ok: true; value: { draftId: string; slug: string; warnings: number } }
  | { ok: false; code: ConvertFailureCode | "no-regulator"; message: string };

/** The regulators a person may import a case for (a chooser on the upload page when there are several). */
export async function importRegulators(scope: RegulatorScope): Promise<string[]> {
  if (!scope.all) return [...scope.regulators].sort();
  return (await getDb().regulator.findMany({ select: { id: true }, orderBy: { id: "asc" } })).map((r) => r.id);
}

/** A slug no case and no draft has yet: a converted story must not become a version of another case. */
async function freeSlug(slug: string): Promise<string> {
  const db = getDb();
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? slug : `${slug}-${n}`;
    const [published, drafted] = await Promise.all([
      db.case.findUnique({ where: { slug: candidate }, select: { id: true } }),
      db.caseDraft.findFirst({ where: { slug: candidate }, select: { id: true } }),
    ]);
    if (!published && !drafted) return candidate;
  }
}

/**
 * Converts an uploaded story into a new draft of `regulator` (which must be in the scope), in
 * English and French: the texts in the source's language, the others left to write.
 */
export async function importConvertedUpload(
  file: string,
  bytes: Uint8Array,
  actorId: string,
  scope: RegulatorScope,
  options: { regulator: string; locale: Locale },
): Promise<ConvertUploadResult> {
  if (!options.regulator || !inScope(scope, options.regulator)) {
    return { ok: false, code: "no-regulator", message: "choose the regulator the case is for" };
  }
  const settings = { locale: options.locale, locales: ["en", "fr"] as Locale[], regulator: options.regulator };
  const first = convertCase({ name: file, bytes }, settings);
  if (!first.ok) return first;
  const slug = await freeSlug(first.value.slug);
  const converted = slug === first.value.slug ? first : convertCase({ name: file, bytes }, { ...settings, slug });
  if (!converted.ok) return converted;
  const { source, format, warnings } = converted.value;
  const conversion: Conversion = {
    file,
    format,
    warnings: warnings.slice(0, MAX_KEPT_WARNINGS),
    more: Math.max(0, warnings.length - MAX_KEPT_WARNINGS),
  };
  const draft = await createDraft(source, actorId, onlyRegulator(options.regulator), { upload: file, conversion });
  if (!draft.ok) throw new Error(`a converted upload could not become a draft: ${draft.code}`);
  return { ok: true, value: { draftId: draft.value.id, slug, warnings: warnings.length } };
}

/** The conversion a draft was made from, if it was: its warnings, for the draft page. */
export async function draftConversion(draft: { id: string; slug: string }): Promise<Conversion | null> {
  const entries = await getDb().auditEntry.findMany({
    where: { action: "draft_created", subject: { in: [draft.slug, `draft:${draft.id}`] } },
    select: { detail: true },
    orderBy: { id: "desc" },
  });
  for (const entry of entries) {
    const detail = JSON.parse(entry.detail) as { draftId?: string; conversion?: Conversion };
    if (detail.draftId === draft.id) return detail.conversion ?? null;
  }
  return null;
}
