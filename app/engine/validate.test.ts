import { describe, expect, it } from "vitest";
import { formatDiagnostic, type Diagnostic } from "./diagnostics";
import { baseCase, baseCatalog, catalogMap, mutateCase, mutateCatalog, t } from "./test-fixtures";
import {
  catalogCodes,
  catalogItems,
  expectedFileName,
  validateCase,
  validateCatalog,
  validateCatalogDiagnostics,
} from "./validate";

const FILE = "cases/social-media-boundaries.json";

function check(value: unknown, catalogs = catalogMap()) {
  return validateCase({ file: FILE, value }, catalogs);
}

function errors(value: unknown, catalogs = catalogMap()): Diagnostic[] {
  return check(value, catalogs).diagnostics.filter((d) => d.severity === "error");
}

function warnings(value: unknown, catalogs = catalogMap()): Diagnostic[] {
  return check(value, catalogs).diagnostics.filter((d) => d.severity === "warning");
}

/** The single error at `path`, asserting there is exactly one there. */
function errorAt(value: unknown, path: string): Diagnostic {
  const found = errors(value).filter((d) => d.path === path);
  expect(found, `errors: ${JSON.stringify(errors(value), null, 2)}`).toHaveLength(1);
  return found[0]!;
}

describe("validateCase on the base fixture", () => {
  it("accepts it with no diagnostics at all", () => {
    const result = check(baseCase());
    expect(result.diagnostics).toEqual([]);
    expect(result.caseFile?.slug).toBe("social-media-boundaries");
    expect(result.analysis?.bestTotal).toBe(4);
  });

  it("accepts the same case given as text", () => {
    const result = validateCase({ file: FILE, text: JSON.stringify(baseCase(), null, 2) }, catalogMap());
    expect(result.diagnostics).toEqual([]);
    expect(result.caseFile).toEqual(baseCase());
  });

  it("withholds caseFile when there is an error but keeps it with warnings only", () => {
    expect(check(mutateCase((c) => (c.passMark = 2))).caseFile).toBeUndefined();
    const warned = check(mutateCase((c) => (c.locales = ["en"])));
    expect(warned.diagnostics.length).toBeGreaterThan(0);
    expect(warned.diagnostics.every((d) => d.severity === "warning")).toBe(true);
    expect(warned.caseFile).toBeDefined();
  });

  it("hands back the JSON it read, so a broken case can be shown without parsing it again", () => {
    const broken = mutateCase((c) => (c.passMark = 2));
    const result = validateCase({ file: FILE, text: "\uFEFF" + JSON.stringify(broken) }, catalogMap());
    expect(result.caseFile).toBeUndefined();
    expect(result.value).toEqual(broken);
    expect(validateCase({ file: FILE, text: "[1, 2]" }, catalogMap()).value).toEqual([1, 2]);
    expect(validateCase({ file: FILE, text: "{ not json" }, catalogMap()).value).toBeUndefined();
  });
});

describe("rule 1: JSON syntax", () => {
  it("reports the line and column of a syntax error", () => {
    const text = '{\n  "format": 1,\n  "slug": "x",,\n}';
    const result = validateCase({ file: FILE, text }, catalogMap());
    expect(result.diagnostics).toHaveLength(1);
    const [d] = result.diagnostics;
    expect(d).toMatchObject({ severity: "error", path: "", line: 3, column: 15 });
    expect(d!.message).toMatch(/invalid JSON/);
    expect(formatDiagnostic(d!)).toMatch(/^cases\/social-media-boundaries\.json:3:15: invalid JSON/);
  });

  it("reports a key written twice (JSON would silently keep the last)", () => {
    const text = JSON.stringify(baseCase(), null, 2).replace('"q2": {', '"q1": {"kind": "outcome"},\n    "q2": {');
    const d = validateCase({ file: FILE, text }, catalogMap()).diagnostics.find((x) => /written twice/.test(x.message));
    expect(d?.path).toBe("/nodes/q1");
    expect(d?.message).toMatch(/"q1" is written twice.*first on line \d+/);
  });

  it("rejects a file that is not an object", () => {
    expect(errorAt([], "").message).toMatch(/must be a JSON object, got an array/);
  });
});

