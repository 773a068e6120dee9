import { describe, expect, it } from "vitest";
import { canonicalJson } from "./canonical";

describe("canonicalJson", () => {
  it("sorts keys at every depth and drops spacing", () => {
    const a = { b: 1, a: { d: [3, { z: 1, y: 2 }], c: "x" } };
    const b = JSON.parse('{ "a": { "c": "x", "d": [3, {"y": 2, "z": 1}] }, "b": 1 }');
    expect(canonicalJson(a)).toBe('{"a":{"c":"x","d":[3,{"y":2,"z":1}]},"b":1}');
    expect(canonicalJson(b)).toBe(canonicalJson(a));
  });

  it("keeps array order and distinguishes different content", () => {
    expect(canonicalJson([2, 1])).not.toBe(canonicalJson([1, 2]));
    expect(canonicalJson({ a: "1" })).not.toBe(canonicalJson({ a: 1 }));
  });

  it("writes strings and numbers like JSON.stringify, -0 as 0", () => {
    expect(canonicalJson({ s: 'é"\n', n: 1e21, f: 0.1, z: -0, t: true, u: null })).toBe(
      '{"f":0.1,"n":1e+21,"s":"é\\"\\n","t":true,"u":null,"z":0}',
    );
  });

  it("drops undefined members and rejects what JSON cannot hold", () => {
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
    expect(() => canonicalJson({ a: NaN })).toThrow(/\/a/);
    expect(() => canonicalJson([undefined])).toThrow(TypeError);
    expect(() => canonicalJson({ d: new Date(0) })).toThrow(/Date/);
  });
});
