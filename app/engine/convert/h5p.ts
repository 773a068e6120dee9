/**
 * H5P Branching Scenario (.h5p: a zip with h5p.json and content/content.json) to a story graph.
 * Fields follow the library's semantics.json (H5P.BranchingScenario 1.10, H5P.BranchingQuestion
 * 1.0): every one is carried over or warned about, with the content index and the JSON pointer.
 *
 * Only the two JSON entries are inflated, each bounded by its declared size (fflate writes into a
 * buffer of that size), and the zip's entry count and declared total are bounded first, so a zip
 * bomb is refused before anything large is allocated.
 */
import { unzipSync } from "fflate";
import { SUPPORTED_LOCALES, type Locale } from "../schema";
import { isRecord } from "../validate";
import { generated, type Story, type StoryChoice, type StoryNode } from "./build";
import { htmlToMarkdown, htmlToPlain } from "./markdown";
import {
  CONVERT_LIMITS,
  failConvert,
  type ConvertFailure,
  type ConvertOptions,
  type ConvertWarning,
  type ConvertWarningKind,
} from "./types";

const H5P_JSON = "h5p.json";
const CONTENT_JSON = "content/content.json";

class ZipLimit extends Error {
  constructor(readonly failure: ConvertFailure) {
    super(failure.message);
  }
}

export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 3 || bytes[2] === 5);
}

function readJsonEntry(
  files: Record<string, Uint8Array>,
  path: string,
  code: "bad-h5p-json" | "bad-content-json",
): { ok: true; value: unknown } | ConvertFailure {
  try {
    const text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(files[path]);
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return failConvert(
      code,
      `${path} is not valid JSON (${(error as Error).message}); export the package again from H5P`,
    );
  }
}

/** The two JSON files of a package, or why they cannot be read. */
export function readH5pPackage(bytes: Uint8Array): { ok: true; h5p: unknown; content: unknown } | ConvertFailure {
  if (!isZip(bytes)) return failConvert("not-zip", "the file is not a zip archive, so it is not an .h5p package");
  let entries = 0;
  let declared = 0;
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, {
      filter: (file) => {
        entries++;
        declared += file.originalSize;
        if (entries > CONVERT_LIMITS.zipEntries) {
          throw new ZipLimit(
            failConvert("zip-bomb", `the package holds more than ${CONVERT_LIMITS.zipEntries} files; it is refused`),
          );
        }
        if (declared > CONVERT_LIMITS.zipTotalBytes) {
          throw new ZipLimit(
            failConvert(
              "zip-bomb",
              `the package unpacks to more than ${CONVERT_LIMITS.zipTotalBytes / 1024 / 1024} MB; it is refused`,
            ),
          );
        }
        const wanted = file.name === H5P_JSON || file.name === CONTENT_JSON;
        if (wanted && file.originalSize > CONVERT_LIMITS.jsonBytes) {
          throw new ZipLimit(
            failConvert(
              "zip-bomb",
              `${file.name} unpacks to ${file.originalSize.toLocaleString("en")} bytes; the limit is ${CONVERT_LIMITS.jsonBytes.toLocaleString("en")}`,
            ),
          );
        }
        return wanted;
      },
    });
  } catch (error) {
    if (error instanceof ZipLimit) return error.failure;
    return failConvert("not-zip", `the zip archive cannot be read (${(error as Error).message})`);
  }
  if (!files[H5P_JSON]) {
    return failConvert("no-h5p-json", "the zip has no h5p.json at its top, so it is not an H5P package");
  }
  const h5p = readJsonEntry(files, H5P_JSON, "bad-h5p-json");
  if (!h5p.ok) return h5p;
  const main = isRecord(h5p.value) ? h5p.value.mainLibrary : undefined;
  if (main !== "H5P.BranchingScenario") {
    return failConvert(
      "not-branching-scenario",
      `the package is ${typeof main === "string" ? `an ${main}` : "of no main library"}, not an H5P Branching Scenario (mainLibrary "H5P.BranchingScenario")`,
    );
  }
  if (!files[CONTENT_JSON]) {
    return failConvert("no-content-json", "the package has no content/content.json; export it again from H5P");
  }
  const content = readJsonEntry(files, CONTENT_JSON, "bad-content-json");
  if (!content.ok) return content;
  return { ok: true, h5p: h5p.value, content: content.value };
}

const str = (value: unknown): string => (typeof value === "string" ? value : "");
const rec = (value: unknown): Record<string, unknown> => (isRecord(value) ? value : {});
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