describe("rule 2: schema", () => {
  it("reports a missing field at its path", () => {
    const d = errorAt(
      mutateCase((c) => delete c.summary),
      "/summary",
    );
    expect(d.message).toBe('missing required field "summary"');
  });

  it("explains a missing next", () => {
    const d = errorAt(
      mutateCase((c) => delete c.nodes.context.next),
      "/nodes/context/next",
    );
    expect(d.message).toMatch(/missing required field "next": the id of the node that comes next/);
  });

  it("reports a wrong type", () => {
    expect(
      errorAt(
        mutateCase((c) => (c.passMark = "0.7")),
        "/passMark",
      ).message,
    ).toBe('expected a number, got the string "0.7"');
  });

  it("reports an unknown field and suggests the right one", () => {
    const d = errorAt(
      mutateCase((c) => {
        c.nodes.context.nxt = "q1";
      }),
      "/nodes/context/nxt",
    );
    expect(d.message).toBe('unknown field "nxt" (did you mean "next"?)');
  });

  it("reports an unknown top-level field", () => {
    expect(
      errorAt(
        mutateCase((c) => (c.passmark = 0.7)),
        "/passmark",
      ).message,
    ).toBe('unknown field "passmark" (did you mean "passMark"?)');
  });

  it("reports a bad release month", () => {
    for (const release of ["2021-13", "May 2021", "2021-5"]) {
      expect(
        errorAt(
          mutateCase((c) => (c.release = release)),
          "/release",
        ).message,
      ).toMatch(/"YYYY-MM"/);
    }
  });

  it("reports an unknown node kind with a suggestion", () => {
    expect(
      errorAt(
        mutateCase((c) => (c.nodes.context.kind = "scen")),
        "/nodes/context/kind",
      ).message,
    ).toBe('unknown node kind "scen" (did you mean "scene"?); expected one of scene, decision, reflection, outcome');
  });

  it("reports an unsupported locale key and an unsupported listed locale", () => {
    expect(
      errorAt(
        mutateCase((c) => (c.title.de = "Titel")),
        "/title/de",
      ).message,
    ).toMatch(/"de" is not a supported locale/);
    expect(
      errorAt(
        mutateCase((c) => (c.locales = ["en", "de"])),
        "/locales/1",
      ).message,
    ).toMatch(/"de" is not a supported locale/);
  });

  it("reports an empty text and a bad node id", () => {
    expect(
      errorAt(
        mutateCase((c) => (c.title.fr = "")),
        "/title/fr",
      ).message,
    ).toBe("text must not be empty");
    const value = mutateCase((c) => {
      c.nodes["bad id"] = c.nodes.end;
      c.nodes.reflect.next = "bad id";
      delete c.nodes.end;
    });
    expect(errorAt(value, "/nodes/bad id").message).toMatch(/invalid id "bad id": node ids use letters/);
  });

  it("reports a wrong format version and a non-integer point", () => {
    expect(
      errorAt(
        mutateCase((c) => (c.format = 2)),
        "/format",
      ).message,
    ).toBe("expected 1, got the number 2");
    expect(
      errorAt(
        mutateCase((c) => (c.nodes.q1.choices[0].effects[0].points = 1.5)),
        "/nodes/q1/choices/0/effects/0/points",
      ).message,
    ).toBe("points must be a whole number");
  });

  it("reports a badly written effect standard", () => {
    expect(
      errorAt(
        mutateCase((c) => (c.nodes.q1.choices[0].effects[0].standard = "2.1")),
        "/nodes/q1/choices/0/effects/0/standard",
      ).message,
    ).toMatch(/"catalogId:code"/);
  });

  it("reports maxAttempts below 1", () => {
    expect(
      errorAt(
        mutateCase((c) => (c.maxAttempts = 0)),
        "/maxAttempts",
      ).message,
    ).toMatch(/at least 1/);
  });
});

describe("rule 3: unknown next or start", () => {
  it("reports an unknown choice target with the closest id", () => {
    const d = errorAt(
      mutateCase((c) => (c.nodes.q1.choices[2].next = "q3")),
      "/nodes/q1/choices/2/next",
    );
    expect(d.message).toBe('no node "q3" (did you mean "q1"?)');
  });

  it("suggests by edit distance", () => {
    const d = errorAt(
      mutateCase((c) => (c.nodes.q2.choices[1].next = "reflct")),
      "/nodes/q2/choices/1/next",
    );
    expect(d.message).toBe('no node "reflct" (did you mean "reflect"?)');
  });

  it("does not suggest an unrelated id", () => {
    const d = errorAt(
      mutateCase((c) => (c.nodes.q2.choices[1].next = "zzzzzz")),
      "/nodes/q2/choices/1/next",
    );
    expect(d.message).toBe('no node "zzzzzz"');
  });

  it("reports an unknown start", () => {
    const d = errorAt(
      mutateCase((c) => (c.start = "contxt")),
      "/start",
    );
    expect(d.message).toMatch(/^no node "contxt" \(did you mean "context"\?\)/);
  });
});

