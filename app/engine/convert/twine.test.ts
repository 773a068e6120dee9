import fs from "node:fs";
import path from "node:path";
import { parseTwee as extweeTwee, parseTwine2HTML as extweeHtml } from "extwee";
import { describe, expect, it } from "vitest";
import { convertCase, type Converted, type ConvertOptions } from ".";
import { findCycles, caseGraph } from "../graph";
import { caseFileSchema } from "../schema";
import { parseTwee, parseTwine2Html, scanPassage } from "./twine";

const fixture = (name: string) => fs.readFileSync(path.join(import.meta.dirname, "fixtures", name));

function convert(name: string, bytes: Uint8Array | string, options: ConvertOptions = {}): Converted {
  const result = convertCase(
    { name, bytes: typeof bytes === "string" ? new TextEncoder().encode(bytes) : new Uint8Array(bytes) },
    options,
  );
  if (!result.ok) throw new Error(`${result.code}: ${result.message}`);
  return result.value;
}

const caseOf = (converted: Converted) => JSON.parse(converted.source) as Record<string, any>;
const messages = (converted: Converted, kind?: string) =>
  converted.warnings.filter((w) => !kind || w.kind === kind).map((w) => `${w.where}: ${w.message}`);

/** One passage's links, as text → target. */
function linksOf(text: string, syntax = { harlowe: true, sugarcube: true }) {
  const reports: string[] = [];
  const scan = scanPassage(text, syntax, (offset, message) => reports.push(`${offset}: ${message}`));
  return { links: scan.links.map((l) => `${l.text} → ${l.target}`), body: scan.body, reports };
}

describe("Twine link forms", () => {
  it("reads every [[…]] form, the rightmost -> and the leftmost <-", () => {
    expect(linksOf("[[Plain]] [[Shown|Target]] [[Go->There]] [[Back<-Label]] [[a->b->c]] [[x<-y<-z]]").links).toEqual([
      "Plain → Plain",
      "Shown → Target",
      "Go → There",
      "Label → Back",
      "a->b → c",
      "y<-z → x",
    ]);
  });

  it("reads Harlowe's link macros, and (link:) with a (goto:) in its hook", () => {
    const { links, reports } = linksOf(
      '(link-goto: "Ask", "Colleague") (link-goto: "Alone") (click-goto: "Press", "Door") (link-reveal-goto: "Peek", "Room")[x] (link: "Carry on")[(goto: "Late")] (goto: \'Auto\')',
    );
    expect(links).toEqual([
      "Ask → Colleague",
      "Alone → Alone",
      "Press → Door",
      "Peek → Room",
      "Carry on → Late",
      "Auto → Auto",
    ]);
    expect(reports).toEqual([]);
  });

  it("reads SugarCube's <<link>>, <<button>>, <<goto>>, <<actions>>, <<choice>> and the setter link", () => {
    const { links, reports } = linksOf(
      '[[Remove it|Remove][$trust to 1]] <<link "Report" "Report">><</link>> <<button [[Say nothing->Nothing]]>><</button>> <<link "Continue">><<goto "Debrief">><</link>> <<goto [[End]]>> <<actions [[A]] [[B|Bee]]>> <<choice "Wrap up" "Finish">>',
      { harlowe: false, sugarcube: true },
    );
    expect(links).toEqual([
      "Remove it → Remove",
      "Report → Report",
      "Say nothing → Nothing",
      "Continue → Debrief",
      "End → End",
      "A → A",
      "B → Bee",
      "Finish → Wrap up",
    ]);
    expect(reports).toEqual(["0: the link sets $trust to 1, and variables are not carried over"]);
  });

  it("keeps the text of conditions (with their links) and reports macros, variables and hooks by offset", () => {
    const harlowe = linksOf("(set: $x to 1)(if: $x is 1)[Shown [[Then]]] |h>[named] ?h $x");
    expect(harlowe.links).toEqual(["Then → Then"]);
    expect(harlowe.body).toBe("Shown  [named]  $x");
    expect(harlowe.reports).toEqual([
      "0: the macro (set:) cannot be carried over",
      "14: the condition (if: $x is 1) cannot be carried over; what it shows is kept, shown always",
      "44: named hooks (|name>[…], ?name) cannot be carried over; their text is kept",
      "58: the variable $x cannot be carried over; it is shown as written",
    ]);
    const sugar = linksOf("<<if $a>>yes<<else>>no<</if>><<script>>alert(1)<</script>><<back>>[[Go|$dest]]", {
      harlowe: false,
      sugarcube: true,
    });
    expect(sugar.body).toBe("yesno");
    expect(sugar.links).toEqual([]);
    expect(sugar.reports).toHaveLength(5);
    expect(sugar.reports[4]).toContain("the passage named by the variable $dest");
  });

  it("does not read Harlowe macros in a SugarCube story (or the reverse)", () => {
    expect(linksOf("(note: bring ID) <<set $a to 1>>", { harlowe: false, sugarcube: true }).body).toBe(
      "(note: bring ID) ",
    );
    expect(linksOf("(note: bring ID) <<x>>", { harlowe: true, sugarcube: false }).body).toBe(" <<x>>");
  });
});

