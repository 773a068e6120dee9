// Images in cases (ADR 022): an upload is checked by its content (PNG, JPEG or WebP by its first
// bytes, then decoded by sharp under a pixel limit, so a decompression bomb is refused before it
// is expanded), re-encoded to a WebP at most 1600 px a side with its metadata stripped, and stored
// once per regulator under the sha256 of the re-encoded bytes: the address a case names is the
// exact file learners get, and the same upload always answers the same address.
//
// Who sees an image: the staff (authors, admins) of its regulator, always; anyone else once a
// published version of one of that regulator's cases names it.
import { createHash } from "node:crypto";
import sharp, { type Metadata } from "sharp";
import { caseImageHashes, imageSrc } from "~/engine";
import { getDb, type Db } from "~/utils/db.server";
import { fail, ok, type Result } from "~/utils/result";
import { inScope, scopeFilter, type RegulatorScope } from "~/utils/roles";
import { recordAudit } from "./audit.server";

export const IMAGE_LIMITS = {
  /**
   * Bytes of an uploaded file. The site refuses bodies over 4 MiB before any route reads them
   * (scripts/serve.js), so the form and its boundary need room beside the file.
   */
  bytes: 4_000_000,
  /** Pixels of the decoded input (width × height): a 48-megapixel phone photo passes, a bomb does not. */
  inputPixels: 50_000_000,
  /** The longest side of the stored image, in pixels. */
  side: 1600,
  /** WebP quality of the stored image. */
  quality: 82,
} as const;

export type ImageError = "empty" | "too-large" | "not-image" | "too-many-pixels" | "unreadable";
export type StoredImage = { src: string; hash: string; width: number; height: number };

type InputType = "png" | "jpeg" | "webp";

