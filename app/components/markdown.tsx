import type { ReactElement } from "react";
import ReactMarkdown, { defaultUrlTransform } from "react-markdown";

// Authored case text is markdown, never HTML: raw HTML is dropped (skipHtml), and URLs go through
// react-markdown's transform, which blanks javascript:, vbscript: and data: links. Headings are
// shifted down so authored "# Title" never competes with the page's own <h1>.
// Published texts never change, and a React element can be rendered any number of times: parse
// each text once (bounded, oldest dropped first) instead of on every page view.
const rendered = new Map<string, ReactElement>();
const MAX_CACHED = 2000;

export function Markdown({ children }: { children: string }) {
  let element = rendered.get(children);
  if (!element) {
    element = render(children);
    if (rendered.size >= MAX_CACHED) rendered.delete(rendered.keys().next().value!);
    rendered.set(children, element);
  }
  return element;
}

function render(children: string): ReactElement {
  return (
    <div className="prose">
      <ReactMarkdown
        skipHtml
        urlTransform={defaultUrlTransform}
        components={{
          h1: ({ children }) => <h3>{children}</h3>,
          h2: ({ children }) => <h4>{children}</h4>,
          a: ({ href, children }) => (
            <a href={href} rel="noopener noreferrer nofollow">
              {children}
            </a>
          ),
          img: ({ alt }) => <span>{alt}</span>,
        }}
      >
        {children}
      </ReactMarkdown>
    </div>
  );
}
