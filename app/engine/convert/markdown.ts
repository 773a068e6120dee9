/**
 * HTML to the Markdown a case text may hold (the validator refuses raw HTML, the player shows
 * Markdown without extensions). H5P stores its texts as HTML; Twine passages may contain HTML too.
 *
 * A small tolerant tree builder and renderer, not a browser: paragraphs, line breaks, headings,
 * bold, italics, code, links (http, https, mailto), lists, quotes and preformatted text become
 * Markdown; other formatting keeps its words and is reported (`onLost`); images, media, scripts
 * and forms are dropped and reported. Text is escaped so that it reads as written.
 */

const NAMED_ENTITIES: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: "\u00a0",
  ndash: "–",
  mdash: "—",
  hellip: "…",
  lsquo: "‘",
  rsquo: "’",
  ldquo: "“",
  rdquo: "”",
  laquo: "«",
  raquo: "»",
  copy: "©",
  reg: "®",
  trade: "™",
  euro: "€",
  deg: "°",
  middot: "·",
  bull: "•",
  times: "×",
  divide: "÷",
  shy: "",
  eacute: "é",
  egrave: "è",
  ecirc: "ê",
  euml: "ë",
  agrave: "à",
  acirc: "â",
  ccedil: "ç",
  icirc: "î",
  iuml: "ï",
  ocirc: "ô",
  ucirc: "û",
  ugrave: "ù",
  uuml: "ü",
  oelig: "œ",
  Eacute: "É",
  Egrave: "È",
  Ecirc: "Ê",
  Agrave: "À",
  Acirc: "Â",
  Ccedil: "Ç",
  Ocirc: "Ô",
};

/** Decodes HTML character references; unknown named ones stay as written. */
export function decodeEntities(text: string): string {
  if (!text.includes("&")) return text;
  return text.replace(/&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});/g, (all, ref: string) => {
    if (ref[0] === "#") {
      const code = ref[1] === "x" || ref[1] === "X" ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : all;
    }
    return NAMED_ENTITIES[ref] ?? all;
  });
}

type Element = { tag: string; attrs: Record<string, string>; children: Child[] };
type Child = Element | string;

const VOID = new Set([
  "br",
  "hr",
  "img",
  "input",
  "meta",
  "link",
  "source",
  "wbr",
  "area",
  "base",
  "col",
  "embed",
  "track",
]);
/** Dropped with everything inside them. */
const DROPPED = new Set([
  "script",
  "style",
  "iframe",
  "object",
  "embed",
  "video",
  "audio",
  "svg",
  "canvas",
  "form",
  "input",
  "button",
  "select",
  "textarea",
  "noscript",
  "template",
  "head",
  "title",
  "math",
  "map",
  "picture",
]);
const MEDIA = new Set(["img", "video", "audio", "iframe", "object", "embed", "svg", "canvas", "picture", "source"]);
const BLOCK = new Set([
  "p",
  "div",
  "section",
  "article",
  "header",
  "footer",
  "main",
  "aside",
  "nav",
  "figure",
  "figcaption",
  "center",
  "address",
  "details",
  "summary",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "ul",
  "ol",
  "li",
  "dl",
  "dt",
  "dd",
  "blockquote",
  "pre",
  "table",
  "thead",
  "tbody",
  "tfoot",
  "tr",
  "td",
  "th",
  "caption",
  "hr",
  "body",
  "html",
]);
/** Inline formatting Markdown has no way to say: the words stay, the formatting is reported. */
const LOST_INLINE = new Set(["u", "ins", "sub", "sup", "mark", "small", "big", "del", "s", "strike", "font"]);
/** Nesting deeper than this is read as flat text (bounds recursion on a hostile file). */
const MAX_DEPTH = 64;

