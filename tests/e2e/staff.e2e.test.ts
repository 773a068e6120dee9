// The staff road in a real browser, one case from nothing to a learner's completion: an author
// writes it in the studio (an error pinned to its line, fixed, previewed, graphed, submitted), a
// second author approves it, it reaches the catalog, an educator assigns it to a cohort, a learner
// passes it, and the progress dashboard and the analytics show that completion. axe checks every
// staff page on the way.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { dueAtFromDateInput } from "~/models/assignment.server";
import { createUser } from "~/models/user.server";
import { formatDate } from "~/utils/format";
import { startServer, type TestServer } from "../support/server";
import {
  audit,
  join,
  launchBrowser,
  newContext,
  signIn,
  startAttempt,
  takeStep,
  type Learner,
} from "./support/browser";
import { CASE_SLUG, CASE_TITLE, caseSource, EXPERT_PATH, errorLine } from "./support/follow-request";
import { closeAll, openPage, stopAtFirstFailedStep } from "./support/suite";

const PASSWORD = "correct horse battery staple";
/** The staff's regulator (coto)'s clock: the cohort's due dates are typed and shown on it. */
const COTO_CLOCK = "America/Toronto";
const STAFF = {
  // Authors who review each other's drafts, as the reviewer migration left every author.
  author: { email: "author-one@staff.test", name: "Amélie Author", roles: ["author", "reviewer"] as const },
  reviewer: { email: "author-two@staff.test", name: "Rashid Reviewer", roles: ["author", "reviewer"] as const },
  educator: { email: "educator@staff.test", name: "Edith Educator", roles: ["educator"] as const },
};
type Who = keyof typeof STAFF;

let server: TestServer;
let browser: Browser;
/** One signed-in browser context per person, kept across the steps of the story. */
const people = new Map<Who | "learner", { context: BrowserContext; errors: string[]; page: Page }>();
let learner: Learner;
let draftUrl: string;
let completedOn: string;
const COHORT = "Spring 2026 boundaries cohort";
const DUE_INPUT = dateInput(new Date(Date.now() + 21 * 86_400_000));

beforeAll(async () => {
  server = await startServer();
  for (const [i, person] of Object.values(STAFF).entries()) {
    await createUser({
      ...person,
      roles: [...person.roles],
      password: PASSWORD,
      registrationNumber: `STAFF-${i}`,
      regulator: "coto",
      locale: "en",
    });
  }
  browser = await launchBrowser();
});

afterAll(async () => {
  await closeAll({ contexts: [...people.values()].map((p) => p.context), browser, server });
});

const url = (path: string) => new URL(path, server.url).href;

