import type { ReactElement } from "react";
import renderMarkdown, { defaultUrlTransform, type Components } from "react-markdown";

// Authored case text is markdown, never HTML: raw HTML is dropped (skipHtml), and URLs go through
// react-markdown's transform, which blanks javascript:, vbscript: and data: links. Headings are
// shifted down so authored "# Title" never competes with the page's own <h1>.
const components: Components = {
  h1: ({ children }) => <h3>{children}</h3>,
  h2: ({ children }) => <h4>{children}</h4>,
  a: ({ href, children }) => (
    <a href={href} rel="noopener noreferrer nofollow">
      {children}
    </a>
  ),
  img: ({ alt }) => <span>{alt}</span>,
};

// Published texts do not change, and parsing markdown was a large share of each page view: the
// element tree react-markdown produces (it is a plain synchronous function, no hooks) is kept per
// text, bounded, oldest dropped first. A React element can be rendered any number of times.
const rendered = new Map<string, ReactElement>();
const MAX_CACHED = 2000;

export function Markdown({ children }: { children: string }) {
  let tree = rendered.get(children);
  if (!tree) {
    tree = renderMarkdown({ children, skipHtml: true, urlTransform: defaultUrlTransform, components });
    if (rendered.size >= MAX_CACHED) rendered.delete(rendered.keys().next().value!);
    rendered.set(children, tree);
  }
  return <div className="prose">{tree}</div>;
}
