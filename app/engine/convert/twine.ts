/**
 * Twine 2 stories (published HTML, or Twee 3 text) to a story graph. A passage becomes a node by
 * its links: none, an outcome; one, a scene; two or more, a decision whose choices are the links.
 *
 * Links: [[t]], [[text|t]], [[text->t]], [[t<-text]] (and SugarCube's [[text|t][$x to 1]]);
 * Harlowe's (link-goto:), (click-goto:), (link-reveal-goto:), (goto:) and (link:)[(goto:)];
 * SugarCube's <<link>>, <<button>>, <<goto>>, <<actions>> and <<choice>>. Other macros, variables,
 * conditions and hooks cannot be carried over: each is a warning with its passage and line, and the
 * text inside a condition is kept, shown unconditionally.
 *
 * The parsers are written here (after the Twine 2 HTML and Twee 3 specifications) rather than
 * taken from extwee: its parse functions print to the console, drop duplicate passages silently,
 * trim passage text (losing line numbers) and load node:crypto, where this module stays pure.
 */
import type { Story, StoryChoice, StoryNode } from "./build";
import { decodeEntities, htmlToMarkdown } from "./markdown";
import { CONVERT_LIMITS, failConvert, type ConvertFailure, type ConvertOptions, type ConvertWarning } from "./types";

export type Passage = {
  name: string;
  tags: string[];
  text: string;
  /** The file's line of the passage text's first line (Twee), for warnings. */
  fileLine?: number;
};

export type TwineStory = {
  name: string;
  /** The start passage's name. */
  start: string | undefined;
  format: string;
  formatVersion: string;
  passages: Passage[];
  warnings: ConvertWarning[];
};

const ATTR = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;

function attributes(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of text.matchAll(ATTR)) out[a[1]!.toLowerCase()] = decodeEntities(a[2] ?? a[3] ?? a[4] ?? "");
  return out;
}

/** What a story may hold beyond its passages that a case cannot: each non-empty one is a warning. */
const STORY_EXTRAS = [
  {
    pattern: /<script\b[^>]*(?:text\/twine-javascript|twine-user-script)[^>]*>([\s\S]*?)<\/script\s*>/i,
    where: "Story JavaScript",
    message: "the story's JavaScript is not carried over",
  },
  {
    pattern: /<style\b[^>]*(?:text\/twine-css|twine-user-stylesheet)[^>]*>([\s\S]*?)<\/style\s*>/i,
    where: "Story Stylesheet",
    message: "the story's stylesheet is not carried over: cases look like every other case",
  },
] as const;

