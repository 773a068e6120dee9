/** Rules a regulator's profile sets for the people who register with it, and its logo. Pure: no I/O. */
import type { Diagnostic } from "./diagnostics";
import { escapePointerSegment } from "./json";
import type { RegulatorProfile } from "./schema";

/** Whether a registration number has the form the profile asks for (a whole match; any without a pattern). */
export function registrationMatches(profile: Pick<RegulatorProfile, "registration">, number: string): boolean {
  const pattern = profile.registration?.pattern;
  return pattern === undefined || new RegExp(`^(?:${pattern})$`, "u").test(number);
}

/** What a logo may be: small enough to embed in every certificate, large enough to print sharply. */
export const LOGO_LIMITS = { bytes: 512 * 1024, pixels: 2000 } as const;

export type LogoType = "image/png" | "image/jpeg";
export type ImageInfo = { type: LogoType; width: number; height: number };

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

const u16 = (b: Uint8Array, i: number) => (b[i]! << 8) | b[i + 1]!;
const u32 = (b: Uint8Array, i: number) => ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;

/** The PNG's size from its IHDR chunk, which the format requires first. */
function pngInfo(bytes: Uint8Array): ImageInfo | string {
  const ihdr = String.fromCharCode(...bytes.slice(12, 16));
  if (bytes.length < 24 || ihdr !== "IHDR") return "is a damaged PNG (no IHDR header)";
  return { type: "image/png", width: u32(bytes, 16), height: u32(bytes, 20) };
}

/** The JPEG's size from its first start-of-frame segment, walking the segments before it. */
function jpegInfo(bytes: Uint8Array): ImageInfo | string {
  let i = 2;
  while (i + 3 < bytes.length) {
    if (bytes[i] !== 0xff) return "is a damaged JPEG (a segment does not start with a marker)";
    const marker = bytes[i + 1]!;
    if (marker === 0xff) {
      i += 1; // fill byte
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
      i += 2; // markers without a length
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) break; // end of image, or image data before any frame
    const length = u16(bytes, i + 2);
    // SOF0–SOF15, less DHT (C4), JPG (C8) and DAC (CC), which share the range.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (i + 9 > bytes.length) break;
      return { type: "image/jpeg", width: u16(bytes, i + 7), height: u16(bytes, i + 5) };
    }
    if (length < 2) return "is a damaged JPEG (a segment with no length)";
    i += 2 + length;
  }
  return "is a damaged JPEG (no frame header with its size)";
}

/**
 * What an image file is, told by its first bytes (never its name): a PNG or a JPEG with its pixel
 * size, or why it is neither. SVG is refused on purpose: it can carry script.
 */
export function imageInfo(bytes: Uint8Array): ImageInfo | { error: string } {
  const result = PNG_SIGNATURE.every((b, i) => bytes[i] === b)
    ? pngInfo(bytes)
    : bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff
      ? jpegInfo(bytes)
      : null;
  if (typeof result === "string") return { error: result };
  if (result) return result;
  const head = new TextDecoder("utf-8", { fatal: false }).decode(bytes.slice(0, 256)).replace(/^\uFEFF/, "");
  if (/^\s*</.test(head) && /<svg[\s>]/i.test(head + " ")) {
    return { error: "is an SVG image, which is not accepted (it can carry script): export it as PNG or JPEG" };
  }
  if (/^\s*</.test(head)) return { error: "is text (HTML or XML), not a PNG or JPEG image" };
  return { error: "is not a PNG or JPEG image (its first bytes are neither)" };
}

/**
 * Checks a profile's logo file: `bytes` is null when the file is missing. Errors point at the
 * profile's `/logo`, name the image file and say what to do.
 */
export function validateLogo(input: {
  file: string;
  logo: string;
  bytes: Uint8Array | null;
  /** The file's size, when the caller did not read a file past the limit; else `bytes.length`. */
  size?: number;
}): { image?: ImageInfo; diagnostics: Diagnostic[] } {
  const error = (message: string) => ({
    diagnostics: [{ severity: "error" as const, file: input.file, path: "/logo", message: `${input.logo} ${message}` }],
  });
  if (input.bytes === null) return error("was not found: put the image beside the profile, or remove `logo`");
  const { bytes: maxBytes, pixels } = LOGO_LIMITS;
  const size = input.size ?? input.bytes.length;
  if (size > maxBytes) {
    return error(`is ${Math.ceil(size / 1024)} KiB; a logo may be at most ${maxBytes / 1024} KiB`);
  }
  if (size === 0) return error("is empty");
  const info = imageInfo(input.bytes);
  if ("error" in info) return error(info.error);
  if (info.width === 0 || info.height === 0) return error("has no pixels (width or height 0)");
  if (info.width > pixels || info.height > pixels) {
    return error(`is ${info.width}×${info.height} px; a logo may be at most ${pixels} px a side`);
  }
  return { image: info, diagnostics: [] };
}

/** One field a new profile version changes: its JSON pointer, and the value before and after as text. */
export type ProfileChange = { path: string; before: string | null; after: string | null };

function leaves(value: unknown, pointer: string, into: Map<string, string>): void {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    for (const [key, child] of Object.entries(value)) leaves(child, `${pointer}/${escapePointerSegment(key)}`, into);
    return;
  }
  into.set(pointer, typeof value === "string" ? value : JSON.stringify(value));
}

/**
 * What a new version of a profile changes, field by field (a leaf per row, e.g. `/name/fr`), for the
 * second person who approves it: added, removed and changed fields, in the order of the new profile.
 * `$schema` is an editor hint and never counts.
 */
export function profileChanges(before: RegulatorProfile | null, after: RegulatorProfile): ProfileChange[] {
  const old = new Map<string, string>();
  const now = new Map<string, string>();
  if (before) leaves(before, "", old);
  leaves(after, "", now);
  old.delete("/$schema");
  now.delete("/$schema");
  const changes: ProfileChange[] = [];
  for (const [path, value] of now) {
    if (old.get(path) !== value) changes.push({ path, before: old.get(path) ?? null, after: value });
  }
  for (const [path, value] of old) if (!now.has(path)) changes.push({ path, before: value, after: null });
  return changes;
}
