import { renderToStaticMarkup } from "react-dom/server";
import renderMarkdown from "react-markdown";
import { describe, expect, it } from "vitest";
import { findHtml } from "~/engine/html";
import { Markdown } from "./markdown";

const html = (text: string) => renderToStaticMarkup(<Markdown>{text}</Markdown>);

describe("Markdown", () => {
  it("renders markdown, shifting headings below the page title", () => {
    expect(html("# Title\n\nSome **bold** text")).toBe(
      '<div class="prose"><h3>Title</h3>\n<p>Some <strong>bold</strong> text</p></div>',
    );
  });

  it("drops raw HTML and blanks script links, keeping safe links", () => {
    const out = html(
      'Intro <script>alert(1)</script> <img src=x onerror="alert(2)"> [a](javascript:alert(3)) [b](https://example.org)',
    );
    expect(out).not.toMatch(/<script|<img|onerror|javascript:/);
    expect(out).toContain('<a href="" rel="noopener noreferrer nofollow">a</a>');
    expect(out).toContain('<a href="https://example.org" rel="noopener noreferrer nofollow">b</a>');
  });

  it("gives the same output when a text is rendered again from the cache", () => {
    const text = "Repeated *text* with a [link](https://example.org/x)";
    expect(html(text)).toBe(html(text));
  });

  it("drops exactly the raw HTML that validation reports (the engine's scanner agrees with the parser)", () => {
    // With skipHtml react-markdown drops each raw HTML node; without it, it shows the node as text.
    // So the two renderings differ exactly when the parser saw raw HTML.
    const dropsHtml = (text: string) =>
      renderToStaticMarkup(renderMarkdown({ children: text, skipHtml: true })) !==
      renderToStaticMarkup(renderMarkdown({ children: text, skipHtml: false }));
    const texts = [
      "Hello <script>window.__xss=1</script>",
      "a <b>bold</b> word",
      '<iframe src="https://example.org"></iframe>',
      '<img src=x onerror="window.__xss=2">',
      "before <!-- a note --> after",
      '<a href="https://example.org">link</a>',
      "Dear <client name>,",
      "x<y and y>z",
      "<div>\nhidden\n\nshown",
      "<?php echo 1 ?>",
      "<!DOCTYPE html>",
      "- item <em>x</em>\n- > quote <span>y</span>",
      "[link <b>text</b>](https://example.org)",
      "a < b",
      "x <= 3",
      "<3",
      "2<5",
      "less than <10 clients",
      "x<y",
      "write `<b>` for bold",
      "``a ` <b> ``",
      "```\n<script>x</script>\n```",
      "~~~\n<b>x</b>\n~~~\nafter <i>y</i>",
      "\\<b> is shown as it is",
      "see <https://example.org/a?b=c> or <someone@example.org>",
      "`<b> unclosed",
    ];
    for (const text of texts) expect(findHtml(text).length > 0, text).toBe(dropsHtml(text));
  });
});
