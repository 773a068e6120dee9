// Markup the server rendered once and keeps (the studio graph's drawing, links and node list), put
// into the document without going through loader data: there, every byte would be encoded, escaped
// for a script tag and decoded again, ~50 ms per view of an 850-node graph (docs/decisions/027).
// A loader hands the markup to the document with keepForDocument (utils/prerendered.server.ts);
// entry.server.tsx provides it here. In the browser the element is hydrated from the markup
// already in the page; after a client-side navigation (a link, the back button) it takes the
// markup from the same URL's document, or loads that document when it cannot. The markup is
// React's (escaped) output, never content's.
import { createContext, useContext, useEffect, useState, type ElementType } from "react";

/** This request's markup by element id: provided by entry.server.tsx, absent in the browser. */
export const PrerenderedContext = createContext<ReadonlyMap<string, string> | undefined>(undefined);

/** The markup for `id`: from the server, or from the page being hydrated (never another page's). */
function initialMarkup(server: ReadonlyMap<string, string> | undefined, id: string): string | null {
  if (server) return server.get(id) ?? null;
  if (typeof document === "undefined") return null;
  // Ids name their content (a hash of what it was rendered from: target, language, link target):
  // an element found with this id, even one of the page being left, holds the same markup.
  return document.getElementById(id)?.innerHTML ?? null;
}

// One fetch of a page's document for all its elements (the graph has three), shared while it runs.
const documents = new Map<string, Promise<Document | null>>();

function pageDocument(url: string): Promise<Document | null> {
  let page = documents.get(url);
  if (!page) {
    page = fetch(url, { headers: { Accept: "text/html" } })
      .then(async (response) =>
        response.ok ? new DOMParser().parseFromString(await response.text(), "text/html") : null,
      )
      .finally(() => documents.delete(url));
    documents.set(url, page);
  }
  return page;
}

type Props = {
  as: ElementType;
  /** Unique to the content: the element's id, and the key of its markup. */
  id: string;
  className?: string;
};

/** An element holding the markup kept under `id`; a new id (another language, a newer draft) is a new element. */
export function Prerendered(props: Props) {
  return <PrerenderedElement key={props.id} {...props} />;
}

function PrerenderedElement({ as: Tag, id, className }: Props) {
  const server = useContext(PrerenderedContext);
  const [html, setHtml] = useState(() => initialMarkup(server, id));
  useEffect(() => {
    if (html !== null) return;
    let current = true;
    pageDocument(window.location.href).then(
      (page) => {
        const markup = page?.getElementById(id)?.innerHTML;
        if (!current) return;
        // The page's document no longer holds it (another save, a busy server, a signed-out
        // session): load the page as a document, which draws it or says why not.
        if (markup === undefined) window.location.reload();
        else setHtml(markup);
      },
      (error: unknown) => {
        console.warn("markup not loaded", error);
        if (current) window.location.reload();
      },
    );
    return () => {
      current = false;
    };
  }, [id, html]);
  // The same string on every render once set: React writes it once and never again.
  return <Tag id={id} className={className} dangerouslySetInnerHTML={{ __html: html ?? "" }} />;
}
