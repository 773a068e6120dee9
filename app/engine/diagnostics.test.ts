import { describe, expect, it } from "vitest";
import { closestMatch, editDistance, formatDiagnostic, sortDiagnostics } from "./diagnostics";

describe("formatDiagnostic", () => {
  const base = {
    severity: "error" as const,
    file: "cases/blair.json",
    path: "/nodes/q1/choices/2/next",
    message: 'no node "q9"',
  };

  it("writes file:line:column: path: message", () => {
    expect(formatDiagnostic({ ...base, line: 12, column: 5 })).toBe(
      'cases/blair.json:12:5: /nodes/q1/choices/2/next: no node "q9"',
    );
  });

  it("marks warnings and leaves out what is unknown", () => {
    expect(formatDiagnostic({ ...base, severity: "warning" })).toBe(
      'cases/blair.json: warning: /nodes/q1/choices/2/next: no node "q9"',
    );
    expect(formatDiagnostic({ ...base, path: "", line: 1 })).toBe('cases/blair.json:1: no node "q9"');
  });

  it("sorts by position, stably", () => {
    const d = (message: string, line?: number, column?: number) => ({ ...base, message, line, column });
    expect(
      sortDiagnostics([d("c", 3, 1), d("a", 1, 9), d("b", 1, 9), d("z"), d("x", 1, 2)]).map((x) => x.message),
    ).toEqual(["z", "x", "a", "b", "c"]);
  });
});

describe("closestMatch", () => {
  it("suggests plausible typos only", () => {
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(closestMatch("q9", ["context", "q1", "q2"])).toBe("q1");
    expect(closestMatch("Q2", ["q1", "q2"])).toBe("q2");
    expect(closestMatch("reflct", ["reflect", "end"])).toBe("reflect");
    expect(closestMatch("ab", ["xy"])).toBeUndefined();
    expect(closestMatch("completely-different", ["context"])).toBeUndefined();
    expect(closestMatch("same", ["same"])).toBeUndefined();
  });
});
