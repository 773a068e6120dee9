import { describe, expect, it } from "vitest";
import { buildDiagram } from "~/models/studio-view.server";
import { renderGraphMarkup } from "./graph-markup.server";

// A three-node case whose texts try to smuggle markup into the page.
const value = {
  start: "s0",
  nodes: {
    s0: { kind: "scene", title: { en: '<img src=x onerror="alert(1)">', fr: "Début" }, next: "q1" },
    q1: {
      kind: "decision",
      prompt: { en: "Choose </script><script>alert(2)</script>", fr: "Choisir" },
      choices: [
        { id: "a&b", next: "end" },
        { id: "gone", next: "nowhere" },
      ],
    },
    end: { kind: "outcome", title: { en: "The end", fr: "La fin" } },
  },
};

describe("renderGraphMarkup", () => {
  const diagram = buildDiagram(value, "en")!;

  it("draws each node, links each reachable one to the preview and lists them all, in the page's language", () => {
    const markup = renderGraphMarkup(diagram, "/studio/cases/x/versions/1/preview", "fr");
    expect(markup.drawing.match(/data-node=/g)).toHaveLength(4); // three nodes and the missing target
    expect(markup.drawing).toContain('id="graph-start"');
    expect(markup.drawing).toContain("scène"); // the kind, in French
    expect(markup.links?.match(/<a /g)).toHaveLength(3);
    expect(markup.links).toContain('href="/studio/cases/x/versions/1/preview?from=q1&amp;at=q1"');
    expect(markup.list.match(/<li id="node-/g)).toHaveLength(3);
    expect(markup.list).toContain("nowhere (nœud inexistant)");
  });

  it("escapes whatever the case's texts and ids hold: no element or attribute comes from content", () => {
    const markup = renderGraphMarkup(diagram, "/preview", "en");
    const all = `${markup.drawing}${markup.links}${markup.list}`;
    expect(all).not.toMatch(/<img|<\/?script/i);
    expect(all).not.toMatch(/<[^>]*onerror/i); // no tag carries it: it is text
    expect(all).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;");
    expect(all).toContain("a&amp;b");
  });

  it("has no preview links for a case that cannot be played", () => {
    expect(renderGraphMarkup(diagram, null, "en").links).toBeNull();
  });
});