function dateInput(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The person's page: signed in through /login (landing on `landing`) the first time, as they left it after. */
async function staff(who: Who, landing: string): Promise<Page> {
  const existing = people.get(who);
  if (existing) return existing.page;
  const opened = await openPage(browser);
  const { page } = opened;
  people.set(who, opened);
  await signIn(page, server.url, STAFF[who].email, PASSWORD, landing);
  return page;
}

function errorsOf(who: Who | "learner"): string[] {
  return people.get(who)?.errors ?? [];
}

/** Waits for a client-side or full navigation to a path matching `path`, then for the page to settle. */
async function landOn(page: Page, path: RegExp | string): Promise<void> {
  await page.waitForURL((u) =>
    typeof path === "string" ? u.pathname + u.search === path : path.test(u.pathname + u.search),
  );
  await page.waitForLoadState("load");
}

const text = (page: Page, selector: string) => page.locator(selector).first().innerText();

/** The 1-based line (from the line-number gutter) shown level with an element of the editor. */
async function editorLineOf(page: Page, selector: string): Promise<number> {
  return page.evaluate((sel) => {
    const target = document.querySelector(sel);
    if (!target) throw new Error(`no ${sel} in the editor`);
    const box = target.getBoundingClientRect();
    const middle = box.top + box.height / 2;
    const numbers = [...document.querySelectorAll(".cm-lineNumbers .cm-gutterElement")];
    const hit = numbers.find((n) => {
      const r = n.getBoundingClientRect();
      return r.height > 0 && r.top <= middle && middle < r.bottom;
    });
    return Number(hit?.textContent ?? NaN);
  }, selector);
}

describe("staff in Chromium: a new case from the studio to a learner's completion", () => {
  stopAtFirstFailedStep();

  test(
    "author one writes the case in the studio: a pinned error, fixed, previewed, graphed, submitted",
    { timeout: 120_000 },
    async () => {
      const page = await staff("author", "/studio");
      await page.locator("h1", { hasText: "Studio" }).waitFor();
      await audit(page, "the studio list");

      await page.getByRole("link", { name: "New case draft" }).click();
      await landOn(page, "/studio/drafts/new");
      // With scripts on, CodeMirror replaces the textarea (its styles pass the CSP through the nonce).
      const editor = page.locator(".editor-host .cm-editor");
      await editor.waitFor({ timeout: 10_000 }).catch(() => {
        throw new Error(
          `CodeMirror did not mount on /studio/drafts/new; browser errors:\n${errorsOf("author").join("\n")}`,
        );
      });
      await expect(page.locator("textarea#source").getAttribute("class")).resolves.toContain("replaced-by-editor");
      await expect(editor.evaluate((el) => getComputedStyle(el).display)).resolves.toBe("flex");
      await audit(page, "the new draft editor");

      // Type the case (as a paste) with one deliberate error: a choice leading to a node that does not exist.
      const broken = caseSource({ brokenNext: "q9" });
      const content = page.locator(".cm-content");
      await content.click();
      await page.keyboard.press("ControlOrMeta+a");
      await page.keyboard.insertText(broken);
      await expect.poll(() => page.locator("textarea#source").inputValue()).toBe(broken);
      // The editor checks as the author types, before anything is saved.
      await page.locator(".diag-error", { hasText: '/nodes/q1/choices/0/next: no node "q9"' }).waitFor();

      await page.getByRole("button", { name: "Create draft" }).click();
      await landOn(page, /^\/studio\/drafts\/\w+\?saved=1$/);
      draftUrl = new URL(page.url()).pathname;
      await page.locator("p.notice[role=status]").waitFor();
      // The draft opens in the visual editor; this author works in the JSON source.
      await page.getByRole("tab", { name: "Source (JSON)" }).click();
      await page.locator(".editor-host .cm-editor").waitFor();

      // The error is listed with its line and JSON path, as cases:check prints it…
      const line = errorLine(broken, '"q9"');
      const errorItem = page.locator(".diag-error");
      await expect(errorItem.count()).resolves.toBe(1);
      await expect(errorItem.locator(".diag-where").innerText()).resolves.toMatch(
        new RegExp(`^line ${line}, column \\d+:$`),
      );
      await expect(errorItem.locator("code").innerText()).resolves.toMatch(
        new RegExp(`^${CASE_SLUG}\\.json:${line}:\\d+: /nodes/q1/choices/0/next: no node "q9"`),
      );
      await expect(text(page, ".diag-summary")).resolves.toMatch(/^✕ 1 error\(s\), \d+ warning\(s\)$/);
      await expect(text(page, ".studio-heading .badge-invalid")).resolves.toContain("1");
      // The listed error takes the cursor to it in the editor, where it is marked on that line: the
      // token underlined, a marker in the lint gutter (CodeMirror draws only the lines in view).
      await errorItem.getByRole("button").click();
      await expect(page.evaluate(() => document.activeElement?.classList.contains("cm-content"))).resolves.toBe(true);
      const underline = page.locator(".cm-content .cm-lintRange-error");
      await underline.first().waitFor();
      // (The engine places a reference error at its property: the underline spans "next".)
      await expect(underline.first().innerText()).resolves.toBe('"next"');
      await expect(
        underline.first().locator("xpath=ancestor::div[contains(concat(' ', @class, ' '), ' cm-line ')]").innerText(),
      ).resolves.toBe('          "next": "q9",');
      await expect(editorLineOf(page, ".cm-content .cm-lintRange-error")).resolves.toBe(line);
      await page.locator(".cm-gutter-lint .cm-lint-marker-error").first().waitFor();
      await expect(editorLineOf(page, ".cm-gutter-lint .cm-lint-marker-error")).resolves.toBe(line);
      await expect(editorLineOf(page, ".cm-content .cm-activeLine")).resolves.toBe(line);
      await audit(page, "the draft editor with an error");

      // The cursor is at the start of the property: the author retypes the rest of the line.
      await page.keyboard.press("Shift+End");
      await page.keyboard.type('"next": "q2",');
      const fixed = caseSource();
      await expect.poll(() => page.locator("textarea#source").inputValue()).toBe(fixed);
      await expect.poll(() => page.locator(".diag-error").count()).toBe(0);
      await expect.poll(() => underline.count()).toBe(0);

      await page.getByRole("button", { name: "Save draft" }).click();
      // Already on ?saved=1 (from creating the draft): wait for the saved draft's page instead.
      await page.locator(".studio-heading .badge-invalid").waitFor({ state: "detached" });
      await landOn(page, `${draftUrl}?saved=1`);
      // No error left; the one warning (a failure ending nobody passes from) is as cases:check gives it.
      await expect(text(page, ".diag-summary")).resolves.toBe("⚠ 0 error(s), 1 warning(s)");
      await expect(page.locator(".diag-warning code").innerText()).resolves.toMatch(
        new RegExp(
          `^${CASE_SLUG}\\.json:\\d+:\\d+: warning: /nodes/end-poor: the best path to outcome "end-poor" scores`,
        ),
      );
      await expect(page.locator(".studio-heading .badge-invalid").count()).resolves.toBe(0);
      // The editor was mounted again on the saved text (the hidden textarea is its form field).
      await expect(page.locator("textarea#source").inputValue()).resolves.toBe(fixed);
      await page.locator(".editor-host .cm-editor").waitFor();
      await expect(page.locator(".cm-content .cm-lintRange-error").count()).resolves.toBe(0);
      await audit(page, "the clean draft editor");

      // The preview: played to the end, nothing saved.
      await page.locator("nav.tabs").getByRole("link", { name: "Preview" }).click();
      await landOn(page, /\/preview$/);
      await page.locator("#node-heading").waitFor();
      await audit(page, "the draft preview (first node)");
      for (const step of EXPERT_PATH) {
        await expect(page.locator(".preview-player .node code").first().innerText()).resolves.toBe(step.node);
        if (step.choice) await page.locator(".preview-choices a.choice-link", { hasText: step.choiceLabel }).click();
        else await page.locator(".preview-player .node").getByRole("link", { name: "Continue" }).click();
        await page.waitForFunction(
          (from) => document.querySelector(".preview-player .node code")?.textContent !== from,
          step.node,
        );
        if (step.choice)
          await expect(page.locator(".feedback-box").innerText()).resolves.toContain(`You chose: ${step.choiceLabel}`);
      }
      await expect(page.locator(".preview-player .node code").first().innerText()).resolves.toBe("end-good");
      const result = page.locator(".preview-player .debrief .result");
      await expect(result.innerText()).resolves.toBe("✓ Passed — score 100% (total 3 of 3)");
      await expect(page.locator("#history-heading + ol li").count()).resolves.toBe(2);
      await audit(page, "the draft preview (outcome and score)");

      await page.locator("nav.tabs").getByRole("link", { name: "Graph" }).click();
      await landOn(page, /\/graph$/);
      const graph = page.locator("svg.case-graph[role=img]");
      // Reached by a client-side link: the drawing's markup follows from the page's own document.
      await graph.locator(".graph-node").first().waitFor();
      await page.locator("ol.graph-list > li").first().waitFor();
      await expect(graph.locator(".graph-node").count()).resolves.toBe(6);
      await expect(page.locator("ol.graph-list > li").count()).resolves.toBe(6);
      // Each node of the drawing is a link to the preview from there, laid exactly over it.
      const links = page.locator("svg.case-graph-links a");
      await expect(links.count()).resolves.toBe(6);
      const q2 = page.getByRole("link", { name: "Preview from q2" });
      // (Geometry without strokes: Playwright's boxes include them, and only the drawing has one.)
      const box = (el: Element) => {
        const r = el.getBoundingClientRect();
        return { x: r.x, y: r.y, width: r.width, height: r.height };
      };
      const drawn = await graph
        .locator(".graph-node", { has: page.locator("tspan", { hasText: /^q2$/ }) })
        .locator(".graph-shape")
        .evaluate(box);
      const link = await q2.evaluate(box);
      for (const side of ["x", "y", "width", "height"] as const)
        expect(Math.abs(drawn[side] - link[side]), side).toBeLessThan(1);
      await audit(page, "the draft graph");
      // Loaded as a document, the page keeps the drawing it came with through hydration and zooming.
      await page.reload();
      await page.getByRole("button", { name: "Zoom in" }).click();
      await expect(page.locator(".graph-tools output").innerText()).resolves.toBe("Zoom 125%");
      await expect(graph.locator(".graph-node").count()).resolves.toBe(6);
      await expect(page.locator("svg.case-graph-links a").count()).resolves.toBe(6);
      // The language switch reloads the page's data in place: the drawing and list follow it.
      await page.getByRole("button", { name: "Afficher en français" }).click();
      await page.locator("ol.graph-list > li", { hasText: "décision" }).first().waitFor();
      await expect(graph.locator("tspan", { hasText: /^décision$/ }).count()).resolves.toBeGreaterThan(0);
      await page.getByRole("button", { name: "Display in English" }).click();
      await page.locator("ol.graph-list > li", { hasText: "decision" }).first().waitFor();
      await expect(graph.locator("tspan", { hasText: /^décision$/ }).count()).resolves.toBe(0);
      // Away by a tab and back (client-side both ways): drawn again.
      await page.locator("nav.tabs").getByRole("link", { name: "English / French" }).click();
      await landOn(page, /\/translations$/);
      await page.locator("table.translations").waitFor();
      await page.goBack();
      await landOn(page, /\/graph$/);
      await page.locator("ol.graph-list > li").first().waitFor();
      await expect(graph.locator(".graph-node").count()).resolves.toBe(6);
      await expect(page.locator("ol.graph-list > li").count()).resolves.toBe(6);
      await q2.click();
      await landOn(page, /\/preview\?from=q2/);
      await expect(page.locator(".preview-player .node code").first().innerText()).resolves.toBe("q2");

      await page.locator("nav.tabs").getByRole("link", { name: "English / French" }).click();
      await landOn(page, /\/translations$/);
      await page.locator("table.translations").waitFor();
      await expect(text(page, "p.diag-summary[role=status]")).resolves.toMatch(/^✓/);
      await audit(page, "the draft translations");

      await page.locator("nav.tabs").getByRole("link", { name: "Edit" }).click();
      await landOn(page, draftUrl);
      await page.getByRole("button", { name: "Submit for review" }).click();
      await landOn(page, `${draftUrl}?submitted=1`);
      await page.locator(".badge-in_review").first().waitFor();
      // Nobody reviews their own work: no approval form for its author…
      await expect(text(page, "#review-heading + p")).resolves.toBe(
        "You submitted or last edited this draft, so someone else must review it.",
      );
      await expect(page.getByRole("button", { name: "Approve and publish" }).count()).resolves.toBe(0);
      await audit(page, "the draft in review, seen by its author");
      // …and an approval posted anyway is refused.
      const csrf = await page.locator('input[name="csrf"]').first().inputValue();
      const refused = await page.request.post(url(draftUrl), {
        form: { csrf, intent: "approve", publishMode: "publish_now" },
        headers: { Origin: new URL(server.url).origin },
        maxRedirects: 0,
      });
      expect(refused.status()).toBe(403);

      expect(errorsOf("author")).toEqual([]);
    },
  );

  test("author two approves it, published now, with every step in the case's history", async () => {
    const page = await staff("reviewer", "/studio");
    const queued = page.locator("#queue-heading + ul li", { hasText: CASE_SLUG });
    await expect(queued.innerText()).resolves.toBe(
      `${CASE_SLUG} — submitted by ${STAFF.author.name} · you can review it`,
    );
    await queued.getByRole("link", { name: CASE_SLUG }).click();
    await landOn(page, draftUrl);
    await page.locator("#review-heading").waitFor();
    await expect(page.getByLabel("Publish now").isChecked()).resolves.toBe(true);
    await audit(page, "the draft in review, seen by a reviewer");

    await page.getByRole("button", { name: "Approve and publish" }).click();
    await landOn(page, `/studio/cases/${CASE_SLUG}?approved=1`);
    await expect(text(page, "p.notice[role=status]")).resolves.toContain("1");
    await expect(text(page, "table.studio-table tbody tr .badge")).resolves.toContain("Published");
    const history = await text(page, "table.audit-log");
    for (const entry of ["Draft created", "Draft edited", "Submitted for review", "Approved", "Published"])
      expect(history).toContain(entry);
    expect(history).toContain(STAFF.author.name);
    expect(history).toContain(STAFF.reviewer.name);
    await audit(page, "the case page with its history");

    expect(errorsOf("reviewer")).toEqual([]);
  });

  test("a learner finds it in the catalog", async () => {
    const { context, errors } = await newContext(browser);
    const page = await context.newPage();
    people.set("learner", { context, errors, page });
    learner = await join(page, server.url, "en");
    // (join waits for the URL; after a client-side navigation the list may render a moment later.)
    const listed = page.locator("main").getByRole("link", { name: CASE_TITLE, exact: true });
    await listed.waitFor();
    await expect(listed.count()).resolves.toBe(1);
    await expect(listed.getAttribute("href")).resolves.toBe(`/cases/${CASE_SLUG}`);
    expect(errors).toEqual([]);
  });

  test("an educator makes a cohort, adds the learner and assigns the case with a due date", async () => {
    const page = await staff("educator", "/educator");
    await page.locator("h1", { hasText: "Cohorts" }).waitFor();
    await audit(page, "the educator home");

    await page.locator("#name").fill(COHORT);
    await page.getByRole("button", { name: "Create cohort" }).click();
    await landOn(page, /^\/educator\/cohorts\/\w+$/);
    await page.locator("h1", { hasText: COHORT }).waitFor();
    await audit(page, "a new cohort");

    // Adding by email invites (ADR 018): the learner joins by accepting. Mail is off on this server
    // (no SMTP_URL), so they accept through the cohort's invitation link, which asks the same.
    await page.locator("#emails").fill(learner.email);
    await page.getByRole("button", { name: "Send invitations" }).click();
    await expect
      .poll(() => page.locator("p.notice[role=status]").first().innerText())
      .toContain("Invitation sent to 1 address.");
    const inviteUrl = await page.locator("#invite-url").inputValue();
    const learnerPage = people.get("learner")!.page;
    await learnerPage.goto(inviteUrl);
    await audit(learnerPage, "the invitation, before accepting");
    await learnerPage.getByRole("button", { name: "Accept and join the cohort" }).click();
    await learnerPage.waitForLoadState("load");
    await page.reload();
    await page.locator("table th[scope=row]", { hasText: learner.name }).waitFor();

    await page.locator("#target").selectOption({ label: `${CASE_TITLE} (latest version)` });
    await page.locator("#dueDate").fill(DUE_INPUT);
    await page.getByRole("button", { name: "Assign", exact: true }).click();
    await expect.poll(() => page.locator("p.notice[role=status]").first().innerText()).toBe("Assigned.");
    const row = page.locator("table tbody tr", { hasText: CASE_TITLE });
    await expect(row.locator("td").first().innerText()).resolves.toBe(
      formatDate(dueAtFromDateInput(DUE_INPUT, COTO_CLOCK)!, "en", COTO_CLOCK),
    );
    await audit(page, "the cohort with a member and an assignment");

    expect(errorsOf("educator")).toEqual([]);
  });

  test("the learner sees the assignment at home and plays the case to a pass", async () => {
    const { page, errors } = people.get("learner")!;
    await page.goto(url("/"));
    const row = page.locator("section.my-assignments tbody tr", { hasText: CASE_TITLE });
    await expect(row.innerText()).resolves.toContain(COHORT);
    await expect(row.innerText()).resolves.toContain(
      formatDate(dueAtFromDateInput(DUE_INPUT, COTO_CLOCK)!, "en", COTO_CLOCK),
    );
    await expect(row.locator(".status").first().innerText()).resolves.toBe("Not started");
    await audit(page, "the learner home with an assignment");

    await row.getByRole("link", { name: CASE_TITLE }).click();
    await landOn(page, `/cases/${CASE_SLUG}`);
    await startAttempt(page, /Start the case/);
    for (const step of EXPERT_PATH) await takeStep(page, step);
    await page.locator(".debrief").waitFor();
    await expect(text(page, ".debrief .result strong")).resolves.toBe("Passed");
    completedOn = formatDate(new Date(), "en");

    await page.goto(url("/"));
    await expect(
      page.locator("section.my-assignments tbody tr", { hasText: CASE_TITLE }).locator(".status").first().innerText(),
    ).resolves.toBe("Passed");
    expect(errors).toEqual([]);
  });

  test("the educator's dashboard shows the learner passed, with a score and a date", async () => {
    const page = await staff("educator", "/educator");
    await page.goto(url("/educator"));
    await page.getByRole("link", { name: COHORT }).click();
    await landOn(page, /^\/educator\/cohorts\/\w+$/);
    const summary = page.locator("table tbody tr", { hasText: CASE_TITLE });
    await summary.waitFor();
    // Not started, in progress, passed, failed, overdue.
    await expect(summary.locator("td.num").allInnerTexts()).resolves.toEqual(["0", "0", "1", "0", "0"]);

    await summary.getByRole("link", { name: `Progress for ${CASE_TITLE}` }).click();
    await landOn(page, /^\/educator\/cohorts\/\w+\/assignments\/\w+$/);
    await page.locator("h1", { hasText: CASE_TITLE }).waitFor();
    const row = page.locator("table.progress-table tbody tr", { hasText: learner.name });
    await expect(row.count()).resolves.toBe(1);
    await expect(row.locator("td").nth(0).innerText()).resolves.toBe(learner.registrationNumber);
    await expect(row.locator(".status").first().innerText()).resolves.toBe("Passed");
    await expect(row.locator("td.num").innerText()).resolves.toBe("100%");
    await expect(row.locator("td").nth(3).innerText()).resolves.toBe(completedOn);
    await expect(row.locator("td").nth(4).innerText()).resolves.toBe("On time");
    await audit(page, "the assignment's progress dashboard");

    expect(errorsOf("educator")).toEqual([]);
  });

  test("the analytics of one learner stay hidden, on the list and on the version's page", async () => {
    const page = await staff("author", "/studio");
    await page.goto(url("/analytics"));
    await page.locator("h1", { hasText: "Analytics" }).waitFor();
    const row = page.locator("table tbody tr", { hasText: `(${CASE_SLUG})` });
    await row.waitFor();
    // Started, completed, passed: one learner so far, fewer than the 5 any figure needs.
    await expect(row.locator("td.num").allInnerTexts()).resolves.toEqual(["hidden", "hidden", "hidden"]);
    await audit(page, "the analytics list");

    await row.getByRole("link", { name: `Analytics for ${CASE_TITLE}, version 1` }).click();
    await landOn(page, `/analytics/${CASE_SLUG}/1`);
    await page.getByText("Fewer than 5 learners match these filters").waitFor();
    // Nothing about that learner's path: no funnel counts, no choice chart.
    await expect(page.locator("table.funnel td.num").allInnerTexts()).resolves.not.toContain("1");
    await expect(page.locator("table.choice-chart").count()).resolves.toBe(0);
    await audit(page, "the analytics of the version");

    expect(errorsOf("author")).toEqual([]);
  });
});