describe("rule 4: unreachable nodes", () => {
  it("reports a node nothing links to", () => {
    const value = mutateCase((c) => (c.nodes.orphan = { kind: "outcome", title: t("Orphan"), body: t("…") }));
    expect(errorAt(value, "/nodes/orphan").message).toBe(
      'node "orphan" is never reached from the start ("context"); link to it from another node or remove it',
    );
  });

  it("does not flag nodes after a mistyped kind as unreachable", () => {
    const value = mutateCase((c) => (c.nodes.reflect.kind = "reflexion"));
    expect(errors(value).map((d) => d.path)).toEqual(["/nodes/reflect/kind"]);
  });
});

describe("unreadable nodes", () => {
  it("report the node once instead of everything after it as unreachable", () => {
    expect(errors(mutateCase((c) => (c.nodes.q1 = 5)))).toMatchObject([
      { path: "/nodes/q1", message: "expected an object, got the number 5" },
    ]);
    expect(errors(mutateCase((c) => (c.nodes.q1.choices = "x"))).map((d) => d.path)).toEqual(["/nodes/q1/choices"]);
  });
});

describe("rule 5: dead ends", () => {
  it("reports a decision with no choices", () => {
    const d = errorAt(
      mutateCase((c) => (c.nodes.q2.choices = [])),
      "/nodes/q2/choices",
    );
    expect(d.message).toMatch(/has no choices, so it is a dead end/);
  });

  it("says a scene whose next does not exist is a dead end", () => {
    const d = errorAt(
      mutateCase((c) => (c.nodes.context.next = "q7")),
      "/nodes/context/next",
    );
    expect(d.message).toBe('no node "q7" (did you mean "q1"?), so "context" is a dead end');
  });
});

describe("rule 6: loops", () => {
  it("names the loop", () => {
    const d = errorAt(
      mutateCase((c) => (c.nodes.q2.choices[1].next = "q1")),
      "/nodes/q2/choices/1/next",
    );
    expect(d.message).toMatch(/^this link makes a loop: q1 → q2 → q1; a case must not loop/);
  });

  it("names a longer loop through a scene and a reflection", () => {
    const d = errorAt(
      mutateCase((c) => (c.nodes.reflect.next = "context")),
      "/nodes/reflect/next",
    );
    expect(d.message).toMatch(/loop: context → q1 → q2 → reflect → context/);
  });

  it("does not score a looping case", () => {
    expect(check(mutateCase((c) => (c.nodes.reflect.next = "context"))).analysis).toBeUndefined();
  });
});

describe("rules 7 and 8: choices", () => {
  it("reports duplicate choice ids", () => {
    const d = errorAt(
      mutateCase((c) => (c.nodes.q1.choices[2].id = "decline")),
      "/nodes/q1/choices/2/id",
    );
    expect(d.message).toBe(
      'duplicate choice id "decline" (also choice 0); choice ids must be unique within a decision',
    );
  });

  it("reports a decision with a single choice", () => {
    const d = errorAt(
      mutateCase((c) => c.nodes.q2.choices.pop()),
      "/nodes/q2/choices",
    );
    expect(d.message).toMatch(/has only 1 choice; give it at least 2/);
  });
});

describe("rule 9: locales", () => {
  it("reports a text missing a listed locale", () => {
    const d = errorAt(
      mutateCase((c) => delete c.nodes.q1.choices[1].label.fr),
      "/nodes/q1/choices/1/label",
    );
    expect(d.message).toBe('missing the "fr" text (the file\'s locales are en, fr)');
  });

  it("reports every text missing a locale", () => {
    const value = mutateCase((c) => {
      delete c.summary.en;
      delete c.nodes.end.body.fr;
      delete c.nodes.context.title.en;
    });
    expect(errors(value).map((d) => d.path)).toEqual(["/summary", "/nodes/context/title", "/nodes/end/body"]);
  });

  it("warns about a text in a supported locale the file does not list", () => {
    const ws = warnings(mutateCase((c) => (c.locales = ["en"])));
    expect(ws.length).toBeGreaterThan(5);
    expect(ws.find((w) => w.path === "/title/fr")?.message).toMatch(
      /never shown because "fr" is not in the file's locales/,
    );
  });

  it("reports a locale listed twice", () => {
    expect(
      errorAt(
        mutateCase((c) => (c.locales = ["en", "fr", "en"])),
        "/locales/2",
      ).message,
    ).toBe('locale "en" is listed twice');
  });
});