/** The image type its first bytes say (never its name or the type the browser claims). */
export function sniffImageType(bytes: Uint8Array): InputType | null {
  const at = (offset: number, ...expected: number[]) => expected.every((b, i) => bytes[offset + i] === b);
  if (at(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return "png";
  if (at(0, 0xff, 0xd8, 0xff)) return "jpeg";
  if (at(0, 0x52, 0x49, 0x46, 0x46) && at(8, 0x57, 0x45, 0x42, 0x50)) return "webp";
  return null;
}

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/** Reads an image's header (no pixels decoded): its type as sharp sees it and its size. */
async function inspect(
  bytes: Uint8Array,
): Promise<Result<{ type: InputType; width: number; height: number }, ImageError>> {
  if (bytes.length === 0) return fail("empty");
  if (bytes.length > IMAGE_LIMITS.bytes) return fail("too-large");
  const type = sniffImageType(bytes);
  if (!type) return fail("not-image");
  let metadata: Metadata;
  try {
    // Only the header is read here, so no pixel limit yet: past it, the answer is "too many pixels".
    metadata = await sharp(bytes, { limitInputPixels: false, failOn: "error" }).metadata();
  } catch {
    return fail("unreadable");
  }
  // A PNG header on a file sharp reads as something else is not what it says it is.
  if (metadata.format !== type || !metadata.width || !metadata.height) return fail("unreadable");
  if (metadata.width * metadata.height > IMAGE_LIMITS.inputPixels) return fail("too-many-pixels");
  return ok({ type, width: metadata.width, height: metadata.height });
}

/**
 * The bytes to store for an upload: turned upright by its EXIF orientation, fitted within
 * IMAGE_LIMITS.side, WebP, no metadata (no camera, no GPS position). Deterministic: the same input
 * gives the same bytes with the same sharp build (ADR 022 says what a sharp upgrade changes).
 */
export async function reencodeImage(
  bytes: Uint8Array,
): Promise<Result<{ bytes: Uint8Array; width: number; height: number }, ImageError>> {
  const checked = await inspect(bytes);
  if (!checked.ok) return checked;
  try {
    const { data, info } = await sharp(bytes, { limitInputPixels: IMAGE_LIMITS.inputPixels, failOn: "error" })
      .rotate()
      .resize({ width: IMAGE_LIMITS.side, height: IMAGE_LIMITS.side, fit: "inside", withoutEnlargement: true })
      .webp({ quality: IMAGE_LIMITS.quality, effort: 4 })
      .toBuffer({ resolveWithObject: true });
    return ok({ bytes: new Uint8Array(data), width: info.width, height: info.height });
  } catch {
    // A header that reads but pixels that do not (a truncated file).
    return fail("unreadable");
  }
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2002";
}

/** Stores already-encoded bytes under their hash for a regulator; the same bytes twice are one row. */
async function insertImage(
  db: Db,
  regulator: string,
  image: { bytes: Uint8Array; width: number; height: number },
  actorId: string | null,
): Promise<StoredImage> {
  const hash = sha256(image.bytes);
  const stored = { src: imageSrc(hash), hash, width: image.width, height: image.height };
  const where = { regulator_sha256: { regulator, sha256: hash } };
  if (await db.caseImage.findUnique({ where, select: { sha256: true } })) return stored;
  try {
    await db.caseImage.create({
      data: {
        regulator,
        sha256: hash,
        mime: "image/webp",
        width: image.width,
        height: image.height,
        bytes: Buffer.from(image.bytes),
        createdById: actorId,
      },
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error; // the same upload, at the same moment: already stored
  }
  return stored;
}

/**
 * An upload for a regulator's cases: checked, re-encoded and stored. The answer's `src` is what a
 * case's `image.src` names. The caller has held `regulator` to the person's scope.
 */
export async function storeCaseImage(
  bytes: Uint8Array,
  regulator: string,
  actorId: string | null,
  db: Db = getDb(),
): Promise<Result<StoredImage, ImageError>> {
  const encoded = await reencodeImage(bytes);
  if (!encoded.ok) return encoded;
  return ok(await insertImage(db, regulator, encoded.value, actorId));
}

export type DraftImageError = ImageError | "not-found" | "not-editable";

/**
 * An image uploaded for a draft (the studio's upload page and the visual editor): stored for the
 * draft's regulator, and written to the case's history. Someone else's regulator's draft is not found.
 */
export async function uploadDraftImage(
  draftId: string,
  bytes: Uint8Array,
  actorId: string,
  scope: RegulatorScope,
): Promise<Result<StoredImage, DraftImageError>> {
  const draft = await getDb().caseDraft.findFirst({
    where: { id: draftId, regulator: scopeFilter(scope) },
    select: { id: true, slug: true, regulator: true, status: true },
  });
  if (!draft || !inScope(scope, draft.regulator)) return fail("not-found");
  // isEditable (studio.server.ts) says the same; not imported, as that module imports this one.
  if (draft.status !== "editing" && draft.status !== "rejected") return fail("not-editable");
  const stored = await storeCaseImage(bytes, draft.regulator, actorId);
  if (!stored.ok) return stored;
  const { hash, width, height } = stored.value;
  await recordAudit({
    subject: draft.slug || `draft:${draft.id}`,
    actorId,
    action: "image_uploaded",
    detail: { draftId: draft.id, sha256: hash, width, height },
  });
  return stored;
}

/**
 * An image from a case archive (cases:export), stored as it is so the case keeps its addresses:
 * re-encoding it here could give other bytes with another sharp build. It must be what an upload
 * stores (a WebP within the size limits) and its bytes must have the hash its name says.
 */
export async function importArchiveImage(
  bytes: Uint8Array,
  expectedHash: string,
  regulator: string,
  db: Db = getDb(),
): Promise<Result<StoredImage, ArchiveImageError>> {
  const checked = await checkArchiveImage(bytes, expectedHash);
  if (!checked.ok) return checked;
  return ok(await insertImage(db, regulator, { bytes, ...checked.value }, null));
}

export type ArchiveImageError = ImageError | "hash-mismatch";

/** Whether archive bytes are what importArchiveImage stores, and their size; nothing is written. */
export async function checkArchiveImage(
  bytes: Uint8Array,
  expectedHash: string,
): Promise<Result<{ width: number; height: number }, ArchiveImageError>> {
  if (sha256(bytes) !== expectedHash) return fail("hash-mismatch");
  const checked = await inspect(bytes);
  if (!checked.ok) return checked;
  const { type, width, height } = checked.value;
  if (type !== "webp" || width > IMAGE_LIMITS.side || height > IMAGE_LIMITS.side) return fail("not-image");
  return ok({ width, height });
}

/** The hashes among `hashes` that the regulator has not stored: a case naming them cannot be shown. */
export async function missingImages(
  regulator: string,
  hashes: readonly string[],
  db: Db = getDb(),
): Promise<Set<string>> {
  if (hashes.length === 0) return new Set();
  const rows = await db.caseImage.findMany({
    where: { regulator, sha256: { in: [...new Set(hashes)] } },
    select: { sha256: true },
  });
  const found = new Set(rows.map((r) => r.sha256));
  return new Set(hashes.filter((h) => !found.has(h)));
}

/** A regulator's stored images by hash, bytes included: what an export puts in its archive. */
export async function imageBytes(
  regulator: string,
  hashes: readonly string[],
  db: Db = getDb(),
): Promise<Map<string, Uint8Array>> {
  const rows = await db.caseImage.findMany({
    where: { regulator, sha256: { in: [...new Set(hashes)] } },
    select: { sha256: true, bytes: true },
  });
  return new Map(rows.map((r) => [r.sha256, new Uint8Array(r.bytes)]));
}

// Width and height never change for a hash (the bytes never do), so they are kept once read.
const sizeCache = new Map<string, { width: number; height: number }>();

/** The pixel size of each stored image (for width/height attributes: no layout shift). */
export async function imageSizes(
  hashes: readonly string[],
  db: Db = getDb(),
): Promise<Map<string, { width: number; height: number }>> {
  const sizes = new Map<string, { width: number; height: number }>();
  const unknown: string[] = [];
  for (const hash of new Set(hashes)) {
    const hit = sizeCache.get(hash);
    if (hit) sizes.set(hash, hit);
    else unknown.push(hash);
  }
  if (unknown.length > 0) {
    const rows = await db.caseImage.findMany({
      where: { sha256: { in: unknown } },
      select: { sha256: true, width: true, height: true },
    });
    for (const row of rows) {
      const size = { width: row.width, height: row.height };
      sizeCache.set(row.sha256, size);
      sizes.set(row.sha256, size);
    }
  }
  return sizes;
}

/** The sizes of every image a case names. */
export function caseImageSizes(caseFile: unknown, db: Db = getDb()) {
  const hashes = caseImageHashes(caseFile);
  return hashes.length === 0
    ? Promise.resolve(new Map<string, { width: number; height: number }>())
    : imageSizes(hashes, db);
}

export type ServedImage = { bytes: Uint8Array; mime: string; hash: string; public: boolean };

/**
 * The image to serve for a hash, or null (unknown, or not this viewer's to see: the same answer).
 * `public` says whether anyone may see it (then caches may keep it for everyone). `staffScope` is
 * where the viewer authors, when signed in as staff.
 */
export async function findServedImage(
  hash: string,
  staffScope: RegulatorScope | null,
  now = new Date(),
  db: Db = getDb(),
): Promise<ServedImage | null> {
  const rows = await db.caseImage.findMany({
    where: { sha256: hash },
    select: { regulator: true, publishedAt: true },
    orderBy: { regulator: "asc" },
  });
  if (rows.length === 0) return null;
  let publicRow = rows.find((r) => r.publishedAt !== null && r.publishedAt <= now);
  for (const row of publicRow ? [] : rows) {
    // Published versions never change, so once seen the answer is kept on the row.
    const version = await db.caseVersion.findFirst({
      where: { case: { regulator: row.regulator }, publishedAt: { lte: now }, content: { contains: imageSrc(hash) } },
      select: { publishedAt: true },
      orderBy: { publishedAt: "asc" },
    });
    if (!version) continue;
    await db.caseImage.updateMany({
      where: { regulator: row.regulator, sha256: hash, publishedAt: null },
      data: { publishedAt: version.publishedAt },
    });
    publicRow = row;
    break;
  }
  const row = publicRow ?? (staffScope ? rows.find((r) => inScope(staffScope, r.regulator)) : undefined);
  if (!row) return null;
  const stored = await db.caseImage.findUnique({
    where: { regulator_sha256: { regulator: row.regulator, sha256: hash } },
    select: { bytes: true, mime: true },
  });
  if (!stored) return null;
  return { bytes: new Uint8Array(stored.bytes), mime: stored.mime, hash, public: publicRow !== undefined };
}
