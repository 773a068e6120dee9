// The documents entry.server.tsx sends come from React's streaming renderer. React 18.3.1 sent the
// unused end of its 2 KB buffer when a multi-byte character ("—", "é") did not fit, putting NUL
// bytes into the page; scripts/patches/react-dom+18.3.1.patch fixes it. This checks the renderer as
// the server uses it, at every offset around the buffer's boundary.
import { Writable } from "node:stream";
import { renderToPipeableStream, renderToString } from "react-dom/server";
import { afterEach, describe, expect, it, vi } from "vitest";
import { handleError } from "./entry.server";
import { logger } from "./utils/log.server";

function renderStreamed(element: React.ReactElement): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const { pipe } = renderToPipeableStream(element, {
      onAllReady() {
        pipe(
          new Writable({
            write(chunk: Buffer, _encoding, done) {
              chunks.push(Buffer.from(chunk));
              done();
            },
            final(done) {
              resolve(Buffer.concat(chunks));
              done();
            },
          }),
        );
      },
      onShellError: reject,
    });
  });
}

describe("the streaming renderer", () => {
  it("sends multi-byte characters whole wherever they fall against its buffer", async () => {
    // Many short texts, as a page is made of: each is copied into the buffer on its own.
    for (let pad = 0; pad < 12; pad++) {
      for (const char of ["é", "—", "😀"]) {
        const element = (
          <main>
            {Array.from({ length: 200 }, (_, i) => (
              <p key={i}>{`${"a".repeat(pad)}${char}`}</p>
            ))}
          </main>
        );
        const streamed = await renderStreamed(element);
        expect(streamed.indexOf(0), `NUL byte with ${pad} bytes before ${char}`).toBe(-1);
        expect(streamed.toString("utf8")).toBe(renderToString(element));
      }
    }
  });
});

// Remix hands its errors to handleError: which of them reach the log.
/** A route error response as the router makes one (what isRouteErrorResponse recognizes). */
const routeError = (status: number, statusText: string, error?: Error) => ({
  status,
  statusText,
  internal: true,
  data: null,
  ...(error ? { error } : {}),
});

const context = (aborted = false) => {
  const controller = new AbortController();
  if (aborted) controller.abort();
  return { request: new Request("http://localhost/x", { signal: controller.signal }), params: {}, context: {} };
};

afterEach(() => {
  vi.restoreAllMocks();
});

describe("handleError", () => {
  it("keeps a 4xx route error out of the log (the request line shows it)", () => {
    const error = vi.spyOn(logger, "error");
    handleError(routeError(404, "Not Found", new Error("No route matches URL")), context());
    handleError(routeError(405, "Method Not Allowed"), context());
    expect(error).not.toHaveBeenCalled();
  });

  it("logs a real error once, with the error itself (its stack), and nothing for an aborted request", () => {
    const error = vi.spyOn(logger, "error");
    const bug = new Error("boom");
    handleError(bug, context());
    handleError(new Error("aborted"), context(true));
    expect(error).toHaveBeenCalledTimes(1);
    expect(error).toHaveBeenCalledWith({ err: bug }, "request failed");
  });

  it("unwraps a 500 route error to the error that caused it", () => {
    const error = vi.spyOn(logger, "error");
    const cause = new Error("loader failed");
    handleError(routeError(500, "Internal Server Error", cause), context());
    expect(error).toHaveBeenCalledWith({ err: cause }, "request failed");
  });
});