describe("rule 10: standards", () => {
  it("reports an effect on a catalog that does not exist", () => {
    const value = mutateCase((c) => (c.nodes.q1.choices[0].effects[0].standard = "coto-boundary:2.1"));
    expect(errorAt(value, "/nodes/q1/choices/0/effects/0/standard").message).toBe(
      'no standards catalog "coto-boundary" (did you mean "coto-boundaries"?) (known catalogs: coto-boundaries)',
    );
  });

  it("reports an item code missing from the catalog, with the closest code", () => {
    const value = mutateCase((c) => (c.nodes.q1.choices[0].effects[0].standard = "coto-boundaries:2.3"));
    expect(errorAt(value, "/nodes/q1/choices/0/effects/0/standard").message).toBe(
      'catalog "coto-boundaries" has no item "2.3" (did you mean "1.3"?)'.replace("1.3", "2.1"),
    );
  });

  it("reports an effect on a catalog the case does not list", () => {
    const other = { ...baseCatalog(), id: "coto-records" };
    const value = mutateCase((c) => (c.nodes.q2.choices[0].effects[0].standard = "coto-records:1.1"));
    const found = errors(value, catalogMap(baseCatalog(), other));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      path: "/nodes/q2/choices/0/effects/0/standard",
      message: 'catalog "coto-records" is not listed in "standards"; add it there',
    });
  });

  it("reports a listed catalog that does not exist, and a missing catalog map", () => {
    const value = mutateCase((c) => c.standards.push("coto-ethics"));
    expect(errorAt(value, "/standards/1").message).toMatch(/^no standards catalog "coto-ethics"/);
    expect(errors(baseCase(), new Map()).every((d) => /no catalogs are loaded/.test(d.message))).toBe(true);
  });

  it("reports a catalog listed twice", () => {
    expect(
      errorAt(
        mutateCase((c) => c.standards.push("coto-boundaries")),
        "/standards/1",
      ).message,
    ).toBe('catalog "coto-boundaries" is listed twice');
  });

  it("warns about a listed catalog no effect uses and one from another regulator", () => {
    const unused = { ...baseCatalog(), id: "coto-unused", regulator: "cno" };
    const ws = warnings(
      mutateCase((c) => c.standards.push("coto-unused")),
      catalogMap(baseCatalog(), unused),
    );
    expect(ws.map((w) => w.message)).toEqual([
      'catalog "coto-unused" belongs to regulator "cno", but this case is for "coto"',
      'no choice has an effect on catalog "coto-unused"; remove it or score against it',
    ]);
  });
});

describe("rule 11: pass mark and credit", () => {
  it("reports a pass mark outside 0..1", () => {
    expect(
      errorAt(
        mutateCase((c) => (c.passMark = 70)),
        "/passMark",
      ).message,
    ).toMatch(/from 0 to 1/);
    expect(
      errorAt(
        mutateCase((c) => (c.passMark = -0.1)),
        "/passMark",
      ).message,
    ).toMatch(/from 0 to 1/);
  });

  it("reports credit hours that are not a positive multiple of 0.25", () => {
    expect(
      errorAt(
        mutateCase((c) => (c.credit.hours = 0.3)),
        "/credit/hours",
      ).message,
    ).toMatch(/steps of 0.25/);
    expect(
      errorAt(
        mutateCase((c) => (c.credit.hours = 0)),
        "/credit/hours",
      ).message,
    ).toMatch(/more than 0/);
    expect(errors(mutateCase((c) => (c.credit.hours = 1.75)))).toEqual([]);
  });
});

describe("rule 12: file name", () => {
  it("gives the file name a slug must have", () => {
    expect(expectedFileName("social-media-boundaries")).toBe("social-media-boundaries.json");
  });
});

