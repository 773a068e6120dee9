// What free text people type may not hold, wherever it is typed: names, notes, reflections.

/**
 * Control characters (C0, C1) break files, logs and terminals; bidirectional overrides, isolates
 * and marks make text print as something other than what it holds ("Trojan Source"). Letters of
 * every script, spaces and punctuation are untouched.
 */
const BIDI_CONTROLS = "\\u202A-\\u202E\\u2066-\\u2069\\u200E\\u200F\\u061C";

/** For one-line fields (names, titles): no control character at all. */
export const UNSAFE_LINE = new RegExp(`[\\p{Cc}${BIDI_CONTROLS}]`, "u");

/** For multi-line fields (reflections, notes): tabs and line breaks are allowed, nothing else. */
export const UNSAFE_MULTILINE = new RegExp(`[[\\p{Cc}--[\\t\\n\\r]]${BIDI_CONTROLS}]`, "v");
