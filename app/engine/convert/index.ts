/**
 * Imports from the tools authors use today: an H5P Branching Scenario package (.h5p), a Twine 2
 * story (published .html, or Twee 3 .twee/.tw). Pure: bytes in, a case file's text out, with the
 * warnings that say what could not be carried over and where, and validateCase's diagnostics that
 * say what is left to fill in. docs/decisions/021-importers.md has the mapping.
 */
import { buildCase } from "./build";
import { h5pStory, isZip, readH5pPackage } from "./h5p";
import { parseTwee, parseTwine2Html, twineStory } from "./twine";
import { CONVERT_LIMITS, failConvert, type ConvertFormat, type ConvertOptions, type ConvertResult } from "./types";

export * from "./types";
export { htmlToMarkdown, htmlToPlain } from "./markdown";

/** File names the importers take (a .json case file is not converted: it is a case already). */
export const CONVERT_EXTENSIONS = [".h5p", ".html", ".htm", ".twee", ".tw"] as const;

export function isConvertible(name: string): boolean {
  const lower = name.toLowerCase();
  return CONVERT_EXTENSIONS.some((ext) => lower.endsWith(ext));
}

/** Which importer reads a file: by its content first (a zip is a zip), then by its name. */
function detect(name: string, bytes: Uint8Array): ConvertFormat | undefined {
  if (isZip(bytes)) return "h5p";
  const lower = name.toLowerCase();
  if (lower.endsWith(".h5p")) return "h5p";
  if (lower.endsWith(".twee") || lower.endsWith(".tw")) return "twee";
  if (lower.endsWith(".html") || lower.endsWith(".htm")) return "twine-html";
  return undefined;
}

export function convertCase(input: { name: string; bytes: Uint8Array }, options: ConvertOptions = {}): ConvertResult {
  const { name, bytes } = input;
  if (bytes.length === 0) return failConvert("empty", `${name} is empty`);
  if (bytes.length > CONVERT_LIMITS.inputBytes) {
    return failConvert(
      "too-big",
      `${name} is ${(bytes.length / 1024 / 1024).toFixed(1)} MB; the limit is ${CONVERT_LIMITS.inputBytes / 1024 / 1024} MB (remove videos and large images from the package first)`,
    );
  }
  const format = detect(name, bytes);
  if (!format) {
    return failConvert(
      "unknown-format",
      `${name} is not a file the importers read: an H5P Branching Scenario (.h5p), a published Twine 2 story (.html) or Twee 3 (.twee, .tw)`,
    );
  }

  if (format === "h5p") {
    const read = readH5pPackage(bytes);
    if (!read.ok) return read;
    const story = h5pStory(read.h5p, read.content, options);
    if ("ok" in story) return story;
    return { ok: true, value: buildCase(story, options) };
  }

  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return failConvert("not-twine", `${name} is not UTF-8 text, so it is not a Twine story`);
  }
  const parsed = format === "twee" ? parseTwee(text) : parseTwine2Html(text);
  if ("ok" in parsed) return parsed;
  const story = twineStory(parsed, format, options);
  if ("ok" in story) return story;
  return { ok: true, value: buildCase(story, options) };
}
