import { describe, expect, it } from "vitest";
import { catalogImpact, clauseChanges, type ImpactSource } from "./catalog-impact";
import { baseCase, baseCatalog, mutateCase, mutateCatalog, t } from "./test-fixtures";

const latest = (value: unknown, slug = "social-media-boundaries"): ImpactSource => ({
  slug,
  regulator: "coto",
  ref: { version: 3 },
  value,
});

describe("clauseChanges", () => {
  it("finds nothing between equal catalogs, for a first version or for another catalog's id", () => {
    expect(clauseChanges(baseCatalog(), baseCatalog())).toEqual([]);
    expect(clauseChanges(null, baseCatalog())).toEqual([]);
    const other = mutateCatalog((c) => {
      c.id = "other";
      c.items = [];
    });
    expect(clauseChanges(baseCatalog(), other)).toEqual([]);
  });

  it("ignores the catalog's own label, date and title, added clauses and the order of siblings", () => {
    const proposed = mutateCatalog((c) => {
      c.version = "2026";
      c.effective = "2026-01-01";
      c.title = t("Boundaries, revised");
      c.items[1].items.reverse();
      c.items[1].items.push({ code: "2.3", title: t("Touch") });
    });
    expect(clauseChanges(baseCatalog(), proposed)).toEqual([]);
  });

  it("reports removed, retitled, rewritten and moved clauses, in the current file order", () => {
    const proposed = mutateCatalog((c) => {
      c.items[0].items[0].title.fr = "Documenter (nouveau)"; // 1.1, French only
      c.items[0].items.splice(1, 1); // 1.2 removed
      c.items[1].text = t("Keep clear professional boundaries."); // 2
      const [gifts] = c.items[1].items.splice(1, 1); // 2.2 moved under 1
      c.items[0].items.push(gifts);
    });
    expect(clauseChanges(baseCatalog(), proposed)).toEqual([
      {
        key: "coto-boundaries:1.1",
        code: "1.1",
        kinds: ["title"],
        oldTitle: t("Document"),
        newTitle: { en: "Document", fr: "Documenter (nouveau)" },
        titleIn: ["fr"],
      },
      { key: "coto-boundaries:1.2", code: "1.2", kinds: ["removed"], oldTitle: t("Retain"), newTitle: null },
      {
        key: "coto-boundaries:2",
        code: "2",
        kinds: ["text"],
        oldTitle: t("Relationships"),
        newTitle: t("Relationships"),
        textIn: ["en", "fr"],
      },
      {
        key: "coto-boundaries:2.2",
        code: "2.2",
        kinds: ["moved"],
        oldTitle: t("Gifts"),
        newTitle: t("Gifts"),
        moved: { from: "2", to: "1" },
      },
    ]);
  });

  it("says a removed clause was probably renamed when exactly one added clause has its title", () => {
    const renamed = mutateCatalog((c) => {
      c.items[1].items[0].code = "2.1a";
    });
    expect(clauseChanges(baseCatalog(), renamed)).toEqual([
      {
        key: "coto-boundaries:2.1",
        code: "2.1",
        kinds: ["removed"],
        oldTitle: t("Social media"),
        newTitle: null,
        renamedTo: "2.1a",
      },
    ]);
    const twice = mutateCatalog((c) => {
      c.items[1].items[0].code = "2.1a";
      c.items[1].items.push({ code: "2.1b", title: t("Social media") });
    });
    expect(clauseChanges(baseCatalog(), twice)[0]).not.toHaveProperty("renamedTo");
    // A title changed in one locale is not "the same title".
    const retitled = mutateCatalog((c) => {
      c.items[1].items[0].code = "2.1a";
      c.items[1].items[0].title.fr = "Médias sociaux";
    });
    expect(clauseChanges(baseCatalog(), retitled)[0]).not.toHaveProperty("renamedTo");
  });

  it("counts a text added to or taken from a clause as a change", () => {
    const added = mutateCatalog((c) => {
      c.items[0].items[0].text = { en: "Write it down." };
    });
    expect(clauseChanges(baseCatalog(), added).map((c) => [c.code, c.kinds])).toEqual([["1.1", ["text"]]]);
    const taken = mutateCatalog((c) => {
      delete c.items[1].text;
    });
    expect(clauseChanges(baseCatalog(), taken).map((c) => [c.code, c.kinds])).toEqual([["2", ["text"]]]);
  });
});

