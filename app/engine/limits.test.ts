import { describe, expect, it } from "vitest";
import { parseJson } from "./json";
import { FORMAT_LIMITS, utf8Bytes } from "./limits";
import { baseCase, catalogMap, mutateCase, mutateCatalog, t } from "./test-fixtures";
import { validateCase, validateCatalog } from "./validate";

const FILE = "cases/social-media-boundaries.json";

function errorsOf(value: unknown) {
  return validateCase({ file: FILE, value }, catalogMap()).diagnostics.filter((d) => d.severity === "error");
}

/** A valid case whose q1 has `n` choices, all leading on to q2. */
function withChoices(n: number) {
  return mutateCase((c) => {
    c.nodes.q1.choices = Array.from({ length: n }, (_, i) => ({ id: `c${i}`, label: t(`Choice ${i}`), next: "q2" }));
  });
}

/** A valid case that is a chain of `scenes` scenes before its one decision. */
function chain(scenes: number) {
  return mutateCase((c) => {
    c.start = "s0";
    for (let i = 0; i < scenes; i++) {
      c.nodes[`s${i}`] = { kind: "scene", body: t(`Scene ${i}`), next: i + 1 < scenes ? `s${i + 1}` : "q1" };
    }
    delete c.nodes.context;
  });
}

describe("case format limits", () => {
  it("accepts a decision at the choice limit and refuses one more, at the decision's choices", () => {
    expect(errorsOf(withChoices(FORMAT_LIMITS.choicesPerDecision))).toEqual([]);
    const errors = errorsOf(withChoices(FORMAT_LIMITS.choicesPerDecision + 1));
    expect(errors.map((e) => [e.path, e.message])).toEqual([
      ["/nodes/q1/choices", "a decision has at most 20 choices; split it into two decisions"],
    ]);
  });

  it("refuses 10,000 choices in one decision with that one error, without scoring it", () => {
    const result = validateCase({ file: FILE, value: withChoices(10_000) }, catalogMap());
    expect(result.caseFile).toBeUndefined();
    expect(result.analysis).toBeUndefined();
    expect(result.diagnostics.filter((d) => d.severity === "error").map((e) => e.path)).toEqual(["/nodes/q1/choices"]);
  });

  it("accepts a chain at the node limit and refuses a case with more nodes, at /nodes", () => {
    const others = Object.keys(baseCase().nodes).length - 1; // all but the scene the chain replaces
    const atLimit = chain(FORMAT_LIMITS.nodes - others);
    expect(Object.keys(atLimit.nodes)).toHaveLength(FORMAT_LIMITS.nodes);
    expect(errorsOf(atLimit)).toEqual([]);
    const over = errorsOf(chain(4_000));
    expect(over.map((e) => [e.path, e.message])).toEqual([
      ["/nodes", `the case has ${4_000 + others} nodes; the limit is 1000 (split it into two cases)`],
    ]);
  });

  it("refuses a text over the text limit and a title over the title limit, each at its pointer", () => {
    const long = mutateCase((c) => {
      c.nodes.context.body.fr = "é".repeat(FORMAT_LIMITS.textLength + 1);
      c.nodes.end.title.en = "x".repeat(FORMAT_LIMITS.titleLength + 1);
    });
    expect(errorsOf(long).map((e) => [e.path, e.message])).toEqual([
      ["/nodes/context/body/fr", "text must be at most 20,000 characters"],
      ["/nodes/end/title/en", "text must be at most 300 characters"],
    ]);
    const atLimit = mutateCase((c) => {
      c.nodes.context.body.fr = "é".repeat(FORMAT_LIMITS.textLength);
      c.nodes.end.title.en = "x".repeat(FORMAT_LIMITS.titleLength);
    });
    expect(errorsOf(atLimit)).toEqual([]);
  });

  it("refuses too many effects on a choice, too many catalogs and over-long ids", () => {
    const value = mutateCase((c) => {
      c.nodes.q1.choices[0].effects = Array.from({ length: FORMAT_LIMITS.effectsPerChoice + 1 }, () => ({
        standard: "coto-boundaries:2.1",
        points: 1,
      }));
      c.standards = Array.from({ length: FORMAT_LIMITS.standards + 1 }, (_, i) => `catalog-${i}`);
      c.nodes.q1.choices[1].id = "a".repeat(FORMAT_LIMITS.idLength + 1);
    });
    const paths = errorsOf(value).map((e) => e.path);
    expect(paths).toContain("/nodes/q1/choices/0/effects");
    expect(paths).toContain("/standards");
    expect(paths).toContain("/nodes/q1/choices/1/id");
  });

  it("refuses a file over the byte limit before parsing it, counting UTF-8 bytes", () => {
    const text = JSON.stringify({ ...baseCase(), summary: t("é".repeat(260_000)) });
    expect(text.length).toBeLessThan(FORMAT_LIMITS.fileBytes);
    const result = validateCase({ file: FILE, text }, catalogMap());
    expect(result.diagnostics).toHaveLength(1);
    expect(result.diagnostics[0]!.path).toBe("");
    expect(result.diagnostics[0]!.message).toMatch(/^the file is 1,04\d,\d{3} bytes; the limit is 1,000,000 /);
  });

  it("refuses 10,000 levels of nesting with a located error instead of overflowing the stack", () => {
    const text = `{"nodes": ${"[".repeat(10_000)}${"]".repeat(10_000)}}`;
    const parsed = parseJson(text);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error.message).toBe("nested more than 32 levels deep; a Vignette file needs far fewer");
    expect([parsed.error.line, parsed.error.column]).toEqual([1, 12 + FORMAT_LIMITS.jsonDepth - 2]);
    const result = validateCase({ file: FILE, text }, catalogMap());
    expect(result.diagnostics.map((d) => d.message)).toEqual([parsed.error.message]);
  });

  it("accepts the deepest nesting allowed", () => {
    const depth = FORMAT_LIMITS.jsonDepth;
    expect(parseJson(`${"[".repeat(depth)}${"]".repeat(depth)}`).ok).toBe(true);
    expect(parseJson(`${"[".repeat(depth + 1)}${"]".repeat(depth + 1)}`).ok).toBe(false);
  });
});

describe("catalog format limits", () => {
  it("refuses a catalog with more items than the limit, at the first item over it", () => {
    const value = mutateCatalog((c) => {
      c.items = Array.from({ length: FORMAT_LIMITS.catalogItems + 1 }, (_, i) => ({
        code: `s${i}`,
        title: t(`Standard ${i}`),
      }));
    });
    const errors = validateCatalog({ file: "cases/standards/x.json", value }).diagnostics;
    expect(errors.map((e) => [e.path, e.message])).toEqual([
      [`/items/${FORMAT_LIMITS.catalogItems}`, "a catalog holds at most 5000 items; this is one more"],
    ]);
  });
});

describe("utf8Bytes", () => {
  it("counts as TextEncoder does", () => {
    for (const text of ["", "abc", "é", "Łukasz", "€", "😀", "a😀b", "\ud800", "x\udc00"]) {
      expect(utf8Bytes(text), text).toBe(new TextEncoder().encode(text).length);
    }
  });
});