describe("scoring rules", () => {
  it("warns when all choices of a decision score the same", () => {
    const value = mutateCase((c) => (c.nodes.q2.choices[1].effects = [{ standard: "coto-boundaries:1.1", points: 2 }]));
    const ws = warnings(value);
    expect(ws).toHaveLength(1);
    expect(ws[0]).toMatchObject({ path: "/nodes/q2/choices" });
    expect(ws[0]!.message).toMatch(/all choices of "q2" score the same/);
  });

  it("counts an item's effects by total, not by how they are written", () => {
    const value = mutateCase(
      (c) =>
        (c.nodes.q2.choices[1].effects = [
          { standard: "coto-boundaries:1.1", points: 3 },
          { standard: "coto-boundaries:1.1", points: -1 },
        ]),
    );
    expect(warnings(value).map((w) => w.path)).toEqual(["/nodes/q2/choices"]);
  });

  it("warns about an outcome that only critical paths reach", () => {
    const value = mutateCase((c) => {
      c.nodes.q1.choices[2].next = "struck-off";
      c.nodes["struck-off"] = { kind: "outcome", title: t("Struck off"), body: t("…") };
    });
    const ws = warnings(value);
    expect(ws).toHaveLength(1);
    expect(ws[0]).toMatchObject({ path: "/nodes/struck-off" });
    expect(ws[0]!.message).toMatch(/every path to outcome "struck-off" takes a critical choice/);
  });

  it("warns about an outcome whose best path is below the pass mark", () => {
    const value = mutateCase((c) => {
      c.nodes.q2.choices[1].next = "poor";
      c.nodes.poor = { kind: "outcome", title: t("Poor"), body: t("…") };
    });
    // Best path to "poor": decline (+2) then ignore (-1) = 1 of 4 = 25%.
    const ws = warnings(value);
    expect(ws).toHaveLength(1);
    expect(ws[0]!.message).toBe(
      'the best path to outcome "poor" scores 25%, below the pass mark of 70%, so nobody who ends here passes (fine for a failure ending)',
    );
  });

  it("is an error when every path takes a critical choice", () => {
    const value = mutateCase((c) => {
      for (const choice of c.nodes.q2.choices) choice.critical = true;
    });
    expect(errorAt(value, "/nodes").message).toMatch(/every path through the case takes a critical choice/);
  });

  it("warns when no path earns points", () => {
    const value = mutateCase((c) => {
      for (const q of [c.nodes.q1, c.nodes.q2]) for (const choice of q.choices) delete choice.effects;
    });
    const ws = warnings(value).map((w) => w.message);
    expect(ws).toContain(
      "no path earns points, so every learner who avoids critical choices scores 100%; add effects if the case should be scored",
    );
  });
});

describe("reporting", () => {
  it("reports all errors at once, including past a schema error", () => {
    const value = mutateCase((c) => {
      delete c.summary; // schema
      c.passMark = 3; // schema
      c.nodes.q1.choices[0].next = "q3"; // link
      c.nodes.q2.choices[0].id = "ignore"; // duplicate choice
      delete c.nodes.end.title.fr; // locale
      c.nodes.q1.choices[1].effects[0].standard = "coto-boundaries:9"; // unknown code
    });
    expect(
      errors(value)
        .map((d) => d.path)
        .sort(),
    ).toEqual(
      [
        "/summary",
        "/passMark",
        "/nodes/q1/choices/0/next",
        "/nodes/q2/choices/1/id",
        "/nodes/end/title",
        "/nodes/q1/choices/1/effects/0/standard",
      ].sort(),
    );
  });

  it("gives every diagnostic a line when the text is known, sorted by position", () => {
    const value = mutateCase((c) => {
      c.nodes.q1.choices[2].next = "q9";
      delete c.nodes.end.body.fr;
      c.passMark = 2;
    });
    const text = JSON.stringify(value, null, 2);
    const { diagnostics } = validateCase({ file: FILE, text }, catalogMap());
    expect(diagnostics).toHaveLength(3);
    const lines = text.split("\n");
    for (const d of diagnostics) expect(d.line).toBeGreaterThan(0);
    expect(diagnostics.map((d) => d.line)).toEqual([...diagnostics.map((d) => d.line!)].sort((a, b) => a - b));
    const next = diagnostics.find((d) => d.path === "/nodes/q1/choices/2/next")!;
    expect(lines[next.line! - 1]!.slice(next.column! - 1)).toBe('"next": "q9",');
    expect(formatDiagnostic(next)).toBe(
      `${FILE}:${next.line}:${next.column}: /nodes/q1/choices/2/next: no node "q9" (did you mean "q1"?)`,
    );
  });

  it("points a missing field at the object that lacks it", () => {
    const value = mutateCase((c) => delete c.nodes.end.body);
    const text = JSON.stringify(value, null, 2);
    const d = validateCase({ file: FILE, text }, catalogMap()).diagnostics[0]!;
    expect(d.path).toBe("/nodes/end/body");
    expect(text.split("\n")[d.line! - 1]!.trim()).toBe('"end": {');
  });

  it("leaves lines out when only a value is given", () => {
    const d = errors(mutateCase((c) => (c.passMark = 2)))[0]!;
    expect(d.line).toBeUndefined();
    expect(formatDiagnostic(d)).toMatch(/^cases\/social-media-boundaries\.json: \/passMark: /);
  });
});