describe("Twine 2 published HTML", () => {
  it("reads the story as extwee does (names, tags, texts, start)", () => {
    const html = fixture("harlowe-story.html").toString("utf8");
    const ours = parseTwine2Html(html);
    if ("ok" in ours) throw new Error(ours.message);
    const theirs = extweeHtml(html);
    const reference = theirs.passages
      .filter((p) => !p.tags.includes("script") && !p.tags.includes("stylesheet"))
      .map((p) => ({ name: p.name, tags: p.tags, text: p.text }));
    expect(ours.passages.map(({ name, tags, text }) => ({ name, tags, text }))).toEqual(reference);
    expect([ours.name, ours.start, ours.format]).toEqual([theirs.name, theirs.start, "Harlowe"]);
  });

  it("maps passages by their links: none an outcome, one a scene, two or more a decision", () => {
    const converted = convert("friend.html", fixture("harlowe-story.html"), {
      locales: ["en", "fr"],
      regulator: "demo",
    });
    const value = caseOf(converted);
    expect(value.start).toBe("start");
    const kinds = Object.fromEntries(Object.entries<any>(value.nodes).map(([id, n]) => [id, n.kind]));
    expect(kinds).toEqual({
      start: "scene",
      "think-it-over": "decision",
      accept: "scene",
      "late-messages": "outcome",
      decline: "outcome",
      ignore: "decision",
      "back-to-start": "outcome",
      colleague: "scene",
      "missing-passage": "outcome",
    });
    expect(value.nodes["think-it-over"].choices.map((c: any) => [c.id, c.label.en, c.next])).toEqual([
      ["accept-it", "Accept it", "accept"],
      ["decline-and-explain", "Decline and explain", "decline"],
      ["ignore-it", "Ignore it", "ignore"],
      ["ask-a-colleague", "Ask a colleague", "colleague"],
    ]);
    // Harlowe markup and HTML become Markdown; entities are decoded.
    expect(value.nodes.start.body.en).toBe(
      'You are an occupational therapist. A client, "Sam", sends you a friend request on social media.\\\n**Sam** is *still* in your care & you see them weekly.',
    );
    expect(value.nodes["late-messages"].body.en).toBe(
      "The messages keep coming at night.\n\n- You feel pressure\n- Your notes fall behind",
    );
    expect(value.nodes.decline.body.en).toContain("**Sam** understands.");
  });

  it("breaks loops so the case is acyclic, and says where each was", () => {
    const converted = convert("friend.html", fixture("harlowe-story.html"), { regulator: "demo" });
    const value = caseOf(converted);
    expect(value.nodes.ignore.choices[0].next).toBe("back-to-start");
    expect(value.nodes["back-to-start"].title.en).toBe("Back to Start");
    expect(messages(converted, "loop")).toEqual([
      'passage "Ignore", line 2: this goes back to “Start”, which makes a loop; a Vignette case must not loop (every path has to end to be scored), so it now ends the case at “Back to Start”: write that ending, or point the link at a later node',
    ]);
    const structure = { ...value, profession: "ot", release: "2026-01", credit: { hours: 1, category: "ethics" } };
    const parsed = caseFileSchema.parse(structure);
    expect(findCycles(caseGraph(parsed), [parsed.start])).toEqual([]);
  });

  it("warns about macros, the story's code and style, tags to score, broken links and unreached passages", () => {
    const converted = convert("friend.html", fixture("harlowe-story.html"), { regulator: "demo" });
    expect(messages(converted, "unsupported")).toEqual([
      "Story JavaScript: the story's JavaScript is not carried over",
      "Story Stylesheet: the story's stylesheet is not carried over: cases look like every other case",
      'passage "Think it over", line 2: the macro (set:) cannot be carried over',
      'passage "Accept", line 2: the condition (if: $considered) cannot be carried over; what it shows is kept, shown always',
    ]);
    expect(messages(converted, "scoring")).toEqual([
      'passage "Accept", line 1: scoring to add: the passage is tagged “poor”, “score-minus-2”; if a tag scored the path, give the choices leading here effects on the standards it stands for',
      'passage "Decline", line 1: scoring to add: the passage is tagged “good”, “score-2”; if a tag scored the path, give the choices leading here effects on the standards it stands for',
    ]);
    expect(messages(converted, "structure")).toEqual([
      'passage "Colleague", line 2: this links to “Missing passage”, which is not in the source; it now ends the case at an ending to write (or point the link at another node)',
      'passage "Unused", line 1: “Unused” is never reached from the start, so it was left out; link to it from another node if it belongs in the case',
    ]);
  });

  it("gives a case that validates once the placeholders are filled and the French is written", () => {
    const converted = convert("friend.html", fixture("harlowe-story.html"), {
      regulator: "demo",
      locales: ["en", "fr"],
    });
    const errors = converted.diagnostics.filter((d) => d.severity === "error");
    expect(new Set(errors.map((d) => d.message.replace(/^missing the "fr" text.*/, "fr")))).toEqual(
      new Set([
        "fr",
        'profession must be lowercase letters, digits and "-" (e.g. "my-profession")',
        'release is a month written "YYYY-MM", e.g. "2021-05"',
        "credit hours must be more than 0",
        'category must be lowercase letters, digits and "-" (e.g. "my-category")',
      ]),
    );
    expect(messages(converted, "to-fill").map((m) => m.split(":")[0])).toEqual([
      "/locales",
      "/summary",
      "/profession",
      "/release",
      "/credit",
      "/passMark",
      "/standards",
    ]);
    // Only English asked for, placeholders filled: no error left.
    const english = caseOf(convert("friend.html", fixture("harlowe-story.html"), { regulator: "demo" }));
    Object.assign(english, {
      profession: "occupational-therapy",
      release: "2026-01",
      credit: { hours: 1, category: "ethics" },
    });
    expect(caseFileSchema.safeParse(english).success).toBe(true);
  });

  it("refuses what is not a Twine 2 story, with the reason", () => {
    const notTwine = convertCase({
      name: "page.html",
      bytes: new TextEncoder().encode("<html><body>hi</body></html>"),
    });
    expect(notTwine).toMatchObject({ ok: false, code: "not-twine" });
    const twine1 = convertCase({ name: "old.html", bytes: new TextEncoder().encode('<div id="storeArea"></div>') });
    expect(twine1).toMatchObject({ ok: false, code: "not-twine", message: expect.stringContaining("Twine 1") });
    const binary = convertCase({ name: "x.html", bytes: new Uint8Array([0xff, 0xfe, 0x00]) });
    expect(binary).toMatchObject({ ok: false, code: "not-twine" });
  });
});