/** A Twine 2 published story (or archive): <tw-storydata> and its <tw-passagedata>. */
export function parseTwine2Html(html: string): TwineStory | ConvertFailure {
  const data = /<tw-storydata\b([^>]*)>/i.exec(html);
  if (!data) {
    return failConvert(
      "not-twine",
      /id=["']?storeArea/i.test(html)
        ? "this is a Twine 1 story; open it in Twine 2 and publish it again"
        : "the HTML has no <tw-storydata> element, so it is not a published Twine 2 story",
    );
  }
  const story = attributes(data[1]!);
  const warnings: ConvertWarning[] = [];
  const passages: Passage[] = [];
  let start: string | undefined;
  for (const match of html.matchAll(/<tw-passagedata\b([^>]*)>([\s\S]*?)<\/tw-passagedata\s*>/gi)) {
    const attrs = attributes(match[1]!);
    const name = attrs.name ?? "";
    if (passages.length >= CONVERT_LIMITS.items) {
      return failConvert("too-big", `the story has more than ${CONVERT_LIMITS.items} passages`);
    }
    passages.push({ name, tags: (attrs.tags ?? "").split(/\s+/).filter(Boolean), text: decodeEntities(match[2]!) });
    if (attrs.pid !== undefined && attrs.pid === story.startnode) start = name;
  }
  for (const { pattern, where, message } of STORY_EXTRAS) {
    if (pattern.exec(html)?.[1]?.trim()) warnings.push({ kind: "unsupported", where, message });
  }
  if (story.startnode !== undefined && start === undefined) {
    warnings.push({
      kind: "structure",
      where: "tw-storydata startnode",
      message: `no passage has the start pid ${story.startnode}; the first passage is the start`,
    });
  }
  return {
    name: story.name ?? "",
    start,
    format: story.format ?? "",
    formatVersion: story["format-version"] ?? "",
    passages,
    warnings,
  };
}

/** Twee 3 unescaping: any backslash-escaped character is the character. */
const unescape = (text: string) => text.replace(/\\(.)/g, "$1");

/** A Twee 3 header after "::": name, [tags], {metadata}; brackets in names are escaped. */
function parseHeader(header: string): { name: string; tags: string[]; metadata: string } {
  let i = 0;
  let name = "";
  while (i < header.length && header[i] !== "[" && header[i] !== "{") {
    if (header[i] === "\\" && i + 1 < header.length) {
      name += header.slice(i, i + 2);
      i += 2;
    } else name += header[i++];
  }
  let tags: string[] = [];
  if (header[i] === "[") {
    let tagText = "";
    i++;
    while (i < header.length && header[i] !== "]") {
      if (header[i] === "\\" && i + 1 < header.length) {
        tagText += header.slice(i, i + 2);
        i += 2;
      } else tagText += header[i++];
    }
    i++;
    tags = tagText.split(/\s+/).filter(Boolean).map(unescape);
    while (header[i] === " ") i++;
  }
  const metadata = header[i] === "{" ? header.slice(i) : "";
  return { name: unescape(name.trim()), tags, metadata };
}

export function parseTwee(text: string): TwineStory | ConvertFailure {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  const warnings: ConvertWarning[] = [];
  const passages: Passage[] = [];
  let current: (Passage & { lines: string[] }) | null = null;
  const close = () => {
    if (!current) return;
    while (current.lines.length > 0 && current.lines[current.lines.length - 1]!.trim() === "") current.lines.pop();
    passages.push({
      name: current.name,
      tags: current.tags,
      text: current.lines.join("\n"),
      fileLine: current.fileLine,
    });
  };
  lines.forEach((line, index) => {
    if (line.startsWith("::")) {
      close();
      if (passages.length >= CONVERT_LIMITS.items) return;
      const header = parseHeader(line.slice(2));
      if (header.metadata) {
        try {
          JSON.parse(header.metadata);
        } catch {
          warnings.push({
            kind: "structure",
            where: `line ${index + 1}`,
            message:
              "the passage's metadata is not valid JSON; it is ignored (it only places the passage on Twine's map)",
          });
        }
      }
      current = { name: header.name, tags: header.tags, text: "", fileLine: index + 2, lines: [] };
    } else if (current) {
      current.lines.push(line);
    }
  });
  close();
  if (passages.length === 0) {
    return failConvert(
      "not-twine",
      'the text has no passage header (a line starting with "::"), so it is not a Twee story',
    );
  }
  if (passages.length >= CONVERT_LIMITS.items) {
    return failConvert("too-big", `the story has more than ${CONVERT_LIMITS.items} passages`);
  }
  const title = passages.find((p) => p.name === "StoryTitle");
  const dataPassage = passages.find((p) => p.name === "StoryData");
  let data: Record<string, unknown> = {};
  if (dataPassage) {
    try {
      const parsed = JSON.parse(dataPassage.text) as unknown;
      if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) data = parsed as Record<string, unknown>;
    } catch {
      warnings.push({
        kind: "structure",
        where: `passage "StoryData", line ${dataPassage.fileLine ?? 1}`,
        message: 'StoryData is not valid JSON; the start is the passage "Start"',
      });
    }
  }
  const str = (v: unknown) => (typeof v === "string" ? v : "");
  return {
    name: title?.text.trim() ?? "",
    start: str(data.start) || "Start",
    format: str(data.format),
    formatVersion: str(data["format-version"]),
    passages: passages.filter((p) => p.name !== "StoryTitle" && p.name !== "StoryData"),
    warnings,
  };
}

// ---------------------------------------------------------------------------------------------
// Links and macros

type Link = { text: string; target: string; offset: number };
type Scan = { body: string; links: Link[] };

/** The end (exclusive) of a bracketed run starting at `open` (balanced, strings skipped), or -1. */
function closing(text: string, open: number, openChar: string, closeChar: string): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'") {
      const end = text.indexOf(c, i + 1);
      if (end === -1) return -1;
      i = end;
    } else if (c === openChar) depth++;
    else if (c === closeChar && --depth === 0) return i + 1;
  }
  return -1;
}

