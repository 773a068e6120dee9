/**
 * What the importers (H5P Branching Scenario, Twine 2) take and give. Pure: bytes in, a case file's
 * text and the list of what could not be carried over out.
 */
import type { Diagnostic } from "../diagnostics";
import type { Catalog, Locale } from "../schema";

/** What a warning is about, so a person (or the studio) can group them. */
export type ConvertWarningKind =
  /** The source scored something (an H5P end score, a Twine score tag): add effects. */
  | "scoring"
  /** An image, a video, audio: not carried over. */
  | "media"
  /** Macros, variables, conditions, timers, behaviour settings Vignette does not have. */
  | "unsupported"
  /** A link that made a loop; it now ends the case (a case must not loop). */
  | "loop"
  /** The shape changed: a passage or content never reached, a broken link, an empty text. */
  | "structure"
  /** Formatting that Markdown cannot say (underline, tables…): the words are kept. */
  | "text"
  /** A field of the case the source does not have: a placeholder to replace. */
  | "to-fill";

export type ConvertWarning = {
  kind: ConvertWarningKind;
  /**
   * Where in the source: `content 3 (content.json /branchingScenario/content/3/type/params/text)` for
   * H5P, `passage "Ward", line 4` for Twine (line within the passage; Twee adds the file's line).
   * For "to-fill", the JSON pointer in the converted case.
   */
  where: string;
  /** What was not carried over, and what to do about it. */
  message: string;
};

export type ConvertFormat = "h5p" | "twine-html" | "twee";

export type ConvertOptions = {
  /** The language of the source when it does not say (H5P "und", Twine always): default "en". */
  locale?: Locale;
  /** The case's locales; default [the source's]. Texts in the other locales are left to write. */
  locales?: readonly Locale[];
  /** The case's regulator; without it, a placeholder to replace. */
  regulator?: string;
  /** The case's slug; default: made from the story's title. */
  slug?: string;
  /** The catalogs to validate the result against (default none: scoring is left to add anyway). */
  catalogs?: ReadonlyMap<string, Catalog>;
};

export type Converted = {
  format: ConvertFormat;
  /** The case file's JSON text, 2-space indented with a final newline, ready to save. */
  source: string;
  slug: string;
  warnings: ConvertWarning[];
  /** validateCase on `source`: what is left to fill in before the case can be published. */
  diagnostics: Diagnostic[];
};

export type ConvertFailureCode =
  | "empty"
  | "too-big"
  | "unknown-format"
  | "not-zip"
  | "zip-bomb"
  | "no-h5p-json"
  | "bad-h5p-json"
  | "not-branching-scenario"
  | "no-content-json"
  | "bad-content-json"
  | "not-twine"
  | "bad-twine";

/** A failure says what is wrong with the file in one sentence a person can act on. */
export type ConvertFailure = { ok: false; code: ConvertFailureCode; message: string };
/** The Result shape of app/utils/result.ts (the engine does not import from utils). */
export type ConvertResult = { ok: true; value: Converted } | ConvertFailure;

export const failConvert = (code: ConvertFailureCode, message: string): ConvertFailure => ({
  ok: false,
  code,
  message,
});

/** Bounds on what an importer reads, so a hostile file cannot exhaust memory or time. */
export const CONVERT_LIMITS = {
  /** Bytes of the file as given (an .h5p holds its images and videos). */
  inputBytes: 64 * 1024 * 1024,
  /** Entries in an .h5p zip. */
  zipEntries: 5_000,
  /** Uncompressed bytes of all entries together, as the zip declares them. */
  zipTotalBytes: 512 * 1024 * 1024,
  /** Uncompressed bytes of h5p.json or content/content.json (the only entries read). */
  jsonBytes: 8 * 1024 * 1024,
  /** Passages or content items. */
  items: 5_000,
} as const;
