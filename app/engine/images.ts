/**
 * Images in cases: which images a case names (for the database check that they are stored, and for
 * an export that carries them), and what one node shows in one language. Pure: the bytes, their
 * size and who may see them live in app/models/case-image.server.ts (ADR 022).
 */
import { escapePointerSegment } from "./json";
import { IMAGE_SRC_PATTERN, type Locale, type NodeImage } from "./schema";

/** The hex sha256 an image src names ("sha256:<hex>" → "<hex>"). */
export function imageHash(src: string): string {
  return src.startsWith("sha256:") ? src.slice("sha256:".length) : src;
}

/** The src that names a stored image's sha256. */
export function imageSrc(hash: string): string {
  return `sha256:${hash}`;
}

/** One image reference in a case, with the JSON pointer where it is written. */
export type ImageRef = { hash: string; path: string };

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Every well-formed image src of a case (the main one and each locale's variant), in file order, read
 * loosely from the raw JSON so that a half-written draft still gets its missing images reported.
 * A src that does not match the pattern is the schema's to report, so it is left out here.
 */
export function caseImageRefs(value: unknown): ImageRef[] {
  if (!isObject(value) || !isObject(value.nodes)) return [];
  const refs: ImageRef[] = [];
  const take = (src: unknown, path: string) => {
    if (typeof src === "string" && IMAGE_SRC_PATTERN.test(src)) refs.push({ hash: imageHash(src), path });
  };
  for (const [id, node] of Object.entries(value.nodes)) {
    if (!isObject(node) || !isObject(node.image)) continue;
    const path = `/nodes/${escapePointerSegment(id)}/image`;
    take(node.image.src, `${path}/src`);
    if (isObject(node.image.variants)) {
      for (const [locale, src] of Object.entries(node.image.variants)) {
        take(src, `${path}/variants/${escapePointerSegment(locale)}`);
      }
    }
  }
  return refs;
}

/** The distinct image hashes a case names. */
export function caseImageHashes(value: unknown): string[] {
  return [...new Set(caseImageRefs(value).map((ref) => ref.hash))];
}

/** What a node's image shows in one locale: that locale's variant when there is one. */
export type LocalizedImage = { hash: string; alt: string; caption: string | null };

export function localizedImage(image: NodeImage, locale: Locale, fallback: Locale = "en"): LocalizedImage {
  const pick = (text: Partial<Record<Locale, string>> | undefined) =>
    text?.[locale] ?? text?.[fallback] ?? Object.values(text ?? {})[0] ?? null;
  return {
    hash: imageHash(image.variants?.[locale] ?? image.src),
    alt: pick(image.alt) ?? "",
    caption: pick(image.caption),
  };
}