/** String arguments of a macro call: "a", 'b'. */
const strings = (args: string) =>
  [...args.matchAll(/"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'/g)].map((m) => unescape(m[1] ?? m[2] ?? ""));

/** [[…]] inner text to a link: rightmost "->", leftmost "<-", then the first "|". */
function wikiLink(inner: string): { text: string; target: string } {
  const arrow = inner.lastIndexOf("->");
  if (arrow !== -1) return { text: inner.slice(0, arrow), target: inner.slice(arrow + 2) };
  const back = inner.indexOf("<-");
  if (back !== -1) return { text: inner.slice(back + 2), target: inner.slice(0, back) };
  const bar = inner.indexOf("|");
  if (bar !== -1) return { text: inner.slice(0, bar), target: inner.slice(bar + 1) };
  return { text: inner, target: inner };
}

const WIKI_LINK = /\[\[([^\]]*?)\](?:\[([^\]]*)\])?\]/y;
const HARLOWE_MACRO = /\(([A-Za-z][\w-]*):/y;
const SUGAR_MACRO = /<<(\/?)([A-Za-z=-][\w-]*)/y;
const LINK_MACROS = new Set(["link", "button"]);
const CONDITIONS = new Set(["if", "else-if", "elseif", "else", "unless", "show", "hidden", "when"]);

/**
 * Finds the links of a passage and removes them, and every macro, from its text; each thing that
 * is not carried over is reported at its line. `harlowe`/`sugarcube`: which macro syntaxes to read.
 */
export function scanPassage(
  text: string,
  syntax: { harlowe: boolean; sugarcube: boolean },
  report: (offset: number, message: string, kind?: "unsupported" | "structure") => void,
  depth = 0,
): Scan {
  // Hooks nest; past this depth (a hostile file) the rest is read as text.
  if (depth > 32) return { body: text, links: [] };
  const links: Link[] = [];
  const inside = (hook: string, at: number) => {
    const inner = scanPassage(hook, syntax, (o, message, kind) => report(at + o, message, kind), depth + 1);
    links.push(...inner.links.map((l) => ({ ...l, offset: at + l.offset })));
    return inner.body;
  };
  let body = "";
  const reported = new Set<string>();
  const once = (offset: number, key: string, message: string) => {
    if (reported.has(key)) return;
    reported.add(key);
    report(offset, message);
  };
  const addLink = (textValue: string, target: string, offset: number) => {
    const name = target.trim();
    if (/^[$_][A-Za-z]/.test(name)) {
      report(
        offset,
        `the link goes to the passage named by the variable ${name}, which cannot be carried over; link it to a passage by name`,
      );
      return;
    }
    if (name) links.push({ text: textValue.trim() || name, target: name, offset });
  };

  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    // Comments: HTML, SugarCube /* */ and /% %/.
    if (text.startsWith("<!--", i) || text.startsWith("/*", i) || text.startsWith("/%", i)) {
      const end = text.startsWith("<!--", i) ? "-->" : text.startsWith("/*", i) ? "*/" : "%/";
      const stop = text.indexOf(end, i + 2);
      i = stop === -1 ? text.length : stop + end.length;
      continue;
    }
    if (c === "[" && text[i + 1] === "[") {
      WIKI_LINK.lastIndex = i;
      const m = WIKI_LINK.exec(text);
      if (m) {
        const link = wikiLink(m[1]!);
        if (m[2] !== undefined) once(i, "setter", `the link sets ${m[2].trim()}, and variables are not carried over`);
        addLink(link.text, link.target, i);
        i += m[0].length;
        continue;
      }
    }
    if (syntax.harlowe && c === "(") {
      HARLOWE_MACRO.lastIndex = i;
      const m = HARLOWE_MACRO.exec(text);
      const end = m ? closing(text, i, "(", ")") : -1;
      if (m && end !== -1) {
        const name = m[1]!.toLowerCase();
        const args = text.slice(i + m[0].length, end - 1);
        const hookEnd = text[end] === "[" ? closing(text, end, "[", "]") : -1;
        const hook = hookEnd !== -1 ? text.slice(end + 1, hookEnd - 1) : undefined;
        const words = strings(args);
        if (name === "link-goto" || name === "link-reveal-goto" || name === "click-goto") {
          addLink(words.length > 1 ? words[0]! : (words[0] ?? ""), words[words.length - 1] ?? "", i);
          if (name === "click-goto" && /\?\w/.test(args))
            once(i, "click", "(click-goto:) on a hook becomes a choice with the passage's name");
          i = hookEnd !== -1 && name === "link-reveal-goto" ? hookEnd : end;
          continue;
        }
        if (name === "goto") {
          addLink(words[0] ?? "", words[0] ?? "", i);
          i = end;
          continue;
        }
        if ((name === "link" || name === "link-reveal" || name === "link-repeat") && hook !== undefined) {
          const inner = /\(goto:\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')\s*\)/.exec(hook);
          if (inner) {
            addLink(words[0] ?? "", unescape(inner[1] ?? inner[2] ?? ""), i);
          } else {
            report(i, `(${name}:) reveals text without going anywhere, which cannot be carried over; its text is kept`);
            body += words[0] ? `${words[0]} ` : "";
            body += inside(hook, end + 1);
          }
          i = hookEnd;
          continue;
        }
        if (CONDITIONS.has(name)) {
          report(
            i,
            `the condition (${name}: ${args.trim()}) cannot be carried over; what it shows is kept, shown always`,
          );
        } else if (name === "display") {
          report(
            i,
            `(display: ${args.trim()}) shows another passage here, which cannot be carried over; copy its text`,
          );
        } else {
          report(i, `the macro (${name}:) cannot be carried over`);
        }
        if (hook !== undefined) {
          // The hook's text stays (its links too), without its brackets.
          body += inside(hook, end + 1);
          i = hookEnd;
        } else {
          i = end;
        }
        continue;
      }
    }
    if (syntax.harlowe && (c === "|" || c === "?")) {
      const named = c === "|" ? /\|[A-Za-z]\w*[>)]/y : /\?[A-Za-z]\w*/y;
      named.lastIndex = i;
      const m = named.exec(text);
      if (m) {
        once(i, "hook", "named hooks (|name>[…], ?name) cannot be carried over; their text is kept");
        i += m[0].length;
        continue;
      }
    }
    if (syntax.harlowe && c === "]" && /^\]<[A-Za-z]\w*\|/.test(text.slice(i, i + 40))) {
      const m = /^\]<[A-Za-z]\w*\|/.exec(text.slice(i, i + 40))!;
      i += m[0].length;
      continue;
    }
    if (syntax.sugarcube && c === "<" && text[i + 1] === "<") {
      SUGAR_MACRO.lastIndex = i;
      const m = SUGAR_MACRO.exec(text);
      const end = m ? text.indexOf(">>", i + 2) : -1;
      if (m && end !== -1) {
        const closingTag = m[1] === "/";
        const name = m[2]!.toLowerCase();
        const args = text.slice(i + m[0].length, end).trim();
        const after = end + 2;
        if (closingTag) {
          i = after;
          continue;
        }
        if (name === "script") {
          const stop = text.indexOf("<</script>>", after);
          report(i, "the <<script>> cannot be carried over");
          i = stop === -1 ? text.length : stop + "<</script>>".length;
          continue;
        }
        if (LINK_MACROS.has(name)) {
          const stop = text.indexOf(`<</${m[2]}>>`, after);
          const inner = stop === -1 ? "" : text.slice(after, stop);
          const wiki = /\[\[([^\]]*?)\](?:\[[^\]]*\])?\]/.exec(args);
          const words = strings(args);
          const goto = /<<goto\s+(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|\[\[([^\]]*?)\]\])/.exec(inner);
          if (wiki) {
            const link = wikiLink(wiki[1]!);
            addLink(link.text, link.target, i);
          } else if (words.length >= 2) {
            addLink(words[0]!, words[1]!, i);
          } else if (goto) {
            addLink(
              words[0] ?? "",
              goto[3] !== undefined ? wikiLink(goto[3]).target : unescape(goto[1] ?? goto[2] ?? ""),
              i,
            );
          } else {
            report(i, `<<${name}>> runs code without going to a passage, which cannot be carried over`);
          }
          if (stop !== -1 && inner.replace(/<<goto[^>]*>>/g, "").trim()) {
            once(i, `${name}-body`, `what <<${name}>> does besides going on cannot be carried over`);
          }
          i = stop === -1 ? after : stop + `<</${m[2]}>>`.length;
          continue;
        }
        if (name === "goto") {
          const wiki = /\[\[([^\]]*?)\]\]/.exec(args);
          const target = wiki ? wikiLink(wiki[1]!).target : (strings(args)[0] ?? args);
          addLink(target, target, i);
          i = after;
          continue;
        }
        if (name === "actions" || name === "choice") {
          const wikis = [...args.matchAll(/\[\[([^\]]*?)\]\]/g)];
          if (wikis.length > 0) {
            for (const w of wikis) {
              const link = wikiLink(w[1]!);
              addLink(link.text, link.target, i);
            }
          } else {
            const words = strings(args);
            if (name === "choice" && words.length > 0) addLink(words[1] ?? words[0]!, words[0]!, i);
            else for (const w of words) addLink(w, w, i);
          }
          i = after;
          continue;
        }
        if (name === "back" || name === "return") {
          report(i, `<<${name}>> goes back, which a Vignette case never does`);
        } else if (CONDITIONS.has(name)) {
          report(
            i,
            `the condition <<${name}${args ? ` ${args}` : ""}>> cannot be carried over; what it shows is kept, shown always`,
          );
        } else if (name === "include") {
          report(i, `<<include ${args}>> shows another passage here, which cannot be carried over; copy its text`);
        } else {
          report(i, `the macro <<${name}>> cannot be carried over`);
        }
        i = after;
        continue;
      }
    }
    if (c === "$" && /[A-Za-z]/.test(text[i + 1] ?? "")) {
      const m = /^\$[A-Za-z_]\w*/.exec(text.slice(i, i + 100))!;
      once(i, m[0], `the variable ${m[0]} cannot be carried over; it is shown as written`);
    }
    body += c;
    i++;
  }
  return { body, links };
}

