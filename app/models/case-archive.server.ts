// A case with its images as one zip (ADR 022): `<slug>.json` (the version's file exactly as
// authored) and `images/<sha256>.webp` (the stored bytes, which hash to their name). Importing the
// archive gives the same canonical case, so the same content hash: the same version.
//
// The archive holds the case, not its catalogs or its regulator's profile: those have their own
// versions on the deployment, and publishing an older copy of them from an old archive would make
// it their newest version. An imported case is checked against the deployment's catalogs, as a
// studio upload is.
import { strToU8, unzipSync, zipSync, type Zippable } from "fflate";
import {
  caseImageHashes,
  caseImageRefs,
  FORMAT_LIMITS,
  hasErrors,
  pointerLocator,
  validateCase,
  type CaseAnalysis,
  type CaseFile,
  type Catalog,
  type Diagnostic,
} from "~/engine";
import { getDb, type Db } from "~/utils/db.server";
import { fail, ok, type Result } from "~/utils/result";
import { inScope, type RegulatorScope } from "~/utils/roles";
import { checkArchiveImage, imageBytes, importArchiveImage, IMAGE_LIMITS, missingImages } from "./case-image.server";
import { publishContent, type PublishedItem } from "./content.server";
import { importCaseUpload, type CaseUploadResult } from "./studio.server";

/** At most this many images in one archive (a monthly case has a handful). */
export const MAX_ARCHIVE_IMAGES = 200;

const IMAGE_ENTRY = /^images\/([0-9a-f]{64})\.webp$/;

/** The archive of a case version (the latest when `version` is left out), byte for byte the same each time. */
export async function exportCaseArchive(
  db: Db,
  slug: string,
  version?: number,
): Promise<Result<{ zip: Uint8Array; version: number; images: number }, "not-found" | "missing-image">> {
  const record = await db.case.findUnique({ where: { slug } });
  if (!record) return fail("not-found");
  const row = await db.caseVersion.findFirst({
    where: { caseId: record.id, ...(version !== undefined ? { version } : {}) },
    orderBy: { version: "desc" },
  });
  if (!row) return fail("not-found");
  const hashes = caseImageHashes(JSON.parse(row.content));
  const images = await imageBytes(record.regulator, hashes, db);
  if (images.size !== hashes.length) return fail("missing-image");
  // The version's own date on every entry, so that exporting it again gives the same bytes.
  const mtime = row.createdAt;
  const files: Zippable = { [`${slug}.json`]: [strToU8(row.source), { mtime }] };
  // WebP is compressed already: stored as it is.
  for (const hash of [...hashes].sort()) files[`images/${hash}.webp`] = [images.get(hash)!, { level: 0, mtime }];
  return ok({ zip: zipSync(files), version: row.version, images: hashes.length });
}

/** The deployment's latest catalogs, which an imported case is checked against. */
async function deploymentCatalogs(db: Db): Promise<Map<string, Catalog>> {
  const rows = await db.catalogVersion.findMany({ orderBy: [{ catalogId: "asc" }, { sequence: "desc" }] });
  const map = new Map<string, Catalog>();
  for (const row of rows) if (!map.has(row.catalogId)) map.set(row.catalogId, JSON.parse(row.content) as Catalog);
  return map;
}

export type ArchiveImport = { published: PublishedItem[]; images: number };

/** An archive that passed every check, ready to store: its case and the images it carries that the case names. */
export type CheckedArchive = {
  caseName: string;
  caseFileName: string;
  text: string;
  caseFile: CaseFile;
  analysis: CaseAnalysis;
  images: Array<{ hash: string; bytes: Uint8Array }>;
};

/**
 * Checks an archive whole (its entries, the case against the deployment's catalogs, every image it
 * names there or already stored, every image's bytes) and writes nothing. `file` names the archive
 * in messages.
 */
