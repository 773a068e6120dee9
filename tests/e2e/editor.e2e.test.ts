// The visual case editor in Chromium: an author builds a three-decision bilingual case with an image
// from an empty draft without seeing JSON (one decision with the keyboard alone), previews it, and
// the result validates and scores as the same case written by hand; a second tab's newer save is
// caught instead of overwritten; undo takes an edit back, and a click right after typing is a step of
// its own; a node's kind changes, asked first when something would be removed, and a delete asks with
// the focus on its question. axe checks the editor on the way.
import fs from "node:fs";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { canonicalJson, validateCase, type Catalog } from "~/engine";
import { createDraft, onlyRegulator } from "~/models/studio.server";
import { getDb } from "~/utils/db.server";
import { largeCase } from "../../scripts/bench/graph-case";
import type { TestServer } from "../support/server";
import { audit } from "./support/browser";
import { closeAll, startSignedIn, stopAtFirstFailedStep } from "./support/suite";

const PASSWORD = "correct horse battery staple";
const AUTHOR = { email: "visual-author@staff.test", name: "Valérie Visual", roles: ["author" as const] };
const SLUG = "e2e-visual-case";

let server: TestServer;
let browser: Browser;
let context: BrowserContext;
let errors: string[];
let page: Page;
let draftPath: string;
let imageFile: string;

beforeAll(async () => {
  ({ server, browser, context, errors, page } = await startSignedIn(AUTHOR, {
    password: PASSWORD,
    registrationNumber: "VIS-1",
    landing: "/studio",
  }));
  imageFile = path.join(fs.mkdtempSync("/tmp/vignette-editor-"), "ward.png");
  await sharp({ create: { width: 640, height: 360, channels: 3, background: "#3a6ea5" } })
    .png()
    .toFile(imageFile);
});

afterAll(async () => {
  await closeAll({ contexts: [context], browser, server });
  if (imageFile) fs.rmSync(path.dirname(imageFile), { recursive: true, force: true });
});

/** The text input (or textarea) for one locale of the localized field whose legend starts with `legend`. */
function localized(scope: Page | ReturnType<Page["locator"]>, legend: string, locale: "English" | "French") {
  const owner = "keyboard" in scope ? scope : scope.page();
  return scope
    .locator("fieldset.loc-field")
    .filter({ has: owner.locator(":scope > legend", { hasText: new RegExp(`^${legend}`) }) })
    .first()
    .getByLabel(locale, { exact: true });
}

async function fillBoth(scope: Page | ReturnType<Page["locator"]>, legend: string, en: string, fr: string) {
  await localized(scope, legend, "English").fill(en);
  await localized(scope, legend, "French").fill(fr);
}

const choice = (n: number) => page.locator("fieldset.edit-choice").nth(n);

async function score(n: number, points: number, search: string, expected: string) {
  const c = choice(n);
  await c.getByLabel("Points for the next clause", { exact: true }).fill(String(points));
  const box = c.getByRole("combobox", { name: "Add a clause (search by code or words)" });
  await box.fill(search);
  await c
    .getByRole("option", { name: new RegExp(expected.replace(/[.:]/g, "\\$&")) })
    .first()
    .waitFor();
  await box.press("Enter");
  await c.locator("li.effect", { hasText: expected }).waitFor();
}

/** What has the focus: its label, the legends around it, and its value. */
function focused(p: Page) {
  return p.evaluate(() => {
    const el = document.activeElement as HTMLInputElement | null;
    if (!el) return { label: "", legends: [] as string[], tag: "", value: "" };
    const label = [
      ...(el.labels ? [...el.labels].map((l) => l.textContent ?? "") : []),
      el.getAttribute("aria-label") ?? "",
      el.tagName === "BUTTON" ? (el.textContent ?? "") : "",
    ]
      .join(" ")
      .trim();
    const legends: string[] = [];
    for (let f = el.closest("fieldset"); f; f = f.parentElement?.closest("fieldset") ?? null) {
      legends.push(f.querySelector(":scope > legend")?.textContent ?? "");
    }
    return { label, legends, tag: el.tagName, value: "value" in el ? String(el.value) : "" };
  });
}

