import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { createLoadContext, keepForDocument } from "~/utils/prerendered.server";
import { Prerendered, PrerenderedContext } from "./prerendered";

function page(context: ReturnType<typeof createLoadContext> | undefined) {
  return renderToString(
    <PrerenderedContext.Provider value={context?.prerendered}>
      <ol id="other">
        <li>before</li>
      </ol>
      <Prerendered as="ol" id="list-abc" className="graph-list" />
    </PrerenderedContext.Provider>,
  );
}

describe("Prerendered", () => {
  it("puts the markup a loader kept for this request's document inside its element, as it is", () => {
    const context = createLoadContext();
    keepForDocument(context, "list-abc", '<li id="node-a"><strong>a</strong></li>');
    expect(page(context)).toContain(
      '<ol id="list-abc" class="graph-list"><li id="node-a"><strong>a</strong></li></ol>',
    );
  });

  it("renders the element empty when this request kept nothing for it: another request's markup never shows", () => {
    const other = createLoadContext();
    keepForDocument(other, "list-abc", "<li>someone else's</li>");
    expect(page(createLoadContext())).toContain('<ol id="list-abc" class="graph-list"></ol>');
    expect(page(undefined)).toContain('<ol id="list-abc" class="graph-list"></ol>');
  });
});
