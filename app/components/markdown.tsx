import ReactMarkdown, { defaultUrlTransform } from "react-markdown";

// Authored case text is markdown, never HTML: raw HTML is dropped (skipHtml), and URLs go through
// react-markdown's transform, which blanks javascript:, vbscript: and data: links. Headings are
// shifted down so authored "# Title" never competes with the page's own <h1>.
export function Markdown({ children }: { children: string }) {
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
