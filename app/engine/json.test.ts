import { describe, expect, it } from "vitest";
import {
  lineStarts,
  locationAt,
  locatePointer,
  offsetToLocation,
  parseJson,
  parsePointer,
  pointerLocator,
  toPointer,
} from "./json";

function syntaxError(text: string) {
  const result = parseJson(text);
  if (result.ok) throw new Error("expected a syntax error");
  return result.error;
}

describe("offsetToLocation", () => {
  it("counts lines and 1-based columns", () => {
    const text = "ab\ncd\r\nef\rgh";
    expect(offsetToLocation(text, 0)).toMatchObject({ line: 1, column: 1 });
    expect(offsetToLocation(text, 4)).toMatchObject({ line: 2, column: 2 });
    expect(offsetToLocation(text, 7)).toMatchObject({ line: 3, column: 1 }); // after \r\n
    expect(offsetToLocation(text, 10)).toMatchObject({ line: 4, column: 1 }); // after a lone \r
    expect(offsetToLocation(text, 99)).toMatchObject({ offset: text.length, line: 4, column: 3 });
  });

  it("gives the same answers through an index of line starts, at every offset", () => {
    const text = 'ab\ncd\r\nef\rgh\n\n{ "x": 1 }\r\n';
    const starts = lineStarts(text);
    expect(starts).toEqual([0, 3, 7, 10, 13, 14, 26]);
    for (let offset = -1; offset <= text.length + 1; offset++) {
      // (Between the \r and the \n of a pair is no position a token can start at.)
      if (text[offset - 1] === "\r" && text[offset] === "\n") continue;
      expect(locationAt(starts, offset, text.length), `offset ${offset}`).toEqual(offsetToLocation(text, offset));
    }
  });
});

describe("parseJson", () => {
  it("returns the value, like JSON.parse", () => {
    const text = '{"a": [1, -2.5e3, "x\\n\\u00e9"], "b": {"c": null, "d": true}}';
    const result = parseJson(text);
    expect(result.ok && result.value).toEqual(JSON.parse(text));
  });

  it("accepts a byte order mark", () => {
    const result = parseJson('\uFEFF{"a": 1}');
    expect(result.ok && result.value).toEqual({ a: 1 });
  });

  it.each([
    ['{\n  "a": 1,\n  "b": 2,\n}', 3, 9, /trailing comma/],
    ['{\n  "a": 1\n  "b": 2\n}', 3, 3, /expected "," or "}" after the value of "a"/],
    ["[1, 2,]", 1, 6, /trailing comma/],
    ['{"a": "b\nc"}', 1, 9, /line break inside a string/],
    ['{"a": "bc}', 1, 7, /unterminated string/],
    ['{"a": tru}', 1, 7, /expected a value/],
    ["{'a': 1}", 1, 2, /expected a property name in double quotes/],
    ['{"a": 1}\n{"b": 2}', 2, 1, /after the end of the JSON value/],
    ['{"a": 01}', 1, 8, /expected "," or "}"/],
    ['{"a": "\\x"}', 1, 8, /invalid escape/],
    ["", 1, 1, /unexpected end of file/],
    ['{"a":\r\n  [1,\r\n   x]}', 3, 4, /expected a value/],
  ])("reports %j at %i:%i", (text, line, column, message) => {
    const error = syntaxError(text);
    expect(JSON.parse.bind(null, text)).toThrow(); // the case really is invalid JSON
    expect({ line: error.line, column: error.column }).toEqual({ line, column });
    expect(error.message).toMatch(message);
  });

  it("lists keys written twice", () => {
    const result = parseJson('{"a": {"x": 1, "y": 2, "x": 3}}');
    expect(result.ok && result.duplicateKeys).toEqual([{ pointer: "/a/x", key: "x", offset: 23, firstOffset: 7 }]);
  });
});

describe("JSON pointers", () => {
  it("escapes and unescapes segments (RFC 6901)", () => {
    expect(toPointer(["nodes", "a/b", "c~d", 2])).toBe("/nodes/a~1b/c~0d/2");
    expect(parsePointer("/nodes/a~1b/c~0d/2")).toEqual(["nodes", "a/b", "c~d", "2"]);
    expect(parsePointer("")).toEqual([]);
    expect(toPointer([])).toBe("");
  });

  const text = [
    "{", //                                  1
    '  "slug": "x",', //                     2
    '  "nodes": {', //                       3
    '    "q1": {', //                        4
    '      "choices": [', //                 5
    '        {"id": "a", "next": "q2"},', // 6
    "        {", //                          7
    '          "id": "b",', //               8
    '          "next": "q9"', //             9
    "        }", //                          10
    "      ]", //                            11
    "    },", //                             12
    '    "a/b": {"x~y": 1}', //              13
    "  }", //                                14
    "}", //                                  15
  ].join("\n");
  const locate = pointerLocator(text)!;

  it("locates members at their key and elements at their start", () => {
    expect(locate("")).toMatchObject({ line: 1, column: 1 });
    expect(locate("/slug")).toMatchObject({ line: 2, column: 3 });
    expect(locate("/nodes/q1/choices/0")).toMatchObject({ line: 6, column: 9 });
    expect(locate("/nodes/q1/choices/0/next")).toMatchObject({ line: 6, column: 21 });
    expect(locate("/nodes/q1/choices/1")).toMatchObject({ line: 7, column: 9 });
    expect(locate("/nodes/q1/choices/1/next")).toMatchObject({ line: 9, column: 11 });
    expect(locate("/nodes/a~1b/x~0y")).toMatchObject({ line: 13, column: 13 });
  });

  it("falls back to the deepest existing ancestor", () => {
    expect(locate("/nodes/q1/title")).toMatchObject({ line: 4, column: 5 });
    expect(locate("/nodes/q1/choices/5/next")).toMatchObject({ line: 5, column: 7 });
    expect(locate("/nodes/q1/choices/01")).toMatchObject({ line: 5, column: 7 });
    expect(locate("/slug/deeper")).toMatchObject({ line: 2, column: 3 });
  });

  it("gives no locator for invalid JSON, and locates with a parsed tree", () => {
    expect(pointerLocator("{")).toBeUndefined();
    const parsed = parseJson(text);
    if (!parsed.ok) throw new Error("fixture should parse");
    expect(locatePointer(text, parsed.tree, "/nodes/q1")).toMatchObject({ line: 4, column: 5 });
  });
});
