/**
 * Raw HTML in authored text. Texts are markdown and the player drops raw HTML (react-markdown with
 * skipHtml), so a tag an author writes silently vanishes from the page ("Hello <b>there</b>" shows
 * "Hello there", "<script>x=1</script>" shows "x=1"). Validation finds it here and says what to
 * write instead.
 *
 * A small scanner, not a markdown parser: it runs on every text of a case on every keystroke in
 * the studio, and most texts hold no "<" at all. It follows CommonMark's raw HTML rules (open and
 * closing tags, comments, processing instructions, declarations, CDATA, and the starts of HTML
 * blocks such as an unclosed `<div` or `<!--`), and skips what CommonMark does not read as HTML:
 * code spans and fenced code, backslash escapes (`\<b>`) and autolinks (`<https://…>`). It is
 * stricter than CommonMark in two harmless ways: an HTML block start counts anywhere in a line, not
 * only at its start, and indented code blocks are read as text (write code in backticks instead).
 * A "<" not followed by a tag name ("a < b", "x <= 3", "<3", "2<5") is never HTML.
 */

export type HtmlFound = {
  /** Lowercased tag name ("b", "script"), or "!--" for a comment, "?" and "!" for the rest. */
  name: string;
  /** The first characters of the HTML as written, for the message. */
  excerpt: string;
};