const DEFAULT_L10N: Record<string, string> = {
  startScreenButtonText: "Start the course",
  endScreenButtonText: "Restart the course",
  backButtonText: "Back",
  proceedButtonText: "Proceed",
  disableProceedButtonText: "Require to complete the current module",
  replayButtonText: "Replay the video",
  scoreText: "Your score:",
  fullscreenAria: "Fullscreen",
};

/** A package's language as a case locale: "fr-CA" is "fr"; "und" or another language falls back. */
function localeOf(h5p: Record<string, unknown>, options: ConvertOptions, warn: (m: string) => void): Locale {
  const fallback = options.locale ?? "en";
  const language = str(h5p.language) || str(h5p.defaultLanguage);
  if (!language || language === "und") return fallback;
  const primary = language.toLowerCase().split(/[-_]/)[0]!;
  if ((SUPPORTED_LOCALES as readonly string[]).includes(primary)) return primary as Locale;
  warn(
    `the package's language is "${language}", which Vignette does not offer (${SUPPORTED_LOCALES.join(", ")}); its texts are read as "${fallback}"`,
  );
  return fallback;
}

/** An H5P Branching Scenario's content.json (and h5p.json) as a story graph. */
export function h5pStory(h5pValue: unknown, contentValue: unknown, options: ConvertOptions): Story | ConvertFailure {
  const h5p = rec(h5pValue);
  const warnings: ConvertWarning[] = [];
  const once = new Set<string>();
  const warn = (kind: ConvertWarningKind, where: string, message: string, key?: string) => {
    if (key !== undefined) {
      if (once.has(key)) return;
      once.add(key);
    }
    warnings.push({ kind, where, message });
  };
  const at = (pointer: string) => `content.json ${pointer}`;
  const atContent = (i: number, rest = "") => `content ${i} (content.json /branchingScenario/content/${i}${rest})`;

  if (!isRecord(contentValue) || !isRecord(contentValue.branchingScenario)) {
    return failConvert(
      "bad-content-json",
      "content/content.json has no branchingScenario object; export it again from H5P",
    );
  }
  const bs = contentValue.branchingScenario;
  const content = list(bs.content);
  if (content.length === 0) {
    return failConvert(
      "bad-content-json",
      "the branching scenario has no content (content.json /branchingScenario/content)",
    );
  }
  if (content.length > CONVERT_LIMITS.items) {
    return failConvert(
      "too-big",
      `the scenario has ${content.length} content items; the limit is ${CONVERT_LIMITS.items}`,
    );
  }

  const locale = localeOf(h5p, options, (m) => warn("unsupported", "h5p.json /language", m));
  const markdown = (html: unknown, where: string) =>
    htmlToMarkdown(str(html), (lost) => warn(lost.startsWith("media") ? "media" : "text", where, `${lost}`));
  const plain = (html: unknown, where: string) =>
    htmlToPlain(str(html), (lost) => warn(lost.startsWith("media") ? "media" : "text", where, lost));

  // h5p.json: title and language are used; the rest is about the package, not the story.
  const authors = list(h5p.authors)
    .map((a) => str(rec(a).name))
    .filter(Boolean);
  const license = str(h5p.license);
  if (authors.length > 0 || (license && license !== "U")) {
    warn(
      "unsupported",
      "h5p.json /license",
      `the licence (${license || "none"})${authors.length ? ` and authors (${authors.join(", ")})` : ""} are not carried over: credit them in the summary if the licence asks for it`,
    );
  }

  const start = rec(bs.startScreen);
  const title =
    plain(bs.title, at("/branchingScenario/title")) ||
    plain(start.startScreenTitle, at("/branchingScenario/startScreen/startScreenTitle")) ||
    plain(h5p.title, "h5p.json /title") ||
    "Imported scenario";
  const subtitle = markdown(start.startScreenSubtitle, at("/branchingScenario/startScreen/startScreenSubtitle"));
  const startTitle = plain(start.startScreenTitle, at("/branchingScenario/startScreen/startScreenTitle"));
  const summary = subtitle || (startTitle && startTitle !== title ? startTitle : undefined);
  if (isRecord(start.startScreenImage)) {
    warn(
      "media",
      at("/branchingScenario/startScreen/startScreenImage"),
      `the start screen's image (${str(start.startScreenImage.path)}${str(start.startScreenAltText) ? `, “${str(start.startScreenAltText)}”` : ""}) is not carried over; add it in the studio`,
    );
  }

  const nodes = new Map<string, StoryNode>();
  const add = (node: StoryNode) => nodes.set(node.key, node);

  // End screens: -1 is the default end; others (older packages) by their negative contentId.
  const endKeys = new Map<number, string>();
  list(bs.endScreens).forEach((raw, k) => {
    const screen = rec(raw);
    const pointer = `/branchingScenario/endScreens/${k}`;
    const id = typeof screen.contentId === "number" ? screen.contentId : -1;
    if (endKeys.has(id)) return;
    const endTitle = plain(screen.endScreenTitle, at(`${pointer}/endScreenTitle`)) || generated(locale).theEnd;
    const key = `end:${id}`;
    endKeys.set(id, key);
    add({
      kind: "outcome",
      key,
      name: id === -1 ? "end" : `end-${-id}`,
      where: at(pointer),
      title: endTitle,
      body: markdown(screen.endScreenSubtitle, at(`${pointer}/endScreenSubtitle`)) || endTitle,
    });
    if (isRecord(screen.endScreenImage)) {
      warn(
        "media",
        at(`${pointer}/endScreenImage`),
        `the ending's image (${str(screen.endScreenImage.path)}) is not carried over; add it in the studio`,
      );
    }
    if (typeof screen.endScreenScore === "number" && screen.endScreenScore !== 0) {
      warn(
        "scoring",
        at(`${pointer}/endScreenScore`),
        `scoring to add: the ending “${endTitle}” scored ${screen.endScreenScore} in H5P; Vignette scores choices, so give the choices that lead here effects on the clauses this ending rewards`,
      );
    }
  });
  const defaultEnd = () => {
    if (!endKeys.has(-1)) {
      endKeys.set(-1, "end:-1");
      const theEnd = generated(locale).theEnd;
      add({
        kind: "outcome",
        key: "end:-1",
        name: "end",
        where: at("/branchingScenario/endScreens"),
        title: theEnd,
        body: theEnd,
      });
    }
    return endKeys.get(-1)!;
  };

  /** Where `nextContentId` leads; a negative id with feedback is that feedback's own ending. */
  const target = (
    next: unknown,
    feedback: Record<string, unknown>,
    key: string,
    whereAt: (suffix?: string) => string,
  ): string => {
    const where = whereAt();
    let id = typeof next === "number" ? next : typeof next === "string" && next.trim() !== "" ? Number(next) : -1;
    if (!Number.isInteger(id)) {
      warn(
        "structure",
        where,
        `nextContentId ${JSON.stringify(next)} is not a content number; it now goes to the default end`,
      );
      id = -1;
    }
    if (id >= 0) return `content:${id}`;
    const feedbackTitle = plain(feedback.title, whereAt("/feedback/title"));
    const feedbackText = markdown(feedback.subtitle, whereAt("/feedback/subtitle"));
    if (feedbackTitle || feedbackText) {
      add({
        kind: "outcome",
        key,
        name: feedbackTitle || "end",
        where,
        title: feedbackTitle || generated(locale).theEnd,
        body: feedbackText || feedbackTitle,
      });
      return key;
    }
    if (id === -1) return defaultEnd();
    const end = endKeys.get(id);
    if (end) return end;
    warn("structure", where, `nextContentId ${id} names no end screen; it now goes to the default end`);
    return defaultEnd();
  };

  /** Feedback and score of a path (an alternative, or a content item) once it is taken. */
  const pathExtras = (
    feedback: Record<string, unknown>,
    whereAt: (suffix?: string) => string,
    leadsOn: boolean,
    what: string,
  ) => {
    if (isRecord(feedback.image)) {
      warn(
        "media",
        whereAt("/feedback/image"),
        `the feedback image (${str(feedback.image.path)}) is not carried over; add it in the studio`,
      );
    }
    if (typeof feedback.endScreenScore === "number" && feedback.endScreenScore !== 0) {
      warn(
        "scoring",
        whereAt("/feedback/endScreenScore"),
        leadsOn
          ? `scoring to add: ${what} scored ${feedback.endScreenScore} in H5P; give it effects on the clauses it rewards or breaches`
          : `scoring to add: the ending of ${what} scored ${feedback.endScreenScore} in H5P; give the choice effects on the clauses it rewards or breaches`,
      );
    }
  };

  content.forEach((raw, i) => {
    const item = rec(raw);
    const type = rec(item.type);
    const library = str(type.library);
    const machine = library.split(" ")[0] ?? "";
    const params = rec(type.params);
    const metaTitle = str(rec(type.metadata).title).trim();
    const where = atContent(i);
    const key = `content:${i}`;
    const shownTitle = item.showContentTitle === true && metaTitle ? metaTitle : undefined;
    const named = (fallback: string) => (metaTitle && !/^Untitled\b/i.test(metaTitle) ? metaTitle : fallback);

    if (str(item.proceedButtonText) && str(item.proceedButtonText) !== DEFAULT_L10N.proceedButtonText) {
      warn(
        "unsupported",
        atContent(i, "/proceedButtonText"),
        `the button text “${str(item.proceedButtonText)}” is not carried over: Vignette's buttons are its own, in each language`,
      );
    }
    if (item.forceContentFinished === "enabled") {
      warn(
        "unsupported",
        atContent(i, "/forceContentFinished"),
        "“require content finished” is not carried over: the learner may always go on",
      );
    }
    if (item.contentBehaviour === "enabled") {
      warn(
        "unsupported",
        atContent(i, "/contentBehaviour"),
        "going back is not carried over: a Vignette learner never goes back, each decision counts",
      );
    }

    if (machine === "H5P.BranchingQuestion") {
      const question = rec(params.branchingQuestion);
      const pointer = "/type/params/branchingQuestion";
      const prompt = markdown(question.question, atContent(i, `${pointer}/question`));
      if (params.behaviour !== undefined || question.randomize === true) {
        warn(
          "unsupported",
          atContent(i, "/type/params/behaviour"),
          "the question's timer and order settings are not carried over: decisions are not timed, and choices show in the order written",
          "bq-behaviour",
        );
      }
      const choices: StoryChoice[] = list(question.alternatives).map((rawAlt, j) => {
        const alt = rec(rawAlt);
        const altAt = (suffix = "") => atContent(i, `${pointer}/alternatives/${j}${suffix}`);
        const altWhere = altAt();
        const feedback = rec(alt.feedback);
        const label = plain(alt.text, altAt("/text")) || `${generated(locale).alternative} ${j + 1}`;
        const next = target(alt.nextContentId, feedback, `feedback:${i}:${j}`, altAt);
        const leadsOn = next.startsWith("content:");
        pathExtras(feedback, altAt, leadsOn, `the choice “${label}”`);
        let text: string | undefined;
        if (leadsOn) {
          const fbTitle = plain(feedback.title, altAt("/feedback/title"));
          const fbText = markdown(feedback.subtitle, altAt("/feedback/subtitle"));
          text =
            [fbTitle ? `**${fbTitle.replace(/[\\*_`[\]]/g, (c) => `\\${c}`)}**` : "", fbText]
              .filter(Boolean)
              .join("\n\n") || undefined;
        }
        return { label, next, where: altWhere, ...(text ? { feedback: text } : {}) };
      });
      if (choices.length >= 2) {
        add({
          kind: "decision",
          key,
          name: named(htmlToPlain(str(question.question)).slice(0, 40) || `question-${i}`),
          where,
          prompt,
          choices,
          ...(shownTitle ? { title: shownTitle } : {}),
        });
      } else {
        warn(
          "structure",
          where,
          `the question has ${choices.length} alternative(s); a decision needs 2, so it is a scene that moves on`,
        );
        const only = choices[0];
        add({
          kind: "scene",
          key,
          name: named(`question-${i}`),
          where,
          body: [prompt, only?.label].filter(Boolean).join("\n\n"),
          next: only?.next ?? defaultEnd(),
          nextWhere: only?.where ?? where,
          ...(shownTitle ? { title: shownTitle } : {}),
        });
      }
      return;
    }

    // Everything else is something to read or watch, then go on: a scene.
    let body = "";
    const media = (what: string, path?: string) =>
      warn(
        "media",
        where,
        `${what}${path ? ` (${path})` : ""} is not carried over; add it in the studio, or describe it in the text`,
      );
    switch (machine) {
      case "H5P.AdvancedText":
      case "H5P.Text":
        body = markdown(params.text, atContent(i, "/type/params/text"));
        break;
      case "H5P.Image":
        media("the image", str(rec(params.file).path));
        body =
          plain(params.alt, atContent(i, "/type/params/alt")) ||
          plain(params.title, atContent(i, "/type/params/title"));
        break;
      case "H5P.Video":
        media("the video", str(rec(list(params.sources)[0]).path));
        break;
      case "H5P.InteractiveVideo":
        media(
          "the interactive video, with the questions and branches inside it,",
          str(rec(list(rec(rec(params.interactiveVideo).video).files)[0]).path),
        );
        break;
      case "H5P.CoursePresentation": {
        const slides = list(rec(params.presentation).slides);
        const parts: string[] = [];
        slides.forEach((slide, s) => {
          list(rec(slide).elements).forEach((element, e) => {
            const action = rec(rec(element).action);
            const lib = str(action.library).split(" ")[0];
            const elementWhere = atContent(i, `/type/params/presentation/slides/${s}/elements/${e}`);
            if (lib === "H5P.AdvancedText" || lib === "H5P.Text") {
              const text = markdown(rec(action.params).text, elementWhere);
              if (text) parts.push(text);
            } else if (lib) {
              warn("media", elementWhere, `the slide element ${lib} is not carried over (only the slides' texts are)`);
            }
          });
        });
        body = parts.join("\n\n");
        break;
      }
      case "H5P.ImageHotspots": {
        media("the image with hotspots", str(rec(params.image).path));
        const parts: string[] = [];
        list(params.hotspots).forEach((spot, h) => {
          const header = plain(rec(spot).header, atContent(i, `/type/params/hotspots/${h}/header`));
          const texts = list(rec(spot).content)
            .map((c, k) => {
              const lib = str(rec(c).library).split(" ")[0];
              return lib === "H5P.Text" || lib === "H5P.AdvancedText"
                ? markdown(rec(rec(c).params).text, atContent(i, `/type/params/hotspots/${h}/content/${k}`))
                : "";
            })
            .filter(Boolean);
          if (header || texts.length)
            parts.push([header ? `**${header}**` : "", ...texts].filter(Boolean).join("\n\n"));
        });
        body = parts.join("\n\n");
        break;
      }
      default:
        warn(
          "unsupported",
          atContent(i, "/type/library"),
          `the content type ${library || "(none)"} is not carried over; write its text here`,
        );
    }
    const feedback = rec(item.feedback);
    const itemAt = (suffix = "") => atContent(i, suffix);
    const next = target(item.nextContentId, feedback, `feedback:${i}`, itemAt);
    const leadsOn = next.startsWith("content:");
    pathExtras(feedback, itemAt, leadsOn, `content ${i}`);
    if (leadsOn && (str(feedback.title) || str(feedback.subtitle))) {
      warn(
        "unsupported",
        atContent(i, "/feedback"),
        "feedback on content that leads on is not carried over (Vignette shows feedback after choices)",
      );
    }
    add({
      kind: "scene",
      key,
      name: named(body ? htmlToPlain(body).slice(0, 40) : `content-${i}`),
      where,
      body: body || metaTitle,
      next,
      nextWhere: atContent(i, "/nextContentId"),
      ...(shownTitle ? { title: shownTitle } : {}),
    });
  });

  // Scenario-wide settings.
  const scoring = rec(bs.scoringOptionGroup);
  if (scoring.scoringOption === "static-end-score") {
    warn(
      "scoring",
      at("/branchingScenario/scoringOptionGroup/scoringOption"),
      "scoring to add: H5P gave each ending a fixed score; Vignette scores the choices against standards (see the other scoring warnings)",
    );
  } else if (scoring.scoringOption === "dynamic-score") {
    warn(
      "scoring",
      at("/branchingScenario/scoringOptionGroup/scoringOption"),
      "scoring to add: H5P added up the scores of the alternatives taken; Vignette does the same with effects against standards (see the other scoring warnings)",
    );
    if (scoring.includeInteractionsScores !== false) {
      warn(
        "scoring",
        at("/branchingScenario/scoringOptionGroup/includeInteractionsScores"),
        "scores from quizzes inside the content (e.g. interactive videos) are not carried over",
      );
    }
  }
  const behaviour = rec(bs.behaviour);
  if (behaviour.enableBackwardsNavigation === true) {
    warn(
      "unsupported",
      at("/branchingScenario/behaviour/enableBackwardsNavigation"),
      "going back is not carried over: a Vignette learner never goes back, each decision counts",
    );
  }
  if (behaviour.forceContentFinished === true) {
    warn(
      "unsupported",
      at("/branchingScenario/behaviour/forceContentFinished"),
      "“required to watch” is not carried over: the learner may always go on",
    );
  }
  if (behaviour.randomizeBranchingQuestions === true) {
    warn(
      "unsupported",
      at("/branchingScenario/behaviour/randomizeBranchingQuestions"),
      "random order of alternatives is not carried over: choices show in the order written",
    );
  }
  const l10n = rec(bs.l10n);
  const changed = Object.keys(l10n).filter((k) => str(l10n[k]) && str(l10n[k]) !== DEFAULT_L10N[k]);
  if (changed.length > 0) {
    warn(
      "unsupported",
      at("/branchingScenario/l10n"),
      `the button and label texts (${changed.join(", ")}) are not carried over: Vignette's are its own, in each language`,
    );
  }

  return { format: "h5p", title, ...(summary ? { summary } : {}), locale, start: "content:0", nodes, warnings };
}
