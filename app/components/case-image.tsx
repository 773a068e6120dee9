import type { CaseImageView } from "~/utils/case-image-view";

/**
 * A node's image, the same in the player, the studio preview and the debrief: alt text in the
 * page's language, the caption as a <figcaption>, and the stored size as width/height so the page
 * does not move when the image arrives.
 */
export function CaseImage({ image }: { image: CaseImageView | null | undefined }) {
  if (!image) return null;
  return (
    <figure className="case-image">
      <img
        src={image.url}
        alt={image.alt}
        width={image.width ?? undefined}
        height={image.height ?? undefined}
        decoding="async"
      />
      {image.caption ? <figcaption>{image.caption}</figcaption> : null}
    </figure>
  );
}