/** Presses Tab (or Shift+Tab) until the focus is on what `matches` accepts: the keyboard alone. */
async function tabTo(
  p: Page,
  matches: (f: Awaited<ReturnType<typeof focused>>) => boolean,
  what: string,
  back = false,
): Promise<void> {
  for (let i = 0; i < 120; i++) {
    if (matches(await focused(p))) return;
    await p.keyboard.press(back ? "Shift+Tab" : "Tab");
  }
  throw new Error(`the keyboard never reached ${what}; focus is on ${JSON.stringify(await focused(p))}`);
}

const field = (legend: RegExp, label: string) => (f: Awaited<ReturnType<typeof focused>>) =>
  f.label === label && legend.test(f.legends[0] ?? "");
const button = (name: string) => (f: Awaited<ReturnType<typeof focused>>) => f.tag === "BUTTON" && f.label === name;

/** Picks an option of the focused <select> with the arrow keys. */
async function arrowTo(p: Page, value: string) {
  for (let i = 0; i < 80; i++) {
    if ((await focused(p)).value === value) return;
    await p.keyboard.press("ArrowDown");
  }
  throw new Error(`no option "${value}" reached with the arrow keys`);
}

async function saved(p: Page) {
  await expect.poll(() => p.locator(".save-status").innerText(), { timeout: 20_000 }).toBe("All changes saved.");
}