describe("validateCatalog", () => {
  const CATALOG = "cases/standards/coto-boundaries.json";
  const checkCatalog = (value: unknown) => validateCatalog({ file: CATALOG, value });

  it("accepts the base catalog, defaulting locales", () => {
    const value = mutateCatalog((c) => delete c.locales);
    const result = checkCatalog(value);
    expect(result.diagnostics).toEqual([]);
    expect(result.catalog?.locales).toEqual(["en", "fr"]);
    expect(catalogCodes(result.catalog!)).toEqual(["1", "1.1", "1.2", "2", "2.1", "2.2"]);
    expect(catalogItems(result.catalog!).map((item) => item.title.en)).toEqual([
      "Records",
      "Document",
      "Retain",
      "Relationships",
      "Social media",
      "Gifts",
    ]);
  });

  it("reports duplicate codes at any depth", () => {
    const result = checkCatalog(mutateCatalog((c) => (c.items[1].items[1].code = "1.1")));
    expect(result.catalog).toBeUndefined();
    expect(result.diagnostics).toEqual([
      {
        severity: "error",
        file: CATALOG,
        path: "/items/1/items/1/code",
        message: 'code "1.1" is used twice (first at /items/0/items/0); codes must be unique within a catalog',
      },
    ]);
  });

  it("reports a missing locale using the default locales", () => {
    const result = checkCatalog(
      mutateCatalog((c) => {
        delete c.locales;
        delete c.items[1].text.fr;
      }),
    );
    expect(result.diagnostics.map((d) => [d.path, d.message])).toEqual([
      ["/items/1/text", 'missing the "fr" text (the file\'s locales are en, fr)'],
    ]);
  });

  it("accepts an English-only catalog that says so", () => {
    const value = mutateCatalog((c) => {
      c.locales = ["en"];
      const strip = (x: any) => {
        if (x && typeof x === "object") {
          if (typeof x.en === "string") delete x.fr;
          for (const v of Object.values(x)) strip(v);
        }
      };
      strip(c);
    });
    expect(checkCatalog(value).diagnostics).toEqual([]);
  });

  it("reports schema errors with lines when given text", () => {
    const value = mutateCatalog((c) => (c.effective = "2021-02-30x"));
    const result = validateCatalog({ file: CATALOG, text: JSON.stringify(value, null, 2) });
    expect(result.diagnostics).toHaveLength(1);
    expect(result.diagnostics[0]).toMatchObject({ path: "/effective", line: 6, column: 3 });
    expect(result.diagnostics[0]!.message).toMatch(/"YYYY-MM-DD"/);
  });

  it("checks a parsed catalog on its own", () => {
    const catalog = baseCatalog();
    catalog.items[0]!.code = "2";
    expect(validateCatalogDiagnostics(catalog, CATALOG).map((d) => d.path)).toEqual(["/items/1/code"]);
  });
});

