/**
 * The case and catalog formats' size limits. A file over a limit is refused by the validator with
 * the usual pinpointed error, so it is stopped at upload or import, never at render: without them a
 * valid case with 10,000 choices in one decision stopped the server when its graph was opened.
 *
 * Each limit is far above what a monthly case needs (the demo cases: 19 nodes, 47 KB, 4 choices,
 * labels under 500 characters, JSON 7 levels deep) and low enough that the studio, the player and
 * the graph stay responsive at the limit.
 */
export const FORMAT_LIMITS = {
  /** Bytes of a case or catalog file (UTF-8). */
  fileBytes: 1_000_000,
  /** Levels of nested objects and arrays; a case needs 7, a catalog one more per nesting of items. */
  jsonDepth: 32,
  /** Nodes in a case. */
  nodes: 1_000,
  /** Choices in one decision. */
  choicesPerDecision: 20,
  /** Scored effects on one choice. */
  effectsPerChoice: 30,
  /** Catalogs a case scores against. */
  standards: 20,
  /** Items in a catalog, at every level together. */
  catalogItems: 5_000,
  /** Characters of a title (case, node, catalog item). */
  titleLength: 300,
  /** Characters of any other text (summary, body, prompt, label, feedback, item text). */
  textLength: 20_000,
  /** Characters of an id (slug, node, choice, item code, catalog version). */
  idLength: 100,
} as const;

/** The UTF-8 size of a text, without allocating its encoding. */
export function utf8Bytes(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      // A surrogate pair: one 4-byte character.
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}