describe("catalogImpact", () => {
  const removeRetain = mutateCatalog((c) => {
    c.items[0].items.splice(1, 1);
    c.items[1].items[0].title.en = "Social media and messaging";
  });

  it("lists every choice that scores a changed clause, with its label, points and the change", () => {
    const impact = catalogImpact(baseCatalog(), removeRetain, [latest(baseCase())]);
    expect(impact.changes.map((c) => c.code)).toEqual(["1.2", "2.1"]);
    expect(impact.cases).toHaveLength(1);
    const [only] = impact.cases;
    expect(only).toMatchObject({ slug: "social-media-boundaries", regulator: "coto", ref: { version: 3 } });
    expect(
      only!.choices.map((c) => [c.nodeId, c.choiceId, c.label.en, c.points, c.change.code, c.change.kinds]),
    ).toEqual([
      ["q1", "decline", "Decline", 2, "2.1", ["title"]],
      ["q1", "ask", "Ask a colleague", 1, "2.1", ["title"]],
      ["q1", "accept", "Accept", -2, "2.1", ["title"]],
      ["q2", "ignore", "Ignore", -1, "1.2", ["removed"]],
    ]);
    expect(only!.choices[0]!.change.newTitle).toEqual({ en: "Social media and messaging", fr: "Social media (fr)" });
  });

  it("sums a choice's effects on one clause and lists each changed clause a choice scores", () => {
    const value = mutateCase((c) => {
      c.nodes.q2.choices[1].effects = [
        { standard: "coto-boundaries:1.2", points: -1 },
        { standard: "coto-boundaries:1.2", points: -2 },
        { standard: "coto-boundaries:2.1", points: 1 },
        { standard: "coto-boundaries:1.1", points: 1 },
      ];
    });
    const [only] = catalogImpact(baseCatalog(), removeRetain, [latest(value)]).cases;
    expect(only!.choices.filter((c) => c.nodeId === "q2").map((c) => [c.change.code, c.points])).toEqual([
      ["1.2", -3],
      ["2.1", 1],
    ]);
  });

  it("leaves out cases that score no changed clause, and lists nothing when no clause changed", () => {
    const untouched = mutateCase((c) => {
      c.nodes.q1.choices.forEach((choice: any) => (choice.effects = []));
      c.nodes.q2.choices[1].effects = [];
    });
    expect(catalogImpact(baseCatalog(), removeRetain, [latest(untouched)]).cases).toEqual([]);
    expect(catalogImpact(baseCatalog(), baseCatalog(), [latest(baseCase())])).toEqual({ changes: [], cases: [] });
    // Another catalog's clause of the same code is another clause.
    const elsewhere = mutateCase((c) => {
      c.nodes.q2.choices[1].effects = [{ standard: "other-catalog:1.2", points: -1 }];
      c.nodes.q1.choices.forEach((choice: any) => (choice.effects = []));
    });
    expect(catalogImpact(baseCatalog(), removeRetain, [latest(elsewhere)]).cases).toEqual([]);
  });

  it("reads a half-written draft without throwing, and keeps the sources' order", () => {
    const draft: ImpactSource = {
      slug: "",
      regulator: "coto",
      ref: { draftId: "d1" },
      value: {
        nodes: {
          broken: "not a node",
          q9: {
            choices: [
              null,
              { id: 7, label: "plain", effects: [{ standard: "coto-boundaries:1.2" }, 3] },
              { id: "ok", label: { en: "Fine", de: "Gut" }, effects: [{ standard: "coto-boundaries:1.2", points: 2 }] },
            ],
          },
        },
      },
    };
    const impact = catalogImpact(baseCatalog(), removeRetain, [
      { slug: "x", regulator: "coto", ref: { draftId: "d0" }, value: "[" },
      draft,
      latest(baseCase()),
    ]);
    expect(impact.cases.map((c) => c.ref)).toEqual([{ draftId: "d1" }, { version: 3 }]);
    expect(impact.cases[0]!.choices.map((c) => [c.choiceId, c.label, c.points])).toEqual([
      ["", {}, 0],
      ["ok", { en: "Fine" }, 2],
    ]);
  });
});
