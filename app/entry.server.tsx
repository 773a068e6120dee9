import { randomBytes } from "node:crypto";
import { Writable } from "node:stream";
import type { AppLoadContext, EntryContext, HandleErrorFunction } from "@remix-run/node";
import { isRouteErrorResponse, RemixServer } from "@remix-run/react";
import { renderToPipeableStream } from "react-dom/server";
import { NonceContext } from "~/components/nonce";
import { PrerenderedContext } from "~/components/prerendered";
import { logger } from "~/utils/log.server";

// scripts/serve.js logs its request lines through the app's logger, reached through the build.
export { logger, redactPath, acceptedRequestId, runWithRequestId } from "~/utils/log.server";

// For scripts/serve.js, which refuses cross-site posts before they reach the app: the same rule
// the actions apply, read from the build so there is only one.
export { crossSitePostAllowed, isCrossSite, trustsProxy } from "~/utils/same-origin";

// For scripts/serve.js's request handler: each request's load context (markup kept for its document).
export { createLoadContext } from "~/utils/prerendered.server";

// For scripts/serve.js, which loads Prisma's query compiler before it listens.
export { warmDatabase } from "~/utils/db.server";

// For scripts/serve.js, which runs the mail sender beside the HTTP server (ADR 013).
export { startMailSender } from "~/utils/mail-sender.server";
// …and the due-date reminder sweep on its interval (ADR 025).
export { reminderSweepInterval, startReminderSweeper } from "~/utils/reminder-sweeper.server";
// …and the analytics tally's catch-up on its interval (ADR 026).
export { analyticsTallyInterval, startAnalyticsSweeper } from "~/utils/analytics-sweeper.server";

const ABORT_DELAY = 5_000;

/**
 * Remix's errors: a 4xx route error (an unknown URL, a thrown 404 or 405) is the client's and shows
 * in the request line only; a real error is logged once, with its stack. Nothing reaches the browser.
 */
export const handleError: HandleErrorFunction = (error, { request }) => {
  if (request.signal.aborted) return;
  if (isRouteErrorResponse(error) && error.status < 500) return;
  // A 5xx route error response carries the thrown error inside (Remix's own shape).
  const cause = isRouteErrorResponse(error) ? ((error as { error?: unknown }).error ?? error) : error;
  logger.error({ err: cause }, "request failed");
};

/** Scripts run only with this request's nonce; no inline styles, no framing, forms post home. */
export function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    // CodeMirror (studio editor) injects <style> elements carrying the nonce; style attributes stay blocked.
    `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
  ].join("; ");
}

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = randomBytes(16).toString("base64");
  // Whole documents only (onAllReady): pages are small, and every page must work without scripts.
  // The finished document goes out as one buffer with its length: streaming a few kilobytes
  // through Node and web streams chunk by chunk cost more than rendering them.
  return new Promise<Response>((resolve, reject) => {
    let didError = false;
    // Cleared as soon as the document is done, so a finished render is not kept alive for 5 s.
    const timer = setTimeout(() => abort(), ABORT_DELAY);
    const { pipe, abort } = renderToPipeableStream(
      <NonceContext.Provider value={nonce}>
        <PrerenderedContext.Provider value={loadContext?.prerendered}>
          <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
        </PrerenderedContext.Provider>
      </NonceContext.Provider>,
      {
        nonce,
        onAllReady() {
          clearTimeout(timer);
          const chunks: Buffer[] = [];
          const document = new Writable({
            write(chunk: Buffer, _encoding, done) {
              chunks.push(chunk);
              done();
            },
            final(done) {
              const body = Buffer.concat(chunks);
              responseHeaders.set("Content-Type", "text/html; charset=utf-8");
              responseHeaders.set("Content-Length", String(body.length));
              responseHeaders.set("Content-Security-Policy", contentSecurityPolicy(nonce));
              resolve(new Response(body, { headers: responseHeaders, status: didError ? 500 : responseStatusCode }));
              done();
            },
          });
          document.once("error", reject);
          pipe(document);
        },
        onShellError(error: unknown) {
          clearTimeout(timer);
          reject(error);
        },
        onError(error: unknown) {
          didError = true;
          // Logged on the server only; the browser gets the error boundary, never a stack trace.
          logger.error({ err: error }, "render failed");
        },
      },
    );
  });
}
