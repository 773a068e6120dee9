import { renderToStaticMarkup } from "react-dom/server";
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router-dom/server";
import { describe, expect, it } from "vitest";
import { CSRF_FIELD } from "~/forms/csrf";
import { UploadForm } from "./upload-form";

/** The form as the server renders it, under a root route whose data holds the session's CSRF token. */
async function render(element: JSX.Element): Promise<string> {
  const routes = [{ id: "root", path: "/", element, loader: () => ({ csrf: "token-1" }) }];
  const handler = createStaticHandler(routes);
  const context = await handler.query(new Request("http://localhost/"));
  if (context instanceof Response) throw new Error("the root route answered a response");
  return renderToStaticMarkup(
    <StaticRouterProvider router={createStaticRouter(handler.dataRoutes, context)} context={context} hydrate={false} />,
  );
}

describe("UploadForm", async () => {
  it("posts the file as multipart with the CSRF token, its label and hint tied to the input", async () => {
    const html = await render(
      <UploadForm name="xliff" label="Translated file" hint="Up to 5 MB." accept=".xlf" submit="Import" />,
    );
    expect(html).toMatch(/^<form method="post" action="\/" encType="multipart\/form-data" class="upload-form"/);
    expect(html).toContain(`<input type="hidden" name="${CSRF_FIELD}" value="token-1"/>`);
    expect(html).toContain('<label for="xliff-file">Translated file</label>');
    expect(html).toContain('<p id="xliff-file-hint" class="hint">Up to 5 MB.</p>');
    expect(html).toContain(
      '<input id="xliff-file" name="file" type="file" accept=".xlf" required="" aria-describedby="xliff-file-hint"/>',
    );
    expect(html).toMatch(/<button type="submit">Import<\/button><\/form>$/);
  });

  it("places more fields after the file and before the button, and posts where it is told", async () => {
    const html = await render(
      <UploadForm name="case" label="Case" hint="JSON" accept=".json" submit="Upload" action="/studio/upload">
        <select name="regulator" aria-label="Regulator" />
      </UploadForm>,
    );
    expect(html).toContain('action="/studio/upload"');
    expect(html.indexOf('name="file"')).toBeLessThan(html.indexOf('name="regulator"'));
    expect(html.indexOf('name="regulator"')).toBeLessThan(html.indexOf('<button type="submit">Upload</button>'));
  });
});
