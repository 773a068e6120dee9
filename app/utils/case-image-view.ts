// What a page needs to show a node's image: its URL, alt text and caption in one language, and its
// pixel size (width/height attributes reserve its room, so nothing jumps when it loads). Pure: the
// sizes come from the database through imageSizes (app/models/case-image.server.ts).
import { localizedImage, type Locale, type NodeImage } from "~/engine";

export type CaseImageView = {
  url: string;
  alt: string;
  caption: string | null;
  width: number | null;
  height: number | null;
};

/** Where an image is served; the name is its hash, so its content never changes (cached for a year). */
export function caseImageUrl(hash: string): string {
  return `/images/${hash}.webp`;
}

export function caseImageView(
  image: NodeImage | undefined,
  locale: Locale,
  sizes: ReadonlyMap<string, { width: number; height: number }>,
): CaseImageView | null {
  if (!image) return null;
  const { hash, alt, caption } = localizedImage(image, locale);
  const size = sizes.get(hash);
  return { url: caseImageUrl(hash), alt, caption, width: size?.width ?? null, height: size?.height ?? null };
}