/** Twine's text markup (shared by Harlowe and SugarCube, plus HTML) as HTML, for htmlToMarkdown. */
function markupToHtml(text: string): string {
  const inline = (line: string) =>
    line
      .replace(/''(.+?)''/g, "<strong>$1</strong>")
      .replace(/\*\*(.+?)\*\*/g, "<strong>$1</strong>")
      .replace(/(^|[^:])\/\/(.+?)\/\//g, "$1<em>$2</em>")
      .replace(/(^|[^*])\*([^*\s][^*]*?)\*(?!\*)/g, "$1<em>$2</em>")
      .replace(/~~(.+?)~~/g, "<s>$1</s>")
      .replace(/\^\^(.+?)\^\^/g, "<sup>$1</sup>")
      .replace(/__(.+?)__/g, "<u>$1</u>")
      .replace(/==(.+?)==/g, "<s>$1</s>")
      .replace(/@@[^;@]*;(.+?)@@/g, "<u>$1</u>");
  return text
    .split(/\n[ \t]*\n/)
    .map((block) => {
      const lines = block.split("\n").filter((l) => l.trim() !== "");
      if (lines.length === 0) return "";
      if (lines.every((l) => /^\s*[*-]\s+/.test(l))) {
        return `<ul>${lines.map((l) => `<li>${inline(l.replace(/^\s*[*-]\s+/, ""))}</li>`).join("")}</ul>`;
      }
      return lines
        .map((l) => {
          const heading = /^(#{1,6})\s+(.*)$/.exec(l);
          if (heading) return `<h${heading[1]!.length}>${inline(heading[2]!)}</h${heading[1]!.length}>`;
          if (/^\s*-{3,}\s*$/.test(l)) return "<hr>";
          return `<p>${inline(l)}</p>`;
        })
        .join("")
        .replace(/<\/p><p>/g, "<br>");
    })
    .join("");
}

/** Where a thing in a passage is: `passage "Ward", line 3` (and the Twee file's line). */
function whereIn(passage: Passage, offset: number): string {
  const line = passage.text.slice(0, offset).split("\n").length;
  return `passage "${passage.name}", line ${line}${passage.fileLine !== undefined ? ` (file line ${passage.fileLine + line - 1})` : ""}`;
}

const SUGARCUBE_SPECIAL = new Set([
  "StoryInit",
  "StoryCaption",
  "StoryMenu",
  "StoryBanner",
  "StorySubtitle",
  "StoryAuthor",
  "StoryShare",
  "StoryInterface",
  "PassageReady",
  "PassageDone",
  "PassageHeader",
  "PassageFooter",
]);
const SPECIAL_TAGS = new Set([
  "script",
  "stylesheet",
  "widget",
  "header",
  "footer",
  "startup",
  "debug-header",
  "debug-footer",
  "debug-startup",
  "init",
  "Twine.image",
  "annotation",
]);
/** Tags that change only how a passage is laid out: dropped without a word. */
const LAYOUT_TAGS = new Set(["nobr", "transition-in", "transition-out"]);

export function twineStory(
  parsed: TwineStory,
  format: "twine-html" | "twee",
  options: ConvertOptions,
): Story | ConvertFailure {
  const warnings = [...parsed.warnings];
  const formatName = parsed.format.toLowerCase();
  const syntax = {
    harlowe: !formatName.startsWith("sugarcube"),
    sugarcube: !formatName.startsWith("harlowe"),
  };
  if (formatName && !formatName.startsWith("harlowe") && !formatName.startsWith("sugarcube")) {
    warnings.push({
      kind: "unsupported",
      where: "story format",
      message: `the story format ${parsed.format} ${parsed.formatVersion} is read for its links only ([[…]]); its own markup is kept as text`,
    });
  }

  const byName = new Map<string, Passage>();
  for (const passage of parsed.passages) {
    if (byName.has(passage.name)) {
      warnings.push({
        kind: "structure",
        where: whereIn(passage, 0),
        message: `a second passage is named “${passage.name}”; only the first is imported: rename one`,
      });
      continue;
    }
    if (SUGARCUBE_SPECIAL.has(passage.name) || passage.tags.some((t) => SPECIAL_TAGS.has(t))) {
      const tag = passage.tags.find((t) => SPECIAL_TAGS.has(t));
      warnings.push({
        kind: "unsupported",
        where: whereIn(passage, 0),
        message: `this is a ${tag ? `“${tag}” passage` : "special passage"} (code, style or text shown on every page), which cannot be carried over`,
      });
      continue;
    }
    byName.set(passage.name, passage);
  }
  if (byName.size === 0) return failConvert("bad-twine", "the story has no passages to import");
  const startName = parsed.start !== undefined && byName.has(parsed.start) ? parsed.start : [...byName.keys()][0]!;
  if (parsed.start !== undefined && startName !== parsed.start) {
    warnings.push({
      kind: "structure",
      where: "start passage",
      message: `there is no start passage “${parsed.start}”; the first passage, “${startName}”, is the start`,
    });
  }

  const key = (name: string) => `passage:${name}`;
  const nodes = new Map<string, StoryNode>();
  for (const passage of byName.values()) {
    const at = (offset: number) => whereIn(passage, offset);
    const scan = scanPassage(passage.text, syntax, (offset, message, kind = "unsupported") =>
      warnings.push({ kind, where: at(offset), message }),
    );
    const scoring = passage.tags.filter((t) => !LAYOUT_TAGS.has(t));
    if (scoring.length > 0) {
      warnings.push({
        kind: "scoring",
        where: at(0),
        message: `scoring to add: the passage is tagged ${scoring.map((t) => `“${t}”`).join(", ")}; if a tag scored the path, give the choices leading here effects on the standards it stands for`,
      });
    }
    const body = htmlToMarkdown(markupToHtml(scan.body), (lost) =>
      warnings.push({ kind: lost.startsWith("media") ? "media" : "text", where: at(0), message: lost }),
    );
    // The same text and target twice is one choice.
    const seen = new Set<string>();
    const links = scan.links.filter((l) => {
      const id = `${l.text}\u0000${l.target}`;
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    });
    const common = { key: key(passage.name), name: passage.name, where: at(0) };
    if (links.length === 0) {
      nodes.set(common.key, { ...common, kind: "outcome", title: passage.name, body });
    } else if (links.length === 1) {
      const link = links[0]!;
      nodes.set(common.key, {
        ...common,
        kind: "scene",
        body: body || link.text,
        next: key(link.target),
        nextWhere: at(link.offset),
      });
    } else {
      const choices: StoryChoice[] = links.map((l) => ({ label: l.text, next: key(l.target), where: at(l.offset) }));
      nodes.set(common.key, { ...common, kind: "decision", prompt: body, choices });
    }
  }

  return {
    format,
    title: parsed.name.trim() || startName,
    locale: options.locale ?? "en",
    start: key(startName),
    nodes,
    warnings,
  };
}
