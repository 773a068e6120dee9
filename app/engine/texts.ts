/**
 * The one walker of a file's localized texts (a case's or a catalog's): every object whose keys are
 * locale codes, in file order, with its JSON pointer and where it sits (node, choice, catalog item).
 * The studio's translations page and the XLIFF export and import all read texts through it, so a text
 * the format gains later (an image's alt text, a caption) is listed, exported and imported without
 * changing any of them.
 *
 * Works on any JSON value, valid or not: the translations page shows a broken draft's texts too.
 */
import { toPointer } from "./json";
import { SUPPORTED_LOCALES, type LocalizedText } from "./schema";

export type TextEntry = {
  /** RFC 6901 pointer to the localized object, e.g. "/nodes/q1/choices/0/feedback". */
  pointer: string;
  path: ReadonlyArray<string | number>;
  /** Path segments for people: an array item with an id or code reads "0 (accept)". */
  labels: readonly string[];
  /** The key holding the text: "title", "body", "prompt", "label", "feedback", "alt", "caption"… */
  field: string;
  /** The locale-keyed object as written (values are usually strings). */
  text: Readonly<Record<string, unknown>>;
  /** The case node the text belongs to. */
  node: { id: string; kind: string | null } | null;
  /** The decision's choice the text belongs to, with its label (context for a feedback). */
  choice: { id: string; label: LocalizedText | null } | null;
  /** The catalog item (innermost) the text belongs to. */
  item: string | null;
};

const LOCALES: ReadonlySet<string> = new Set(SUPPORTED_LOCALES);

// An empty object cannot tell a text with no locale yet from any other empty object: it counts as a
// text only under the keys the format uses for texts, so a missing translation is still listed.
const TEXT_FIELDS = new Set(["title", "summary", "body", "prompt", "label", "feedback", "text", "alt", "caption"]);

// Locale-keyed maps that are not text: an image's per-locale picture ({"fr": "<sha256>"}).
const NOT_TEXT_FIELDS = new Set(["variants"]);

export function isLocalizedText(key: string, value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  if (NOT_TEXT_FIELDS.has(key)) return false;
  const keys = Object.keys(value);
  if (keys.length === 0) return TEXT_FIELDS.has(key);
  return keys.every((k) => LOCALES.has(k));
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function localizedOrNull(value: unknown): LocalizedText | null {
  return isLocalizedText("label", value) ? (value as LocalizedText) : null;
}

/** Every localized text of a case or catalog (or any JSON value), in file order. */
export function localizedTexts(value: unknown): TextEntry[] {
  const out: TextEntry[] = [];
  type Context = Pick<TextEntry, "node" | "choice" | "item">;
  const visit = (v: unknown, path: (string | number)[], labels: string[], key: string, context: Context) => {
    if (path.length > 0 && isLocalizedText(key, v)) {
      out.push({ pointer: toPointer(path), path: [...path], labels: [...labels], field: key, text: v, ...context });
      return;
    }
    if (Array.isArray(v)) {
      v.forEach((item, i) => {
        const id = isObject(item) && typeof item.id === "string" ? item.id : null;
        const code = isObject(item) && typeof item.code === "string" ? item.code : null;
        const named = id ?? code;
        let inner = context;
        if (key === "choices" && id !== null && context.node) {
          inner = { ...context, choice: { id, label: localizedOrNull(isObject(item) ? item.label : null) } };
        } else if (key === "items" && code !== null) {
          inner = { ...context, item: code };
        }
        visit(item, [...path, i], [...labels, named !== null ? `${i} (${named})` : String(i)], key, inner);
      });
    } else if (isObject(v)) {
      for (const [k, child] of Object.entries(v)) {
        let inner = context;
        if (path.length === 1 && path[0] === "nodes") {
          inner = {
            ...context,
            node: { id: k, kind: isObject(child) && typeof child.kind === "string" ? child.kind : null },
          };
        }
        visit(child, [...path, k], [...labels, k], k, inner);
      }
    }
  };
  visit(value, [], [], "", { node: null, choice: null, item: null });
  return out;
}
