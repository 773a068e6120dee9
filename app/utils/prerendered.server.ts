// The request's markup for the document (components/prerendered.tsx): a loader keeps rendered
// markup under an element id, entry.server.tsx hands it to the render. It rides on Remix's load
// context, made fresh for each request by scripts/serve.js (createLoadContext), so one request's
// markup never reaches another's page.
import type { AppLoadContext } from "@remix-run/node";

declare module "@remix-run/server-runtime" {
  interface AppLoadContext {
    /** Markup by element id for this request's document (absent where no server made a context). */
    prerendered?: Map<string, string>;
  }
}

/** scripts/serve.js's getLoadContext: a new, empty context per request. */
export function createLoadContext(): AppLoadContext {
  return { prerendered: new Map() };
}

/** Gives this request's document `html` as the content of the element `id` (a Prerendered). */
export function keepForDocument(context: AppLoadContext, id: string, html: string): void {
  context.prerendered?.set(id, html);
}