export async function checkCaseArchive(
  db: Db,
  file: string,
  zip: Uint8Array,
): Promise<Result<CheckedArchive, "invalid"> & { diagnostics: Diagnostic[] }> {
  const diagnostics: Diagnostic[] = [];
  const refuse = (message: string, path = "", at = file) => {
    diagnostics.push({ severity: "error", file: at, path, message });
    return { ...fail("invalid" as const), diagnostics };
  };
  let entries: Record<string, Uint8Array>;
  try {
    let count = 0;
    entries = unzipSync(zip, {
      // Refused before inflating: too many entries, or one bigger than anything an archive holds.
      filter: (entry) => {
        if (++count > MAX_ARCHIVE_IMAGES + 1) throw new Error(`it holds more than ${MAX_ARCHIVE_IMAGES + 1} files`);
        const limit = entry.name.endsWith(".json") ? FORMAT_LIMITS.fileBytes : IMAGE_LIMITS.bytes;
        if (entry.originalSize > limit) throw new Error(`${entry.name} is bigger than ${limit} bytes`);
        return !entry.name.endsWith("/");
      },
    });
  } catch (error) {
    return refuse(`not a case archive that can be read: ${(error as Error).message}`);
  }
  const names = Object.keys(entries);
  const caseNames = names.filter((name) => /^[^/]+\.json$/.test(name));
  const unknown = names.filter((name) => !caseNames.includes(name) && !IMAGE_ENTRY.test(name));
  if (caseNames.length !== 1) {
    return refuse(`a case archive holds one case file (<slug>.json) at its top, not ${caseNames.length}`);
  }
  if (unknown.length > 0) {
    return refuse(
      `unexpected file(s) in a case archive: ${unknown.slice(0, 5).join(", ")} (only <slug>.json and images/<sha256>.webp)`,
    );
  }
  const caseName = caseNames[0]!;
  const caseFileName = `${file}:${caseName}`;
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(entries[caseName]);
  } catch {
    return refuse("the case file is not UTF-8 text", "", caseFileName);
  }
  const result = validateCase({ file: caseFileName, text }, await deploymentCatalogs(db));
  diagnostics.push(...result.diagnostics);
  if (!result.caseFile) return { ...fail("invalid"), diagnostics };
  const { caseFile, analysis } = result;
  if (`${caseFile.slug}.json` !== caseName) {
    return refuse(`the slug "${caseFile.slug}" must match the file name ${caseName}`, "/slug", caseFileName);
  }
  const owner = await db.case.findUnique({ where: { slug: caseFile.slug }, select: { regulator: true } });
  if (owner && owner.regulator !== caseFile.regulator) {
    return refuse(
      `the slug "${caseFile.slug}" belongs to a case of regulator "${owner.regulator}", not "${caseFile.regulator}"`,
      "/slug",
      caseFileName,
    );
  }
  if (!(await db.regulator.findUnique({ where: { id: caseFile.regulator } }))) {
    return refuse(
      `no regulator "${caseFile.regulator}" on this deployment: import its profile first`,
      "/regulator",
      caseFileName,
    );
  }

  const carried = new Map(
    names.flatMap((name) => {
      const match = IMAGE_ENTRY.exec(name);
      return match ? [[match[1]!, entries[name]!] as const] : [];
    }),
  );
  const notStored = await missingImages(caseFile.regulator, caseImageHashes(caseFile), db);
  const locate = pointerLocator(text);
  for (const ref of caseImageRefs(caseFile)) {
    if (carried.has(ref.hash) || !notStored.has(ref.hash)) continue;
    const at = locate?.(ref.path);
    diagnostics.push({
      severity: "error",
      file: caseFileName,
      path: ref.path,
      message: `the image "sha256:${ref.hash.slice(0, 12)}…" is neither in the archive (images/${ref.hash}.webp) nor stored for regulator "${caseFile.regulator}"`,
      ...(at ? { line: at.line, column: at.column } : {}),
    });
  }
  if (hasErrors(diagnostics)) return { ...fail("invalid"), diagnostics };

  // Every image is checked before any is stored, so a bad one leaves nothing behind.
  const named = new Set(caseImageHashes(caseFile));
  const verified: Array<{ hash: string; bytes: Uint8Array }> = [];
  for (const [hash, bytes] of carried) {
    if (!named.has(hash)) continue; // carried but not shown: not stored
    const check = await checkArchiveImage(bytes, hash);
    if (!check.ok) {
      return refuse(
        check.code === "hash-mismatch"
          ? `images/${hash}.webp does not hash to its name (the file was changed)`
          : `images/${hash}.webp is not an image an upload stores (a WebP at most ${IMAGE_LIMITS.side} px a side)`,
      );
    }
    verified.push({ hash, bytes });
  }
  return { ...ok({ caseName, caseFileName, text, caseFile, analysis, images: verified }), diagnostics };
}

/** Stores the images of a checked archive for its case's regulator (already stored ones are kept). */
export async function storeArchiveImages(db: Db, archive: CheckedArchive): Promise<void> {
  for (const { hash, bytes } of archive.images) await importArchiveImage(bytes, hash, archive.caseFile.regulator, db);
}

/**
 * Checks an archive (checkCaseArchive), then stores its images and publishes the case (cases:import).
 * Nothing is written when anything is wrong.
 */
export async function importCaseArchive(
  db: Db,
  file: string,
  zip: Uint8Array,
  actorId: string | null = null,
): Promise<Result<ArchiveImport, "invalid"> & { diagnostics: Diagnostic[] }> {
  const checked = await checkCaseArchive(db, file, zip);
  if (!checked.ok) return checked;
  const { caseFileName, text, caseFile, analysis } = checked.value;
  await storeArchiveImages(db, checked.value);
  const published = await publishContent(
    db,
    { catalogs: [], cases: [{ file: caseFileName, text, caseFile, analysis }] },
    { actorId },
  );
  return { ...ok({ published, images: checked.value.images.length }), diagnostics: checked.diagnostics };
}

/** Whether an uploaded file is a case archive (by its name; its content is checked whole). */
export function isCaseArchive(name: string): boolean {
  return name.toLowerCase().endsWith(".zip");
}

/**
 * A case archive uploaded in the studio: checked whole, then its images stored for the case's
 * regulator and its case imported like an uploaded case file (a new draft, or "unchanged" when it
 * is the latest version: an export uploaded again is the same version). Nothing is stored when the
 * archive or its case is refused, or when the case is another regulator's.
 */
export async function importArchiveUpload(
  file: string,
  zip: Uint8Array,
  actorId: string,
  scope: RegulatorScope,
): Promise<CaseUploadResult> {
  const db = getDb();
  const checked = await checkCaseArchive(db, file, zip);
  if (!checked.ok) return { ok: false, diagnostics: checked.diagnostics };
  const { caseFile, caseName, text } = checked.value;
  if (!inScope(scope, caseFile.regulator)) {
    const message = `this case is regulator "${caseFile.regulator}"'s, whose cases you do not author`;
    return { ok: false, diagnostics: [{ severity: "error", file, path: "/regulator", message }] };
  }
  await storeArchiveImages(db, checked.value);
  return importCaseUpload(caseName, text, actorId, scope);
}
