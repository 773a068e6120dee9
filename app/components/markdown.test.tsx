import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
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
});