describe("raw HTML in texts", () => {
  it("is an error at the text's locale, with the markdown to write instead", () => {
    const value = mutateCase((c) => {
      c.nodes.context.body.en = "Hello <script>window.__xss=1</script> and <b>bold</b>";
      c.nodes.q1.choices[0].feedback.fr = '<a href="https://example.org">ici</a>';
      c.nodes.q1.prompt.en = "<!-- draft --> A client writes.";
      c.summary.fr = '<img src=x onerror="alert(1)">';
      c.nodes.reflect.prompt.en = '<iframe src="https://example.org"></iframe>';
    });
    const found = errors(value).map((d) => [d.path, d.message]);
    expect(found).toEqual([
      [
        "/summary/fr",
        '"<img src=x onerror=\\"alert(1)\\">" is raw HTML, which is not allowed in text: images are not allowed in text',
      ],
      [
        "/nodes/context/body/en",
        '"<script>" is raw HTML, which is not allowed in text: remove <script>: scripts never run in case text',
      ],
      ["/nodes/context/body/en", '"<b>" is raw HTML, which is not allowed in text: write **bold** instead of <b>…</b>'],
      ["/nodes/q1/prompt/en", expect.stringMatching(/^"<!-- draft -->" is raw HTML, .*: remove the comment/)],
      [
        "/nodes/q1/choices/0/feedback/fr",
        expect.stringMatching(/: write \[text\]\(https:\/\/…\) instead of <a href>$/),
      ],
      ["/nodes/reflect/prompt/en", expect.stringMatching(/: remove <iframe>: other pages cannot be embedded/)],
    ]);
    expect(check(value).caseFile).toBeUndefined();
  });

  it("gives the line and column of the text when the source is known", () => {
    const value = mutateCase((c) => (c.nodes.end.body.fr = "Merci <b>beaucoup</b>"));
    const text = JSON.stringify(value, null, 2);
    const [d] = validateCase({ file: FILE, text }, catalogMap()).diagnostics;
    const line = text.split("\n").findIndex((l) => l.includes("Merci <b>")) + 1;
    expect(d).toMatchObject({ path: "/nodes/end/body/fr", line, column: expect.any(Number) });
    expect(formatDiagnostic(d!)).toMatch(new RegExp(`^${FILE}:${line}:\\d+: /nodes/end/body/fr: "<b>" is raw HTML`));
  });

  it("in a title or label, which are not markdown, says to remove the tag", () => {
    const value = mutateCase((c) => {
      c.title.en = "Hostile <b>markup</b> case";
      c.nodes.q2.choices[1].label.fr = "Ignorer <i>tout</i>";
    });
    expect(errorAt(value, "/title/en").message).toBe(
      '"<b>" is raw HTML, which is not allowed in text: this text is shown as written, not as markdown: remove <b> and keep the words',
    );
    expect(errorAt(value, "/nodes/q2/choices/1/label/fr").message).toMatch(/remove <i> and keep the words$/);
  });

  it("leaves less-than signs, code spans and escapes valid", () => {
    const value = mutateCase((c) => {
      c.nodes.context.body.en = "If a < b and x <= 3, see <3 or 2<5: less than <10 clients.\n\nWrite `<b>` or \\<b>.";
      c.nodes.q1.prompt.fr = "```\n<script>x</script>\n```";
      c.nodes.end.body.en = "Read <https://example.org/policy>.";
    });
    expect(check(value).diagnostics).toEqual([]);
  });

  it("is an error in a catalog's title and item text", () => {
    const result = validateCatalog({
      file: "cases/standards/coto-boundaries.json",
      value: mutateCatalog((c) => {
        c.items[1].text.en = "Keep <b>professional</b> boundaries.";
        c.items[0].items[1].title.fr = "Conserver <script>x</script>";
      }),
    });
    expect(result.catalog).toBeUndefined();
    expect(result.diagnostics.map((d) => [d.path, d.message])).toEqual([
      ["/items/0/items/1/title/fr", expect.stringMatching(/^"<script>" is raw HTML.*scripts never run/)],
      ["/items/1/text/en", expect.stringMatching(/^"<b>" is raw HTML.*remove <b> and keep the words$/)],
    ]);
  });
});

describe("catalog url", () => {
  const url = (value: string) =>
    validateCatalog({ file: "cases/standards/coto-boundaries.json", value: mutateCatalog((c) => (c.url = value)) });

  it("must be an https address", () => {
    for (const refused of ["javascript:alert(1)", "http://www.coto.org/standards", "data:text/html,<b>x</b>"]) {
      const result = url(refused);
      expect(result.catalog, refused).toBeUndefined();
      expect(result.diagnostics, refused).toEqual([
        expect.objectContaining({
          path: "/url",
          message: 'url must be an https:// address, e.g. "https://www.example.org/standards"',
        }),
      ]);
    }
    expect(url("https://www.coto.org/standards").diagnostics).toEqual([]);
  });
});
