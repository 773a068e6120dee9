import { describe, expect, it } from "vitest";
import { findHtml } from "../html";
import { decodeEntities, htmlToMarkdown, htmlToPlain } from "./markdown";

function convert(html: string) {
  const lost: string[] = [];
  const markdown = htmlToMarkdown(html, (what) => lost.push(what));
  return { markdown, lost };
}

describe("htmlToMarkdown", () => {
  it("turns paragraphs, breaks, headings, emphasis, code and links into Markdown", () => {
    const { markdown, lost } = convert(
      '<h2>Le contexte</h2><p>One <strong>bold</strong> and <em>soft</em> word,<br>then <code>a &lt;b&gt;</code>.</p><p><a href="https://example.org/a b">the standard</a></p>',
    );
    expect(markdown).toBe(
      "## Le contexte\n\nOne **bold** and *soft* word,\\\nthen `a <b>`.\n\n[the standard](https://example.org/a%20b)",
    );
    expect(lost).toEqual([]);
  });

  it("writes lists, quotes and preformatted text", () => {
    expect(convert("<ul><li>one</li><li>two <b>2</b></li></ul><ol start=3><li>three</li></ol>").markdown).toBe(
      "- one\n- two **2**\n\n3. three",
    );
    expect(convert("<blockquote><p>a</p><p>b</p></blockquote>").markdown).toBe("> a\n>\n> b");
    expect(convert("<pre>x = 1\n*y*</pre>").markdown).toBe("```\nx = 1\n*y*\n```");
  });

  it("escapes text that Markdown or the HTML check would misread", () => {
    const { markdown } = convert("<p>2 * 3 = 6, a_b, [x], &lt;b&gt; is a tag, 1 &lt; 2</p><p>1. not a list</p>");
    expect(markdown).toBe("2 \\* 3 = 6, a\\_b, \\[x\\], \\<b> is a tag, 1 < 2\n\n1\\. not a list");
    // The validator finds no raw HTML in it.
    expect(findHtml(markdown)).toEqual([]);
  });

  it("keeps the words of formatting Markdown lacks, and reports it", () => {
    const { markdown, lost } = convert("<p><u>under</u> <sup>2</sup> <del>gone</del></p>");
    expect(markdown).toBe("under 2 gone");
    expect(lost).toEqual([
      "<u> formatting has no Markdown: its words are kept",
      "<sup> formatting has no Markdown: its words are kept",
      "<del> formatting has no Markdown: its words are kept",
    ]);
  });

  it("drops scripts, media and forms with what they held, and reports them", () => {
    const { markdown, lost } = convert(
      '<p>Hi<script>window.__xss=1</script><img src="a.png" alt="a ward"><iframe src="https://x"></iframe></p>',
    );
    expect(markdown).toBe("Hia ward");
    expect(lost).toEqual([
      "<script> and what it held are not carried over",
      "media: <img> (a.png) is not carried over",
      "media: <iframe> (https://x) is not carried over",
    ]);
  });

  it("keeps only http, https and mailto links", () => {
    const { markdown, lost } = convert('<a href="javascript:alert(1)">click</a> <a href="mailto:a@b.c">mail</a>');
    expect(markdown).toBe("click [mail](mailto:a@b.c)");
    expect(lost).toEqual(['link to "javascript:alert(1)" kept as text only (links must be http, https or mailto)']);
  });

  it("flattens tables to one line per row", () => {
    const { markdown, lost } = convert("<table><tr><th>a</th><th>b</th></tr><tr><td>1</td><td>2</td></tr></table>");
    expect(markdown).toBe("a | b\\\n1 | 2");
    expect(lost).toHaveLength(1);
  });

  it("survives unclosed, stray and deeply nested tags", () => {
    expect(convert("<p>a<b>b</p><p>c</i>d").markdown).toBe("a**b**\n\ncd");
    expect(convert(`${"<div>".repeat(10_000)}deep${"</div>".repeat(10_000)}`).markdown).toBe("deep");
  });
});

describe("htmlToPlain and decodeEntities", () => {
  it("gives one line of text, a tag-like < spaced so it is not read as HTML", () => {
    expect(htmlToPlain("<p>Limites &agrave; la <b>clinique</b></p><p>&lt;b&gt;</p>")).toBe(
      "Limites à la clinique < b>",
    );
  });

  it("decodes named and numeric references, leaving unknown ones", () => {
    expect(decodeEntities("&eacute;&#233;&#xE9;&nbsp;&bogus;&#0;")).toBe("ééé\u00a0&bogus;&#0;");
  });
});