describe("the visual case editor in Chromium", () => {
  stopAtFirstFailedStep();

  test("builds a three-decision bilingual case with an image from an empty draft", { timeout: 180_000 }, async () => {
    await page.goto(new URL("/studio/drafts/new", server.url).href);
    await page.getByRole("button", { name: "Start from an empty case" }).click();
    await page.waitForURL(/\/studio\/drafts\/\w+\?saved=1$/);
    draftPath = new URL(page.url()).pathname;
    await page.getByRole("tab", { name: "Visual editor", selected: true }).waitFor();
    await page.locator("#settings-heading").waitFor();

    // The case's settings.
    await page.getByLabel("Slug (the case's stable id)", { exact: true }).fill(SLUG);
    await fillBoth(page, "Title", "A video on the ward", "Une vidéo dans le service");
    await fillBoth(page, "Summary", "A colleague films on the ward.", "Une collègue filme dans le service.");
    await page.getByLabel("Profession", { exact: true }).fill("occupational-therapy");
    await page.getByLabel("Credit category", { exact: true }).fill("ethics");
    await page.getByLabel(/\(coto-boundaries\)/).check();
    // A missing translation is flagged as the author types, in words.
    await localized(page, "Title", "French").fill("");
    await page.locator(".loc-flag", { hasText: "Missing in French" }).first().waitFor();
    await localized(page, "Title", "French").fill("Une vidéo dans le service");
    await expect(page.locator(".loc-flag", { hasText: "Missing in French" }).count()).resolves.toBe(0);

    // The opening scene, with an image.
    await page.getByLabel("Kind of the new node", { exact: true }).selectOption("scene");
    await page.getByRole("button", { name: "Add node" }).click();
    await page.locator("#node-heading", { hasText: "Node scene1 (scene)" }).waitFor();
    await fillBoth(page, "Text \\(markdown\\)", "Your colleague films a patient.", "Votre collègue filme un patient.");
    await page.getByLabel("Add an image (PNG, JPEG or WebP)", { exact: true }).setInputFiles(imageFile);
    await page.locator("img.image-preview").waitFor();
    await fillBoth(page, "What the image shows", "A hospital ward", "Un service hospitalier");
    await page.getByRole("button", { name: "New decision" }).click();
    await page.getByRole("button", { name: "Edit q1" }).click();

    // Decision q1, with the mouse.
    await page.locator("#node-heading", { hasText: "Node q1 (decision)" }).waitFor();
    await fillBoth(page, "Question \\(markdown\\)", "What do you do?", "Que faites-vous?");
    await page.getByRole("button", { name: "Add a choice" }).click();
    await page.getByRole("button", { name: "Add a choice" }).click();
    await fillBoth(choice(0), "What the learner picks", "Ask her to stop", "Lui demander d'arrêter");
    await choice(0).getByRole("button", { name: "New decision" }).click();
    await score(0, 2, "2.1", "coto-boundaries:2.1");
    await fillBoth(choice(1), "What the learner picks", "Join in", "Participer");
    await choice(1).getByRole("button", { name: "New outcome" }).click();
    await choice(1).getByLabel("Critical error", { exact: true }).check();
    await score(1, -2, "2.1", "coto-boundaries:2.1");
    await audit(page, "the visual editor on a decision");

    // The outcome q1's second choice made.
    await choice(1).getByRole("button", { name: "Edit end1" }).click();
    await page.locator("#node-heading", { hasText: "Node end1 (outcome)" }).waitFor();
    await fillBoth(page, "Title", "A breach", "Un manquement");
    await fillBoth(page, "Text \\(markdown\\)", "The video was shared.", "La vidéo a été partagée.");

    // Decision q2: found in the node list, scored by searching the clause's words.
    await page.getByLabel("Filter the node list (id or text)", { exact: true }).fill("q2");
    await page.locator(".node-list").getByRole("button", { name: /q2/ }).click();
    await page.locator("#node-heading", { hasText: "Node q2 (decision)" }).waitFor();
    await fillBoth(page, "Question \\(markdown\\)", "She stops. Then?", "Elle arrête. Ensuite?");
    await page.getByRole("button", { name: "Add a choice" }).click();
    await page.getByRole("button", { name: "Add a choice" }).click();
    await fillBoth(choice(0), "What the learner picks", "Report it", "Le signaler");
    await choice(0).getByRole("button", { name: "New decision" }).click();
    await score(0, 1, "power imbalance", "coto-boundaries:2.3");
    await fillBoth(choice(1), "What the learner picks", "Say nothing", "Ne rien dire");
    await choice(1).getByLabel("This choice leads to", { exact: true }).selectOption("q3");
    await score(1, -1, "power imbalance", "coto-boundaries:2.3");

    // Decision q3 with the keyboard alone: reached, written, given two choices and scored.
    await choice(0).getByRole("button", { name: "Edit q3" }).focus();
    await page.keyboard.press("Enter");
    await page.locator("#node-heading", { hasText: "Node q3 (decision)" }).waitFor();
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe("node-heading");
    await tabTo(page, field(/^Question/, "English"), "the question in English");
    await page.keyboard.type("Who do you tell?");
    await page.keyboard.press("Tab");
    await page.keyboard.type("À qui le dites-vous?");
    await tabTo(page, button("Add a choice"), "Add a choice");
    await page.keyboard.press("Enter");
    await page.keyboard.press("Enter");
    await expect(page.locator("fieldset.edit-choice").count()).resolves.toBe(2);
    for (const [n, en, fr, points] of [
      [1, "Your manager", "Votre gestionnaire", 1],
      [2, "Nobody", "Personne", -1],
    ] as const) {
      const inChoice = (label: string, legend: RegExp) => (f: Awaited<ReturnType<typeof focused>>) =>
        f.label === label && legend.test(f.legends[0] ?? "") && (f.legends[1] ?? "").startsWith(`Choice ${n}`);
      await tabTo(page, inChoice("English", /^What the learner picks/), `choice ${n}'s label`, true);
      await page.keyboard.type(en);
      await page.keyboard.press("Tab");
      await page.keyboard.type(fr);
      if (n === 1) {
        const inThisChoice = (f: Awaited<ReturnType<typeof focused>>) => (f.legends[0] ?? "").startsWith("Choice 1");
        await tabTo(page, (f) => button("New outcome")(f) && inThisChoice(f), "choice 1's New outcome");
        await page.keyboard.press("Enter");
      } else {
        await tabTo(page, (f) => f.tag === "SELECT" && f.label === "This choice leads to", `choice ${n}'s link`);
        await arrowTo(page, "end2");
      }
      await tabTo(page, (f) => f.label === "Points for the next clause", `choice ${n}'s points`);
      await page.keyboard.press("ControlOrMeta+a");
      await page.keyboard.type(String(points));
      await page.keyboard.press("Tab");
      await page.keyboard.type("6.1");
      await choice(n - 1)
        .locator("[role=option]", { hasText: "coto-boundaries:6.1" })
        .first()
        .waitFor();
      await page.keyboard.press("Enter");
      await choice(n - 1)
        .locator("li.effect", { hasText: "coto-boundaries:6.1" })
        .waitFor();
      // Back up to the next choice's fields from where the scoring left the focus.
      if (n === 1) await tabTo(page, button("Add a choice"), "Add a choice");
    }

    // The good ending, and the case is complete: no error left, the scoring report is live.
    await page.getByLabel("Filter the node list (id or text)", { exact: true }).fill("");
    await page.locator(".node-list").getByRole("button", { name: /end2/ }).click();
    await fillBoth(page, "Title", "Handled well", "Bien géré");
    await fillBoth(page, "Text \\(markdown\\)", "The boundary holds.", "La limite tient.");
    await expect.poll(() => page.locator(".diag-summary").innerText()).not.toMatch(/✕/);
    await expect(page.locator(".scoring-summary").innerText()).resolves.toContain("Best path: 4 points");
    await saved(page);
    await audit(page, "the visual editor with a complete case");
    expect(errors).toEqual([]);
  });

  test("the case validates and scores as the same case written by hand in JSON", async () => {
    const draft = await getDb().caseDraft.findFirstOrThrow({ where: { slug: SLUG } });
    const value = JSON.parse(draft.source) as { nodes: { scene1: { image: { src: string } } }; release: string };
    const src = value.nodes.scene1.image.src;
    const text = (en: string, fr: string) => ({ en, fr });
    const effect = (code: string, points: number) => [{ standard: `coto-boundaries:${code}`, points }];
    const byHand = {
      format: 1,
      slug: SLUG,
      regulator: "coto",
      locales: ["en", "fr"],
      title: text("A video on the ward", "Une vidéo dans le service"),
      summary: text("A colleague films on the ward.", "Une collègue filme dans le service."),
      profession: "occupational-therapy",
      release: value.release,
      credit: { hours: 0.25, category: "ethics" },
      passMark: 0.7,
      standards: ["coto-boundaries"],
      start: "scene1",
      nodes: {
        scene1: {
          kind: "scene",
          body: text("Your colleague films a patient.", "Votre collègue filme un patient."),
          next: "q1",
          image: { src, alt: text("A hospital ward", "Un service hospitalier") },
        },
        q1: {
          kind: "decision",
          prompt: text("What do you do?", "Que faites-vous?"),
          choices: [
            {
              id: "a",
              label: text("Ask her to stop", "Lui demander d'arrêter"),
              next: "q2",
              effects: effect("2.1", 2),
            },
            {
              id: "b",
              label: text("Join in", "Participer"),
              next: "end1",
              effects: effect("2.1", -2),
              critical: true,
            },
          ],
        },
        end1: {
          kind: "outcome",
          title: text("A breach", "Un manquement"),
          body: text("The video was shared.", "La vidéo a été partagée."),
        },
        q2: {
          kind: "decision",
          prompt: text("She stops. Then?", "Elle arrête. Ensuite?"),
          choices: [
            { id: "a", label: text("Report it", "Le signaler"), next: "q3", effects: effect("2.3", 1) },
            { id: "b", label: text("Say nothing", "Ne rien dire"), next: "q3", effects: effect("2.3", -1) },
          ],
        },
        q3: {
          kind: "decision",
          prompt: text("Who do you tell?", "À qui le dites-vous?"),
          choices: [
            { id: "a", label: text("Your manager", "Votre gestionnaire"), next: "end2", effects: effect("6.1", 1) },
            { id: "b", label: text("Nobody", "Personne"), next: "end2", effects: effect("6.1", -1) },
          ],
        },
        end2: {
          kind: "outcome",
          title: text("Handled well", "Bien géré"),
          body: text("The boundary holds.", "La limite tient."),
        },
      },
    };
    expect(canonicalJson(JSON.parse(draft.source))).toBe(canonicalJson(byHand));
    const catalog = JSON.parse(fs.readFileSync("cases/standards/coto-boundaries.json", "utf8")) as Catalog;
    const catalogs = new Map([[catalog.id, catalog]]);
    const visual = validateCase({ file: `${SLUG}.json`, text: draft.source }, catalogs);
    const written = validateCase({ file: `${SLUG}.json`, text: JSON.stringify(byHand) }, catalogs);
    expect(visual.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(visual.analysis).toEqual(written.analysis);
    expect(visual.analysis?.bestTotal).toBe(4);

    // The studio's own check agrees (the image is stored), and the preview plays it with its image.
    await page.goto(new URL(`${draftPath}/preview`, server.url).href);
    await page.locator("#node-heading").waitFor();
    await expect(page.locator(".studio-heading .badge-invalid").count()).resolves.toBe(0);
    await expect(page.locator(`img[alt="A hospital ward"]`).count()).resolves.toBeGreaterThan(0);
  });

  test(
    "opens an 847-node draft: its map, the node list, one node found and edited, saved",
    { timeout: 120_000 },
    async () => {
      const base = JSON.parse(fs.readFileSync("cases/social-media-boundaries.json", "utf8"));
      const source = `${JSON.stringify(largeCase(base, 847, "e2e-large-visual"), null, 2)}\n`;
      const author = await getDb().user.findUniqueOrThrow({ where: { email: AUTHOR.email } });
      const draft = await createDraft(source, author.id, onlyRegulator("coto"));
      if (!draft.ok) throw new Error(draft.code);
      await page.goto(new URL(`/studio/drafts/${draft.value.id}`, server.url).href);
      await page.locator("#settings-heading").waitFor();
      await expect(page.locator(".visual-nodes [role=status]").innerText()).resolves.toBe("847 of 847 nodes shown");
      await page.locator(".draft-map svg.case-graph").waitFor({ timeout: 60_000 });
      await page.getByLabel("Filter the node list (id or text)", { exact: true }).fill("q100");
      await page
        .locator(".node-list")
        .getByRole("button", { name: /^DECISION q100 —/i })
        .click();
      await page.locator("#node-heading", { hasText: "Node q100 (decision)" }).waitFor();
      await localized(page, "Question \\(markdown\\)", "French").fill("Que faites-vous à l'étape 101, vraiment?");
      await saved(page);
      const stored = await getDb().caseDraft.findUniqueOrThrow({ where: { id: draft.value.id } });
      expect(JSON.parse(stored.source).nodes.q100.prompt.fr).toBe("Que faites-vous à l'étape 101, vraiment?");
      await audit(page, "the visual editor on an 847-node draft");
      expect(errors).toEqual([]);
    },
  );

  test("a newer save from another tab is caught, never overwritten; undo takes an edit back", async () => {
    await page.goto(new URL(draftPath, server.url).href);
    await page.locator("#settings-heading").waitFor();
    const other = await context.newPage();
    await other.goto(new URL(draftPath, server.url).href);
    await other.locator("#settings-heading").waitFor();
    await localized(other, "Summary", "English").fill("Changed in the other tab.");
    await saved(other);

    await localized(page, "Title", "English").fill("Changed here");
    await page
      .locator(".conflict[role=alert]", { hasText: "Valérie Visual saved this draft" })
      .waitFor({ timeout: 20_000 });
    const stored = await getDb().caseDraft.findFirstOrThrow({ where: { slug: SLUG } });
    expect(JSON.parse(stored.source).summary.en).toBe("Changed in the other tab.");
    expect(JSON.parse(stored.source).title.en).toBe("A video on the ward");
    await audit(page, "the visual editor with a conflicting save");

    await page.getByRole("button", { name: "Take their version" }).click();
    await expect(localized(page, "Summary", "English").inputValue()).resolves.toBe("Changed in the other tab.");
    await expect(localized(page, "Title", "English").inputValue()).resolves.toBe("A video on the ward");
    // Their version is taken; mine is one Undo away.
    await page.getByRole("button", { name: "Undo" }).click();
    await expect(localized(page, "Title", "English").inputValue()).resolves.toBe("Changed here");
    await page.getByRole("button", { name: "Redo" }).click();
    await expect(localized(page, "Title", "English").inputValue()).resolves.toBe("A video on the ward");

    // Switching to the source and back loses nothing.
    await localized(page, "Title", "French").fill("Une vidéo au service");
    await page.getByRole("tab", { name: "Source (JSON)" }).click();
    await expect.poll(() => page.locator("textarea#source").inputValue()).toContain('"fr": "Une vidéo au service"');
    await page.getByRole("tab", { name: "Visual editor" }).click();
    await expect(localized(page, "Title", "French").inputValue()).resolves.toBe("Une vidéo au service");
    await saved(page);
    await other.close();
    // The refused autosave is answered 409 Conflict, which Chromium logs as a failed load: expected once.
    const conflicts = errors.filter((e) => /status of 409 \(Conflict\)/.test(e));
    expect(conflicts).toHaveLength(1);
    expect(errors.filter((e) => !conflicts.includes(e))).toEqual([]);
  });
  test("a node's kind changes, keeping its texts and link, after asking when something would go", async () => {
    const before = errors.length;
    const kind = page.getByLabel("New kind", { exact: true });
    await page
      .locator(".node-list")
      .getByRole("button", { name: /scene1/ })
      .click();
    await page.locator("#node-heading", { hasText: "Node scene1 (scene)" }).waitFor();

    // Scene → decision loses nothing: done at once, the text becomes the question, the link a choice.
    await kind.selectOption("decision");
    await page.getByRole("button", { name: "Change the kind" }).click();
    await page.locator("#node-heading", { hasText: "Node scene1 (decision)" }).waitFor();
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe("node-heading");
    await expect(localized(page, "Question \\(markdown\\)", "French").inputValue()).resolves.toBe(
      "Votre collègue filme un patient.",
    );
    await expect(choice(0).getByLabel("This choice leads to", { exact: true }).inputValue()).resolves.toBe("q1");
    await page.locator("img.image-preview").waitFor();

    // A reflection shows no image: asked first, and Cancel keeps it.
    await kind.selectOption("reflection");
    await page.getByRole("button", { name: "Change the kind" }).click();
    const question = page.getByRole("group", { name: /Change the kind of scene1 to “reflection”\?/ });
    await expect(question.innerText()).resolves.toContain("That removes its image (a reflection shows none).");
    // The question takes the focus (the button pressed is gone), and Cancel gives it back.
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("kind-question");
    await audit(page, "the visual editor asking before a change of kind");
    await question.getByRole("button", { name: "Cancel" }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe("Change the kind");
    await page.locator("#node-heading", { hasText: "Node scene1 (decision)" }).waitFor();
    await page.locator("img.image-preview").waitFor();

    // Back to a scene: the empty choice it became held only its link, so nothing is asked.
    await kind.selectOption("scene");
    await page.getByRole("button", { name: "Change the kind" }).click();
    await page.locator("#node-heading", { hasText: "Node scene1 (scene)" }).waitFor();
    await expect(localized(page, "Text \\(markdown\\)", "English").inputValue()).resolves.toBe(
      "Your colleague films a patient.",
    );
    await expect(page.getByLabel("Then go to", { exact: true }).inputValue()).resolves.toBe("q1");

    // A decision with two written choices made an outcome: both named in the question, then gone.
    await page.getByLabel("Filter the node list (id or text)", { exact: true }).fill("q2");
    await page.locator(".node-list").getByRole("button", { name: /q2/ }).click();
    await page.locator("#node-heading", { hasText: "Node q2 (decision)" }).waitFor();
    await kind.selectOption("outcome");
    await page.getByRole("button", { name: "Change the kind" }).click();
    await expect(page.getByRole("group", { name: /to “outcome”/ }).innerText()).resolves.toContain(
      "That removes its 2 choices, with their labels, feedback and scoring.",
    );
    await page
      .getByRole("group", { name: /to “outcome”/ })
      .getByRole("button", { name: "Change the kind" })
      .click();
    await page.locator("#node-heading", { hasText: "Node q2 (outcome)" }).waitFor();
    await expect(page.locator("fieldset.edit-choice").count()).resolves.toBe(0);
    await expect(localized(page, "Text \\(markdown\\)", "English").inputValue()).resolves.toBe("She stops. Then?");
    // One Undo brings the decision back whole.
    await page.getByRole("button", { name: "Undo" }).click();
    await page.locator("#node-heading", { hasText: "Node q2 (decision)" }).waitFor();
    await expect(page.locator("fieldset.edit-choice").count()).resolves.toBe(2);
    await saved(page);
    const stored = JSON.parse((await getDb().caseDraft.findFirstOrThrow({ where: { slug: SLUG } })).source);
    expect(stored.nodes.scene1).toMatchObject({
      kind: "scene",
      next: "q1",
      body: { en: "Your colleague films a patient." },
    });
    expect(stored.nodes.q2.choices).toHaveLength(2);
    expect(errors.slice(before)).toEqual([]);
  });
  test("a click right after typing is an undo step of its own; deleting asks with the focus on the question", async () => {
    const before = errors.length;
    const heading = page.locator("#node-heading");
    await page.getByLabel("Filter the node list (id or text)", { exact: true }).fill("q2");
    await page.locator(".node-list").getByRole("button", { name: /q2/ }).click();
    await heading.filter({ hasText: "Node q2" }).waitFor();
    const title = localized(page, "Title", "English");
    const typed = "Typed just before";
    // Typing, then at once (well within the 800 ms that merges typing) a button.
    await title.fill(typed);
    await page.getByRole("button", { name: "Make this the start node" }).click();
    await page.getByText("The case starts here.").waitFor();
    const undo = page.getByRole("button", { name: "Undo" });
    await undo.click();
    await page.getByRole("button", { name: "Make this the start node" }).waitFor();
    await expect(title.inputValue()).resolves.toBe(typed);
    await undo.click();
    await expect.poll(() => title.inputValue()).not.toBe(typed);

    // Delete asks; the question takes the focus and Cancel gives it back to the button.
    await page.getByRole("button", { name: "Delete this node" }).click();
    const question = page.getByRole("group", { name: /^Delete node q2\?/ });
    await question.waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("delete-question");
    await question.getByRole("button", { name: "Cancel" }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe("Delete this node");
    // Confirmed: the node is gone and the case's settings take the focus; one Undo brings it back.
    await page.getByRole("button", { name: "Delete this node" }).click();
    await question.getByRole("button", { name: "Delete" }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("settings-heading");
    await expect(page.locator(".node-list").getByRole("button", { name: /q2/ }).count()).resolves.toBe(0);
    await undo.click();
    await page.locator(".node-list").getByRole("button", { name: /q2/ }).waitFor();
    await saved(page);
    const stored = JSON.parse((await getDb().caseDraft.findFirstOrThrow({ where: { slug: SLUG } })).source);
    expect(stored.start).toBe("scene1");
    expect(stored.nodes.q2.title?.en).not.toBe(typed);
    expect(stored.nodes.q2.choices).toHaveLength(2);
    expect(errors.slice(before)).toEqual([]);
  });
});
