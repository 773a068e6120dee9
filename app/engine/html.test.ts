import { describe, expect, it } from "vitest";
import { findHtml, htmlHint } from "./html";

const names = (text: string) => findHtml(text).map((f) => f.name);

describe("findHtml", () => {
  it("finds every form of raw HTML CommonMark reads", () => {
    expect(names("Hi <script>window.__xss=1</script>")).toEqual(["script", "script"]);
    expect(names("a <b>bold</b> word")).toEqual(["b", "b"]);
    expect(names('<iframe src="https://evil.example"></iframe>')).toEqual(["iframe", "iframe"]);
    expect(names('<img src=x onerror="window.__xss=2">')).toEqual(["img"]);
    expect(names("<img src=x onerror=alert(1) />")).toEqual(["img"]);
    expect(names("before <!-- a note --> after")).toEqual(["!--"]);
    expect(names('<a href="https://example.org">link</a>')).toEqual(["a", "a"]);
    expect(names("<BR>")).toEqual(["br"]);
    expect(names("<?php echo 1 ?>")).toEqual(["?"]);
    expect(names("<!DOCTYPE html> and <![CDATA[x]]>")).toEqual(["!", "!"]);
    // A placeholder in angle brackets is a tag to CommonMark too: the words would vanish.
    expect(names("Dear <client name>,")).toEqual(["client"]);
    expect(names("x<y and y>z")).toEqual(["y"]);
  });

  it("finds the starts of HTML blocks, which hide the text after them even unclosed", () => {
    expect(names("<div\nhidden")).toEqual(["div"]);
    expect(names("<script src=x")).toEqual(["script"]);
    expect(names("text <!-- never closed")).toEqual(["!--"]);
  });

  it("keeps the excerpt short", () => {
    const [found] = findHtml(`<a title="${"x".repeat(100)}">`);
    expect(found!.excerpt).toHaveLength(41);
    expect(found!.excerpt.endsWith("…")).toBe(true);
  });

  it("leaves a less-than sign that opens no tag alone", () => {
    for (const text of ["a < b", "x <= 3", "<3", "2<5", "less than <10 clients", "x<y", "</3", "<", "a <- b", "< b>"]) {
      expect(findHtml(text), text).toEqual([]);
    }
  });

  it("skips code spans, fenced code, escapes and autolinks", () => {
    for (const text of [
      "write `<b>` for bold",
      "``a ` <b> ``",
      "```\n<script>x</script>\n```",
      "~~~html\n<b>x</b>\n~~~\nafter",
      "\\<b> is shown as it is",
      "see <https://example.org/a?b=c>",
      "mail <someone@example.org>",
    ]) {
      expect(findHtml(text), text).toEqual([]);
    }
    // Backticks without a matching run are literal, so what follows them is read.
    expect(names("`<b> unclosed")).toEqual(["b"]);
    expect(names("```\ncode\n```\n<b>after</b>")).toEqual(["b", "b"]);
    expect(names("`code` then <i>x</i>")).toEqual(["i", "i"]);
  });

  it("stays linear on a hostile text", () => {
    const text = `${'<a b="'.repeat(50_000)} <a c d e`.repeat(2);
    const started = performance.now();
    findHtml(text);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe("htmlHint", () => {
  it("says what to write instead", () => {
    expect(htmlHint("b", false)).toBe("write **bold** instead of <b>…</b>");
    expect(htmlHint("em", false)).toBe("write *italics* instead of <em>…</em>");
    expect(htmlHint("a", false)).toBe("write [text](https://…) instead of <a href>");
    expect(htmlHint("img", false)).toBe("images are not allowed in text");
    expect(htmlHint("script", true)).toBe("remove <script>: scripts never run in case text");
    expect(htmlHint("iframe", false)).toMatch(/^remove <iframe>: other pages cannot be embedded/);
    expect(htmlHint("!--", false)).toMatch(/^remove the comment/);
    expect(htmlHint("h2", false)).toBe('write "## Heading" on a line of its own instead of <h2>');
    expect(htmlHint("client", false)).toMatch(/write \\< to show a "<"$/);
    // A title is not markdown, so it gets no markdown to write.
    expect(htmlHint("b", true)).toBe("this text is shown as written, not as markdown: remove <b> and keep the words");
  });
});
