import fs from "node:fs";
import path from "node:path";
import { strToU8, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { convertCase, CONVERT_LIMITS, type Converted, type ConvertOptions } from ".";
import { caseGraph, findCycles } from "../graph";
import { caseFileSchema } from "../schema";

/** The fixture's files (h5p.json, content/content.json) as written, to change per test. */
const files = (): Record<string, any> =>
  JSON.parse(fs.readFileSync(path.join(import.meta.dirname, "fixtures/branching-scenario.h5p.json"), "utf8"));

/** An .h5p package: a zip of the given JSON files (and any raw extra entries). */
function h5pPackage(json: Record<string, unknown>, extra: Record<string, Uint8Array> = {}): Uint8Array {
  return zipSync({
    ...Object.fromEntries(Object.entries(json).map(([name, value]) => [name, strToU8(JSON.stringify(value))])),
    ...extra,
  });
}

function convert(json = files(), options: ConvertOptions = {}): Converted {
  const result = convertCase({ name: "scenario.h5p", bytes: h5pPackage(json) }, options);
  if (!result.ok) throw new Error(`${result.code}: ${result.message}`);
  return result.value;
}

const caseOf = (converted: Converted) => JSON.parse(converted.source) as Record<string, any>;
const messages = (converted: Converted, kind: string) =>
  converted.warnings.filter((w) => w.kind === kind).map((w) => `${w.where}: ${w.message}`);

describe("H5P Branching Scenario: the package", () => {
  it("reads the title, summary and language from the metadata and the start screen", () => {
    const value = caseOf(convert());
    expect(value).toMatchObject({
      slug: "limites-a-la-clinique",
      locales: ["fr"],
      title: { fr: "Limites à la clinique" },
      summary: { fr: "Un cas sur les **limites** professionnelles." },
      start: "contexte",
    });
    // "und" falls back to the locale option; a language Vignette lacks too, with a warning.
    const json = files();
    json["h5p.json"].language = "und";
    expect(caseOf(convert(json, { locale: "en" })).locales).toEqual(["en"]);
    json["h5p.json"].language = "de";
    const german = convert(json);
    expect(caseOf(german).locales).toEqual(["en"]);
    expect(messages(german, "unsupported")[0]).toContain('the package\'s language is "de"');
  });

  it("adds the locales asked for, leaving their texts to write", () => {
    const converted = convert(files(), { locales: ["en", "fr"], regulator: "demo" });
    expect(caseOf(converted).locales).toEqual(["fr", "en"]);
    expect(converted.diagnostics.filter((d) => d.message.startsWith('missing the "en" text')).length).toBeGreaterThan(
      20,
    );
    expect(messages(converted, "to-fill")[0]).toBe(
      '/locales: the texts were read as "fr"; write the "en" text of each (validation lists every one)',
    );
  });

  it("reports the licence and authors it does not carry over", () => {
    expect(messages(convert(), "unsupported")[0]).toBe(
      "h5p.json /license: the licence (CC BY) and authors (A. Author) are not carried over: credit them in the summary if the licence asks for it",
    );
  });
});

describe("H5P Branching Scenario: content", () => {
  it("makes a decision of each branching question, its alternatives the choices", () => {
    const value = caseOf(convert());
    const question = value.nodes["que-faites-vous-du-cadeau"];
    expect(question.kind).toBe("decision");
    expect(question.prompt).toEqual({ fr: "Que faites-vous du cadeau\u00a0?" });
    expect(question.choices.map((c: any) => [c.id, c.label.fr, c.next])).toEqual([
      ["je-le-refuse-poliment", "Je le refuse poliment", "carte"],
      ["je-l-accepte", "Je l'accepte", "un-cadeau-de-trop"],
      ["j-en-parle-a-ma-gestionnaire", "J'en parle à ma gestionnaire", "rencontre-avec-la-gestionnaire"],
      ["je-fais-semblant-de-ne-rien-voir", "Je fais semblant de ne rien voir", "end"],
    ]);
    // Feedback on an alternative that leads on is the choice's feedback.
    expect(question.choices[0].feedback).toEqual({ fr: "**Bien**\n\nVous préservez la relation professionnelle." });
  });

  it("makes an outcome of each per-alternative end screen, and one of the default end screen", () => {
    const value = caseOf(convert());
    expect(value.nodes["un-cadeau-de-trop"]).toEqual({
      kind: "outcome",
      title: { fr: "Un cadeau de trop" },
      body: { fr: "Accepter crée une attente." },
    });
    expect(value.nodes.end).toEqual({
      kind: "outcome",
      title: { fr: "Fin du cas" },
      body: { fr: "Merci d'avoir joué." },
    });
    // Content whose own feedback ends the scenario: that feedback is its ending.
    expect(value.nodes.conclusion.next).toBe("dossier-complet");
    expect(value.nodes["dossier-complet"].body).toEqual({ fr: "Vous avez tout noté." });
    // A package without end screens still ends at one outcome.
    const json = files();
    json["content/content.json"].branchingScenario.endScreens = [];
    expect(caseOf(convert(json)).nodes.end).toEqual({ kind: "outcome", title: { fr: "Fin" }, body: { fr: "Fin" } });
  });

  it("makes scenes of text (as Markdown), images, videos, course presentations and hotspots", () => {
    const value = caseOf(convert());
    expect(value.nodes.contexte).toEqual({
      kind: "scene",
      title: { fr: "Contexte" },
      body: {
        fr: "## Le contexte\n\nUne cliente vous offre un *cadeau* — une carte-cadeau de 100\u00a0$.\n\n- Elle est reconnaissante\n- Le suivi se termine\n\nVoir [les normes](https://example.org/normes) et ceci.",
      },
      next: "que-faites-vous-du-cadeau",
    });
    expect(value.nodes.carte.body).toEqual({ fr: "La carte rendue à la cliente" });
    expect(value.nodes.resume.body).toEqual({ fr: "Diapositive un.\n\nDiapositive deux." });
    expect(value.nodes["rencontre-avec-la-gestionnaire"]).toMatchObject({ kind: "scene", next: "ensuite" });
    expect(messages(convert(), "media")).toEqual([
      "content.json /branchingScenario/startScreen/startScreenImage: the start screen's image (images/start.jpg, “La clinique”) is not carried over; add it in the studio",
      "content.json /branchingScenario/endScreens/0/endScreenImage: the ending's image (images/end.jpg) is not carried over; add it in the studio",
      "content 1 (content.json /branchingScenario/content/1/type/params/branchingQuestion/alternatives/1/feedback/image): the feedback image (images/gift.jpg) is not carried over; add it in the studio",
      "content 2 (content.json /branchingScenario/content/2): the image (images/card.jpg) is not carried over; add it in the studio, or describe it in the text",
      "content 3 (content.json /branchingScenario/content/3): the interactive video, with the questions and branches inside it, (videos/meeting.mp4) is not carried over; add it in the studio, or describe it in the text",
      "content 5 (content.json /branchingScenario/content/5/type/params/presentation/slides/0/elements/1): the slide element H5P.Image is not carried over (only the slides' texts are)",
      "content 6 (content.json /branchingScenario/content/6): the video (videos/outro.mp4) is not carried over; add it in the studio, or describe it in the text",
      "content 7 (content.json /branchingScenario/content/7): the image with hotspots (images/map.png) is not carried over; add it in the studio, or describe it in the text",
    ]);
  });

  it("breaks a nextContentId that loops back, so the case is acyclic", () => {
    const converted = convert();
    const value = caseOf(converted);
    expect(value.nodes.ensuite.choices[1].next).toBe("back-to-contexte");
    expect(value.nodes["back-to-contexte"].title).toEqual({ fr: "Retour à Contexte" });
    expect(messages(converted, "loop")).toEqual([
      "content 4 (content.json /branchingScenario/content/4/type/params/branchingQuestion/alternatives/1): this goes back to “Contexte”, which makes a loop; a Vignette case must not loop (every path has to end to be scored), so it now ends the case at “Retour à Contexte”: write that ending, or point the link at a later node",
    ]);
    const parsed = caseFileSchema.parse({
      ...value,
      regulator: "demo",
      profession: "ot",
      release: "2026-01",
      credit: { hours: 1, category: "ethics" },
    });
    expect(findCycles(caseGraph(parsed), [parsed.start])).toEqual([]);
  });

  it("reports unreached content, a missing next content and a question with one alternative", () => {
    const json = files();
    const content = json["content/content.json"].branchingScenario.content;
    content[6].nextContentId = 42;
    content[4].type.params.branchingQuestion.alternatives.pop();
    const converted = convert(json);
    const value = caseOf(converted);
    expect(value.nodes.ensuite).toMatchObject({
      kind: "scene",
      body: { fr: "Et ensuite\u00a0?\n\nJe note l'échange au dossier" },
    });
    expect(messages(converted, "structure")).toEqual([
      "content 4 (content.json /branchingScenario/content/4): the question has 1 alternative(s); a decision needs 2, so it is a scene that moves on",
      "content 6 (content.json /branchingScenario/content/6/nextContentId): this links to “42”, which is not in the source; it now ends the case at an ending to write (or point the link at another node)",
      "content 7 (content.json /branchingScenario/content/7): “Plan” is never reached from the start, so it was left out; link to it from another node if it belongs in the case",
    ]);
  });
});

describe("H5P Branching Scenario: scoring and behaviour", () => {
  it("reports every score as scoring to add, where it was", () => {
    expect(messages(convert(), "scoring")).toEqual([
      "content.json /branchingScenario/endScreens/0/endScreenScore: scoring to add: the ending “Fin du cas” scored 5 in H5P; Vignette scores choices, so give the choices that lead here effects on the clauses this ending rewards",
      "content 1 (content.json /branchingScenario/content/1/type/params/branchingQuestion/alternatives/0/feedback/endScreenScore): scoring to add: the choice “Je le refuse poliment” scored 2 in H5P; give it effects on the clauses it rewards or breaches",
      "content 1 (content.json /branchingScenario/content/1/type/params/branchingQuestion/alternatives/1/feedback/endScreenScore): scoring to add: the ending of the choice “Je l'accepte” scored -3 in H5P; give the choice effects on the clauses it rewards or breaches",
      "content 6 (content.json /branchingScenario/content/6/feedback/endScreenScore): scoring to add: the ending of content 6 scored 4 in H5P; give the choice effects on the clauses it rewards or breaches",
      "content.json /branchingScenario/scoringOptionGroup/scoringOption: scoring to add: H5P added up the scores of the alternatives taken; Vignette does the same with effects against standards (see the other scoring warnings)",
      "content.json /branchingScenario/scoringOptionGroup/includeInteractionsScores: scores from quizzes inside the content (e.g. interactive videos) are not carried over",
    ]);
  });

  it("reports behaviour, button texts and per-content settings Vignette does not have", () => {
    const unsupported = messages(convert(), "unsupported");
    expect(unsupported).toEqual(
      expect.arrayContaining([
        "content 0 (content.json /branchingScenario/content/0/proceedButtonText): the button text “Continuer” is not carried over: Vignette's buttons are its own, in each language",
        "content 1 (content.json /branchingScenario/content/1/contentBehaviour): going back is not carried over: a Vignette learner never goes back, each decision counts",
        "content 1 (content.json /branchingScenario/content/1/type/params/behaviour): the question's timer and order settings are not carried over: decisions are not timed, and choices show in the order written",
        "content 2 (content.json /branchingScenario/content/2/forceContentFinished): “require content finished” is not carried over: the learner may always go on",
        "content.json /branchingScenario/behaviour/enableBackwardsNavigation: going back is not carried over: a Vignette learner never goes back, each decision counts",
        "content.json /branchingScenario/behaviour/randomizeBranchingQuestions: random order of alternatives is not carried over: choices show in the order written",
        "content.json /branchingScenario/l10n: the button and label texts (startScreenButtonText) are not carried over: Vignette's are its own, in each language",
      ]),
    );
    expect(messages(convert(), "text")).toEqual([
      'content 0 (content.json /branchingScenario/content/0/type/params/text): link to "javascript:alert(1)" kept as text only (links must be http, https or mailto)',
      "content 1 (content.json /branchingScenario/content/1/type/params/branchingQuestion/alternatives/0/feedback/subtitle): <u> formatting has no Markdown: its words are kept",
    ]);
  });

  it("reports an unknown content type and still makes a scene of it", () => {
    const json = files();
    json["content/content.json"].branchingScenario.content[2].type = {
      library: "H5P.Summary 1.10",
      params: {},
      metadata: { title: "Résumé" },
    };
    const converted = convert(json);
    expect(messages(converted, "unsupported")).toContain(
      "content 2 (content.json /branchingScenario/content/2/type/library): the content type H5P.Summary 1.10 is not carried over; write its text here",
    );
    expect(caseOf(converted).nodes["resume"]).toMatchObject({ kind: "scene", body: { fr: "Résumé" } });
  });
});

describe("H5P Branching Scenario: files that are refused", () => {
  const refuse = (bytes: Uint8Array, name = "x.h5p") => {
    const result = convertCase({ name, bytes });
    if (result.ok) throw new Error("expected a failure");
    return { code: result.code, message: result.message };
  };

  it("says what is wrong with a file that is not a Branching Scenario package", () => {
    expect(refuse(strToU8("not a zip"))).toMatchObject({ code: "not-zip" });
    expect(refuse(zipSync({ "other.txt": strToU8("x") }))).toEqual({
      code: "no-h5p-json",
      message: "the zip has no h5p.json at its top, so it is not an H5P package",
    });
    expect(refuse(h5pPackage({ "h5p.json": { mainLibrary: "H5P.InteractiveVideo" } }))).toEqual({
      code: "not-branching-scenario",
      message:
        'the package is an H5P.InteractiveVideo, not an H5P Branching Scenario (mainLibrary "H5P.BranchingScenario")',
    });
    expect(refuse(h5pPackage({ "h5p.json": { mainLibrary: "H5P.BranchingScenario" } }))).toMatchObject({
      code: "no-content-json",
    });
    expect(refuse(zipSync({ "h5p.json": strToU8("{ broken") }))).toMatchObject({ code: "bad-h5p-json" });
    const noContent = files();
    noContent["content/content.json"] = { branchingScenario: { content: [] } };
    expect(refuse(h5pPackage(noContent))).toMatchObject({ code: "bad-content-json" });
    expect(refuse(new Uint8Array(0))).toMatchObject({ code: "empty" });
    expect(refuse(strToU8("{}"), "case.json")).toMatchObject({ code: "unknown-format" });
  });

  it("refuses a zip bomb before inflating it: too many entries, or a huge declared size", () => {
    const many = Object.fromEntries(
      Array.from({ length: CONVERT_LIMITS.zipEntries + 1 }, (_, i) => [`f${i}`, new Uint8Array(0)]),
    );
    expect(refuse(zipSync(many))).toMatchObject({
      code: "zip-bomb",
      message: expect.stringContaining("more than 5000 files"),
    });
    // 2 GB declared in the central directory for content.json: refused from the header alone.
    const zip = h5pPackage(files());
    const view = new DataView(zip.buffer);
    for (let at = zip.length - 22; at >= 0; at--) {
      if (view.getUint32(at, true) !== 0x02014b50) continue;
      const nameLength = view.getUint16(at + 28, true);
      const name = new TextDecoder().decode(zip.subarray(at + 46, at + 46 + nameLength));
      if (name === "content/content.json") view.setUint32(at + 24, 0x7fffffff, true);
    }
    expect(refuse(zip)).toMatchObject({ code: "zip-bomb" });
    // A large, highly compressible entry that is not read still counts towards the declared total.
    const padding = new Uint8Array(CONVERT_LIMITS.jsonBytes + 1);
    expect(
      refuse(h5pPackage({ ...files(), "content/content.json": {} }, { "content/content.json": padding })),
    ).toMatchObject({
      code: "zip-bomb",
      message: expect.stringContaining("content/content.json unpacks to"),
    });
  });

  it("refuses a file over the size limit", () => {
    expect(refuse(new Uint8Array(CONVERT_LIMITS.inputBytes + 1))).toMatchObject({ code: "too-big" });
  });
});
