// The documents entry.server.tsx sends come from React's streaming renderer. React 18.3.1 sent the
// unused end of its 2 KB buffer when a multi-byte character ("—", "é") did not fit, putting NUL
// bytes into the page; scripts/patches/react-dom+18.3.1.patch fixes it. This checks the renderer as
// the server uses it, at every offset around the buffer's boundary.
import { Writable } from "node:stream";
import { renderToPipeableStream, renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";

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