describe("Twee 3", () => {
  it("reads headers, tags, metadata, StoryTitle and StoryData as extwee does, keeping file lines", () => {
    const text = fixture("sugarcube-story.twee").toString("utf8");
    const ours = parseTwee(text);
    if ("ok" in ours) throw new Error(ours.message);
    const theirs = extweeTwee(text.replace(/\n:: Wrap up\nA duplicate passage.\n$/, "\n"));
    const code = (p: { tags: string[] }) => p.tags.includes("script") || p.tags.includes("stylesheet");
    expect(
      ours.passages
        .slice(0, -1)
        .filter((p) => !code(p))
        .map((p) => [p.name, p.tags, p.text.trim()]),
    ).toEqual(theirs.passages.map((p) => [p.name, p.tags, p.text]));
    expect([ours.name, ours.start, ours.format]).toEqual(["The shared post", "Opening", "SugarCube"]);
    expect(ours.passages.find((p) => p.name === "Opening")!.fileLine).toBe(21);
    const escaped = parseTwee(':: A \\[b\\] c [t1 t2] {"position":"1,1"}\ntext\n\n\n:: Next\n');
    if ("ok" in escaped) throw new Error(escaped.message);
    expect(escaped.passages[0]).toEqual({ name: "A [b] c", tags: ["t1", "t2"], text: "text", fileLine: 2 });
  });

  it("converts a SugarCube story: special passages left out, duplicates and <<back>> reported with file lines", () => {
    const converted = convert("shared.twee", fixture("sugarcube-story.twee"), { regulator: "demo" });
    const value = caseOf(converted);
    expect(value.start).toBe("opening");
    expect(Object.keys(value.nodes)).toEqual([
      "opening",
      "remove",
      "debrief",
      "wrap-up",
      "report",
      "back-to-opening",
      "nothing",
    ]);
    expect(value.nodes.opening.choices.map((c: any) => c.next)).toEqual(["remove", "report", "nothing"]);
    expect(value.nodes.report.choices.map((c: any) => c.next)).toEqual(["debrief", "back-to-opening"]);
    expect(value.nodes.debrief).toMatchObject({ kind: "scene", next: "wrap-up" });
    expect(messages(converted)).toEqual(
      expect.arrayContaining([
        'passage "StoryInit", line 1 (file line 15): this is a special passage (code, style or text shown on every page), which cannot be carried over',
        'passage "Story JavaScript", line 1 (file line 18): this is a “script” passage (code, style or text shown on every page), which cannot be carried over',
        'passage "Wrap up", line 1 (file line 51): a second passage is named “Wrap up”; only the first is imported: rename one',
        'passage "Opening", line 5 (file line 25): the link sets $trust to 1, and variables are not carried over',
        'passage "Nothing", line 1 (file line 39): the variable $trust cannot be carried over; it is shown as written',
        'passage "Debrief", line 3 (file line 45): <<back>> goes back, which a Vignette case never does',
      ]),
    );
    expect(messages(converted, "scoring")).toHaveLength(3);
  });

  it("reads the source language from the locale option, and names a missing start", () => {
    const converted = convert("s.tw", ":: Début\nBonjour [[Fin]]\n\n:: Fin\nAu revoir.\n", { locale: "fr" });
    const value = caseOf(converted);
    expect(value.locales).toEqual(["fr"]);
    expect(value.nodes["debut"]).toMatchObject({ kind: "scene", body: { fr: "Bonjour" }, next: "fin" });
    expect(messages(converted, "structure")).toEqual([
      "start passage: there is no start passage “Start”; the first passage, “Début”, is the start",
    ]);
    expect(convertCase({ name: "x.twee", bytes: new TextEncoder().encode("no passages") })).toMatchObject({
      ok: false,
      code: "not-twine",
    });
  });

  it("makes ids unique and valid from any passage name", () => {
    const converted = convert(
      "ids.twee",
      ":: Start\n[[Été !]] [[ete]] [[???]]\n\n:: Été !\na\n\n:: ete\nb\n\n:: ???\nc\n",
    );
    expect(Object.keys(caseOf(converted).nodes)).toEqual(["start", "ete", "ete-2", "node"]);
  });
});