const TAG_NAME = "[A-Za-z][A-Za-z0-9-]*";
const ATTRIBUTE = `\\s+[A-Za-z_:][A-Za-z0-9_.:-]*(?:\\s*=\\s*(?:[^\\s"'=<>\`]+|'[^']*'|"[^"]*"))?`;
const OPEN_TAG = new RegExp(`<(${TAG_NAME})(?:${ATTRIBUTE})*\\s*/?>`, "y");
const CLOSING_TAG = new RegExp(`</(${TAG_NAME})\\s*>`, "y");
const URI_AUTOLINK = /<[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*>/y;
const EMAIL_AUTOLINK =
  /<[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*>/y;
// CommonMark's HTML block starts (types 1 and 6); such a block runs to a blank line, tag or not.
const RAW_BLOCK_START = /<(script|pre|style|textarea)(?=[\s>]|$)/iy;
const BLOCK_START = new RegExp(
  "</?(address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|details|dialog|dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|h[1-6]|head|header|hr|html|iframe|legend|li|link|main|menu|menuitem|nav|noframes|ol|optgroup|option|p|param|search|section|summary|table|tbody|td|tfoot|th|thead|title|tr|track|ul)(?=\\s|/?>|$)",
  "iy",
);
const FENCE = /[ ]{0,3}(`{3,}|~{3,})([^\n]*)/y;
// A tag longer than this is not looked for, which bounds the work on a hostile text.
const MAX_TAG = 1024;

function matchAt(pattern: RegExp, text: string, at: number): RegExpExecArray | null {
  pattern.lastIndex = at;
  return pattern.exec(text);
}

/** The end of a fenced code block opened at `at` (a line start), or -1 if no fence opens there. */
function fencedCodeEnd(text: string, at: number): number {
  const open = matchAt(FENCE, text, at);
  if (!open) return -1;
  const fence = open[1]!;
  if (fence[0] === "`" && open[2]!.includes("`")) return -1; // not a fence: an inline code span
  const close = new RegExp(`^[ ]{0,3}${fence[0] === "`" ? "`" : "~"}{${fence.length},}[ \\t]*$`, "m");
  const afterOpen = text.indexOf("\n", at);
  if (afterOpen === -1) return text.length;
  const rest = close.exec(text.slice(afterOpen + 1));
  return rest ? afterOpen + 1 + rest.index + rest[0].length : text.length; // unclosed: runs to the end
}

/** The length of the run of `char` at `at`. */
function runLength(text: string, at: number, char: string): number {
  let end = at;
  while (text[end] === char) end++;
  return end - at;
}

/** The end of the code span whose opening backticks start at `at`, or -1 if none closes it. */
function codeSpanEnd(text: string, at: number, ticks: number): number {
  let from = at + ticks;
  for (;;) {
    const next = text.indexOf("`", from);
    if (next === -1) return -1;
    const run = runLength(text, next, "`");
    if (run === ticks) return next + run;
    from = next + run;
  }
}

/** The first 40 characters of text[at, end), marked when cut. */
function excerptOf(text: string, at: number, end: number): string {
  const written = text.slice(at, Math.min(end, at + 40));
  return end > at + 40 ? `${written}…` : written;
}

/** The raw HTML at `at` (a "<"), with where it ends, or undefined if there is none. */
function htmlAt(text: string, at: number): { found: HtmlFound; end: number } | undefined {
  const next = text[at + 1];
  if (next === undefined) return undefined;
  if (next === "!" || next === "?") {
    if (text.startsWith("<!--", at)) {
      const close = text.indexOf("-->", at + 2);
      const end = close === -1 ? text.length : close + 3;
      return { found: { name: "!--", excerpt: excerptOf(text, at, end) }, end };
    }
    if (next === "?" || /[A-Za-z]/.test(text[at + 2] ?? "") || text.startsWith("<![CDATA[", at)) {
      const close = text.indexOf(">", at);
      const end = close === -1 ? text.length : close + 1;
      return { found: { name: next, excerpt: excerptOf(text, at, end) }, end };
    }
    return undefined;
  }
  const nameStart = next === "/" ? at + 2 : at + 1;
  if (!/[A-Za-z]/.test(text[nameStart] ?? "")) return undefined;
  const window = text.slice(at, at + MAX_TAG);
  const tag = matchAt(next === "/" ? CLOSING_TAG : OPEN_TAG, window, 0);
  if (tag) {
    const end = at + tag[0].length;
    return { found: { name: tag[1]!.toLowerCase(), excerpt: excerptOf(text, at, end) }, end };
  }
  // No text is both a tag and an autolink (a tag name is never followed by ":" or "@").
  const link = next === "/" ? null : (matchAt(URI_AUTOLINK, window, 0) ?? matchAt(EMAIL_AUTOLINK, window, 0));
  if (link) return { found: { name: "", excerpt: "" }, end: at + link[0].length }; // an autolink, not HTML
  const block = matchAt(RAW_BLOCK_START, window, 0) ?? matchAt(BLOCK_START, window, 0);
  if (block) {
    const end = at + block[0].length;
    return { found: { name: block[1]!.toLowerCase(), excerpt: excerptOf(text, at, end) }, end };
  }
  return undefined;
}

/** Every piece of raw HTML in a markdown text, in order (none for text without it). */
export function findHtml(text: string): HtmlFound[] {
  if (!text.includes("<")) return [];
  const found: HtmlFound[] = [];
  const fences = text.includes("```") || text.includes("~~~");
  // Only these characters can start something; the text between them is skipped with indexOf
  // (a global regex's exec costs about a microsecond a call on a long text).
  const specials = fences ? ["<", "`", "\\", "\n"] : ["<", "`", "\\"];
  // The next position of each, once looked up; -1: not looked up since passed; Infinity: none left.
  const positions = specials.map(() => -1);
  const nextSpecial = (from: number): number => {
    let best = Infinity;
    for (let k = 0; k < specials.length; k++) {
      if (positions[k]! < from) {
        const at = text.indexOf(specials[k]!, from);
        positions[k] = at === -1 ? Infinity : at;
      }
      best = Math.min(best, positions[k]!);
    }
    return best;
  };
  const skipFence = (at: number) => {
    const end = fencedCodeEnd(text, at);
    return end === -1 ? at : end;
  };
  let i = fences ? skipFence(0) : 0;
  while (i < text.length) {
    i = nextSpecial(i);
    if (i === Infinity) break;
    const char = text[i];
    if (char === "\n") {
      i = skipFence(i + 1);
    } else if (char === "\\") {
      i += 2; // an escaped character is literal; "\<b>" shows "<b>"
      if (fences && text[i - 1] === "\n") i = skipFence(i);
    } else if (char === "`") {
      const ticks = runLength(text, i, "`");
      const end = codeSpanEnd(text, i, ticks);
      i = end === -1 ? i + ticks : end;
    } else {
      const html = htmlAt(text, i);
      if (html && html.found.name !== "") found.push(html.found);
      i = html ? html.end : i + 1;
    }
  }
  return found;
}

/**
 * What to write instead of a piece of HTML. Markdown texts (summary, bodies, prompts, feedback) get
 * the markdown for it; plain texts (titles, choice labels, catalog texts) are shown as written.
 */
export function htmlHint(name: string, plain: boolean): string {
  switch (name) {
    case "script":
    case "noscript":
      return "remove <script>: scripts never run in case text";
    case "!--":
      return "remove the comment: comments are not allowed in text (keep notes for other authors outside the file)";
    case "img":
    case "picture":
    case "svg":
    case "canvas":
    case "figure":
    case "figcaption":
      return "images are not allowed in text";
    case "video":
    case "audio":
    case "source":
    case "track":
      return "video and audio are not allowed in text";
    case "iframe":
    case "frame":
    case "frameset":
    case "object":
    case "embed":
      return `remove <${name}>: other pages cannot be embedded in text${plain ? "" : "; link to them with [text](https://…)"}`;
    case "form":
    case "input":
    case "button":
    case "select":
    case "option":
    case "textarea":
      return `remove <${name}>: forms are not allowed in text`;
    case "style":
    case "link":
    case "meta":
      return `remove <${name}>: the player sets the page's styles`;
  }
  if (plain) return `this text is shown as written, not as markdown: remove <${name}> and keep the words`;
  switch (name) {
    case "b":
    case "strong":
      return `write **bold** instead of <${name}>…</${name}>`;
    case "i":
    case "em":
      return `write *italics* instead of <${name}>…</${name}>`;
    case "a":
      return "write [text](https://…) instead of <a href>";
    case "br":
    case "p":
    case "div":
      return 'separate paragraphs with a blank line ("\\n\\n" in the JSON string) instead of <' + name + ">";
    case "ul":
    case "ol":
    case "li":
      return `write a list, one "- item" per line, instead of <${name}>`;
    case "blockquote":
      return 'start each quoted line with "> " instead of <blockquote>';
    case "code":
    case "pre":
    case "kbd":
    case "samp":
      return `put code in \`backticks\` instead of <${name}>`;
    case "hr":
      return 'write "---" on a line of its own instead of <hr>';
  }
  if (/^h[1-6]$/.test(name)) return `write "## Heading" on a line of its own instead of <${name}>`;
  const tag = name === "?" || name === "!" ? "it" : `<${name}>`;
  return `remove ${tag}: HTML is never shown; use markdown (**bold**, *italics*, [text](https://…)), or write \\< to show a "<"`;
}