const TOKEN =
  /<!--[\s\S]*?(?:-->|$)|<!\[CDATA\[[\s\S]*?(?:\]\]>|$)|<[!?][^>]*>?|<\/([A-Za-z][A-Za-z0-9-]*)\s*>|<([A-Za-z][A-Za-z0-9-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*(\/?)>|[^<]+|</g;
const ATTR = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;

function parseHtml(html: string): Element {
  const root: Element = { tag: "#root", attrs: {}, children: [] };
  const stack: Element[] = [root];
  let dropDepth = 0; // inside a dropped element: count its own nesting
  let dropTag = "";
  for (const match of html.matchAll(TOKEN)) {
    const [token, closing, opening, attrText, selfClosing] = match;
    const top = stack[stack.length - 1]!;
    if (dropDepth > 0) {
      if (opening?.toLowerCase() === dropTag && !selfClosing) dropDepth++;
      else if (closing?.toLowerCase() === dropTag) dropDepth--;
      continue;
    }
    if (opening) {
      const tag = opening.toLowerCase();
      const attrs: Record<string, string> = {};
      for (const a of (attrText ?? "").matchAll(ATTR)) {
        attrs[a[1]!.toLowerCase()] = decodeEntities(a[2] ?? a[3] ?? a[4] ?? "");
      }
      const element: Element = { tag, attrs, children: [] };
      if (DROPPED.has(tag) && !VOID.has(tag)) {
        top.children.push(element); // kept empty, so the renderer can report it
        if (!selfClosing) {
          dropDepth = 1;
          dropTag = tag;
        }
        continue;
      }
      // A new <p> or <li> closes an open one, as browsers do.
      if ((tag === "p" || tag === "li") && top.tag === tag) stack.pop();
      stack[stack.length - 1]!.children.push(element);
      if (!VOID.has(tag) && !selfClosing && stack.length < MAX_DEPTH) stack.push(element);
    } else if (closing) {
      const tag = closing.toLowerCase();
      const at = stack.findLastIndex((e) => e.tag === tag);
      if (at > 0) stack.length = at; // close it and everything left open inside it
    } else if (token.startsWith("<!--") || token.startsWith("<!") || token.startsWith("<?")) {
      continue; // comments, doctype, processing instructions
    } else {
      top.children.push(decodeEntities(token));
    }
  }
  return root;
}

export type Lost = (what: string) => void;

/** Escapes what Markdown would otherwise read as markup in a run of plain words. */
function escapeInline(text: string): string {
  return text
    .replace(/[\\`*_[\]]/g, (c) => `\\${c}`)
    .replace(/<(?=[A-Za-z/!?])/g, "\\<")
    .replace(/&(?=#?[A-Za-z0-9]+;)/g, "\\&");
}

/** A paragraph starting like a heading, list item or quote would be read as one. */
function escapeBlockStart(text: string): string {
  return text
    .replace(/^(\s*)(#{1,6}(?=\s|$)|>|[-+](?=\s)|={3,}|-{3,})/, "$1\\$2")
    .replace(/^(\s*\d{1,9})([.)])(?=\s)/, "$1\\$2");
}

function isElement(child: Child): child is Element {
  return typeof child !== "string";
}

function textContent(node: Child): string {
  return typeof node === "string" ? node : node.children.map(textContent).join("");
}

const SAFE_URL = /^(https?:\/\/|mailto:)/i;

class Renderer {
  constructor(private readonly onLost: Lost) {}

  private reportElement(element: Element) {
    if (MEDIA.has(element.tag)) {
      const src = element.attrs.src ?? element.attrs.data ?? "";
      this.onLost(`media: <${element.tag}>${src ? ` (${src})` : ""} is not carried over`);
    } else if (DROPPED.has(element.tag)) {
      this.onLost(`<${element.tag}> and what it held are not carried over`);
    }
  }

  inline(children: readonly Child[], pre = false): string {
    let out = "";
    for (const child of children) {
      if (!isElement(child)) {
        out += pre ? child : escapeInline(child.replace(/[ \t\n\r\f]+/g, " "));
        continue;
      }
      out += this.inlineElement(child);
    }
    return out;
  }

  private wrap(marker: string, inner: string): string {
    const match = /^(\s*)([\s\S]*?)(\s*)$/.exec(inner)!;
    return match[2] ? `${match[1]}${marker}${match[2]}${marker}${match[3]}` : inner;
  }

  private inlineElement(element: Element): string {
    const { tag } = element;
    if (DROPPED.has(tag) || MEDIA.has(tag)) {
      this.reportElement(element);
      const alt = tag === "img" ? element.attrs.alt?.trim() : "";
      return alt ? escapeInline(alt) : "";
    }
    switch (tag) {
      case "br":
        return "\\\n";
      case "strong":
      case "b":
        return this.wrap("**", this.inline(element.children));
      case "em":
      case "i":
      case "cite":
      case "dfn":
      case "var":
        return this.wrap("*", this.inline(element.children));
      case "code":
      case "kbd":
      case "samp":
      case "tt": {
        const code = textContent(element).replace(/[ \t\n\r\f]+/g, " ");
        if (!code.trim()) return code;
        const ticks = "`".repeat(Math.max(0, ...[...code.matchAll(/`+/g)].map((m) => m[0].length)) + 1);
        return `${ticks}${code.startsWith("`") || code.endsWith("`") ? ` ${code} ` : code}${ticks}`;
      }
      case "a": {
        const label = this.inline(element.children).trim();
        const href = (element.attrs.href ?? "").trim();
        if (!href || href.startsWith("#")) return label;
        if (!SAFE_URL.test(href)) {
          this.onLost(`link to "${href.slice(0, 80)}" kept as text only (links must be http, https or mailto)`);
          return label;
        }
        return `[${label || escapeInline(href)}](${href.replace(/[()\s]/g, (c) => encodeURIComponent(c))})`;
      }
      default:
        if (LOST_INLINE.has(tag)) this.onLost(`<${tag}> formatting has no Markdown: its words are kept`);
        return this.inline(element.children);
    }
  }

  /** Children as Markdown blocks separated by blank lines. */
  blocks(children: readonly Child[]): string {
    const out: string[] = [];
    let run: Child[] = [];
    const flush = () => {
      const text = this.inline(run)
        .split("\n")
        .map((line) => line.trim())
        .join("\n")
        .replace(/(\\\n)+$/, "")
        .trim();
      if (text) out.push(escapeBlockStart(text));
      run = [];
    };
    for (const child of children) {
      if (isElement(child) && BLOCK.has(child.tag)) {
        flush();
        const block = this.block(child);
        if (block.trim()) out.push(block);
      } else {
        run.push(child);
      }
    }
    flush();
    return out.join("\n\n");
  }

  private block(element: Element): string {
    const { tag } = element;
    if (/^h[1-6]$/.test(tag)) {
      const text = this.inline(element.children).replace(/\\\n/g, " ").trim();
      return text ? `${"#".repeat(Number(tag[1]))} ${text}` : "";
    }
    switch (tag) {
      case "hr":
        return "---";
      case "ul":
      case "ol": {
        let n = Number(element.attrs.start) || 1;
        const lines: string[] = [];
        for (const item of element.children.filter(isElement)) {
          const marker = tag === "ol" ? `${n++}. ` : "- ";
          const body = item.tag === "li" ? this.blocks(item.children) : this.block(item);
          if (!body.trim()) continue;
          const indent = " ".repeat(marker.length);
          lines.push(
            marker +
              body
                .split("\n")
                .map((line, i) => (i === 0 || !line ? line : indent + line))
                .join("\n"),
          );
        }
        return lines.join("\n");
      }
      case "blockquote":
        return this.blocks(element.children)
          .split("\n")
          .map((line) => (line ? `> ${line}` : ">"))
          .join("\n");
      case "pre": {
        const code = textContent(element).replace(/^\n/, "").replace(/\s+$/, "");
        const fence = "`".repeat(Math.max(3, ...[...code.matchAll(/`{3,}/g)].map((m) => m[0].length + 1)));
        return code ? `${fence}\n${code}\n${fence}` : "";
      }
      case "table": {
        this.onLost("a table is written as one line per row, its cells separated by “ | ”");
        const rows: string[] = [];
        const visit = (node: Element) => {
          for (const child of node.children) {
            if (!isElement(child)) continue;
            if (child.tag === "tr") {
              const cells = child.children
                .filter((c): c is Element => isElement(c) && (c.tag === "td" || c.tag === "th"))
                .map((cell) => this.inline(cell.children).replace(/\\\n/g, " ").trim());
              if (cells.some(Boolean)) rows.push(escapeBlockStart(cells.join(" | ")));
            } else {
              visit(child);
            }
          }
        };
        visit(element);
        return rows.join("\\\n");
      }
      case "li":
        return this.blocks(element.children);
      default:
        return this.blocks(element.children);
    }
  }
}

/** HTML as Markdown blocks (bodies, prompts, feedback). */
export function htmlToMarkdown(html: string, onLost: Lost = () => {}): string {
  return new Renderer(onLost).blocks(parseHtml(html).children).trim();
}

/**
 * HTML as one line of plain text (titles, labels): shown as written, so nothing is escaped but a
 * "<" that would read as a tag, which gets a space after it.
 */
export function htmlToPlain(html: string, onLost: Lost = () => {}): string {
  const root = parseHtml(html);
  const walk = (node: Child): string => {
    if (typeof node === "string") return node;
    if (DROPPED.has(node.tag) || MEDIA.has(node.tag)) {
      new Renderer(onLost).inline([node]);
      return node.tag === "img" ? (node.attrs.alt ?? "") : "";
    }
    const inner = node.children.map(walk).join("");
    return BLOCK.has(node.tag) || node.tag === "br" ? ` ${inner} ` : inner;
  };
  return walk(root)
    .replace(/[ \t\n\r\f]+/g, " ")
    .trim()
    .replace(/<(?=[A-Za-z/!?])/g, "< ");
}
