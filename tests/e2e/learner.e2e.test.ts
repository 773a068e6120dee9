// The learner's road in a real browser: join, play the Blair case, debrief, certificate, transcript;
// with and without JavaScript, across a closed page, a double submit and a language switch.
import Database from "better-sqlite3";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createUser } from "~/models/user.server";
import { startServer, type TestServer } from "../support/server";
import {
  BLAIR_SLUG,
  EXPERT_DECISIONS,
  EXPERT_OUTCOME,
  EXPERT_PATH,
  caseTitle,
  choiceLabel,
  isDecision,
  nodePrompt,
  nodeTitle,
} from "./support/blair";
import {
  audit,
  currentNode,
  download,
  join,
  launchBrowser,
  newContext,
  progressValue,
  signIn,
  startAttempt,
  takeStep,
  waitForHeading,
  waitForNode,
  waitForNodeChange,
} from "./support/browser";
import { closeAll } from "./support/suite";

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

afterAll(async () => {
  await closeAll({ browser, server });
});

const url = (path: string) => new URL(path, server.url).href;

/** Steps recorded for an attempt, in the order walked, read straight from the database file. */
function recordedSteps(attemptId: string): { nodeId: string; choiceId: string | null }[] {
  const db = new Database(server.dbFile, { readonly: true, fileMustExist: true });
  try {
    return db.prepare("SELECT nodeId, choiceId FROM AttemptStep WHERE attemptId = ? ORDER BY seq").all(attemptId) as {
      nodeId: string;
      choiceId: string | null;
    }[];
  } finally {
    db.close();
  }
}

function attemptIdOf(page: Page): string {
  const match = /\/attempts\/([^/?#]+)/.exec(new URL(page.url()).pathname);
  if (!match) throw new Error(`not on an attempt page: ${page.url()}`);
  return match[1]!;
}

/** From /cases/<slug>, starts a new attempt and waits for its first node. */
async function startBlair(page: Page, startLabel: RegExp): Promise<void> {
  await page.goto(url(`/cases/${BLAIR_SLUG}`));
  await startAttempt(page, startLabel);
}

describe("learner in Chromium", () => {
  test("plays the Blair case in French with JavaScript on, to a verified certificate, PDF and transcript; axe finds nothing", async () => {
    const { context, errors } = await newContext(browser);
    const page = await context.newPage();

    await page.goto(url("/join"));
    await audit(page, "the join page");
    const learner = await join(page, server.url, "fr");

    // The preference chosen on the form is the language from now on, though the browser asks for English.
    await waitForHeading(page, "Études de cas");
    await expect(page.getAttribute("html", "lang")).resolves.toBe("fr");
    await audit(page, "the case list");

    await page.getByRole("link", { name: caseTitle("fr") }).click();
    await page.waitForURL(url(`/cases/${BLAIR_SLUG}`));
    await waitForHeading(page, caseTitle("fr"));
    await audit(page, "the case overview");

    await startAttempt(page, "Commencer le cas");
    await expect(progressValue(page)).resolves.toMatchObject({ value: 0 });

    const seen = new Set<string>();
    for (const step of EXPERT_PATH) {
      const kind = step.choice !== undefined ? "decision" : step.reflection !== undefined ? "reflection" : "scene";
      if (!seen.has(kind)) {
        seen.add(kind);
        await audit(page, `a ${kind} (${step.node})`);
      }
      const before = await progressValue(page);
      await takeStep(page, step);
      const after = await progressValue(page);
      if (step.choice !== undefined) {
        const feedback = page.locator(".feedback-box");
        await feedback.waitFor();
        await expect(feedback.locator("h2").textContent()).resolves.toBe("Rétroaction sur votre choix");
        await expect(feedback.textContent()).resolves.toContain(choiceLabel(step.node, step.choice, "fr"));
        expect(after.value, `progress after deciding ${step.node}`).toBe(before.value + 1);
        if (!seen.has("feedback")) {
          seen.add("feedback");
          await audit(page, `the feedback after deciding ${step.node}`);
        }
      } else {
        expect(after.value, `progress after ${step.node}`).toBe(before.value);
      }
    }

    // The debrief.
    const debrief = page.locator(".debrief");
    await debrief.waitFor();
    await expect(page.locator("h1").textContent()).resolves.toBe(`Dénouement : ${nodeTitle(EXPERT_OUTCOME, "fr")}`);
    await expect(debrief.locator(".result strong").textContent()).resolves.toBe("Réussi");
    const final = await progressValue(page);
    expect(final.value).toBe(EXPERT_DECISIONS);
    // At the end the bar is full: the path taken is the whole path.
    expect(final.max).toBe(EXPERT_DECISIONS);
    const pathRows = debrief.locator("table.debrief-paths tbody tr");
    await expect(pathRows.count()).resolves.toBe(EXPERT_DECISIONS);
    await expect(pathRows.first().textContent()).resolves.toContain(nodePrompt("q-request", "fr"));
    await expect(debrief.locator("table.debrief-paths .match").allTextContents()).resolves.toEqual(
      Array(EXPERT_DECISIONS).fill("✓ Identique à l'expert"),
    );
    await expect(debrief.locator("table.debrief-standards tbody tr").count()).resolves.toBeGreaterThan(0);
    await expect(debrief.locator("blockquote").textContent()).resolves.toBe(EXPERT_PATH.at(-1)!.reflection);
    await audit(page, "the debrief");

    // The certificate, as its owner sees it…
    await debrief.getByRole("link", { name: "Voir votre certificat" }).click();
    await page.waitForURL(/\/certificates\/[^/]+$/);
    await waitForHeading(page, "Vérification d'un certificat");
    const certificateUrl = page.url();
    const status = page.locator("p.result[role=status]");
    await expect(status.textContent()).resolves.toBe("Statut : Valide");
    const details = page.locator("dl.certificate");
    await expect(details.textContent()).resolves.toContain(learner.name);
    await expect(details.textContent()).resolves.toContain(learner.registrationNumber);
    await expect(details.textContent()).resolves.toContain(caseTitle("fr"));
    await audit(page, "the certificate page");

    const pdf = await download(page, () => page.getByRole("link", { name: "Télécharger le certificat (PDF)" }).click());
    expect(pdf.bytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    expect(pdf.name).toMatch(/\.pdf$/);

    // …and as anyone verifying it: public, signed out, no download offered.
    const verifier = await newContext(browser, { locale: "fr-CA" });
    try {
      const outsider = await verifier.context.newPage();
      const response = await outsider.goto(certificateUrl);
      expect(response?.status()).toBe(200);
      await expect(outsider.locator("p.result[role=status]").textContent()).resolves.toBe("Statut : Valide");
      await expect(outsider.locator("dl.certificate").textContent()).resolves.toContain(learner.name);
      await expect(outsider.locator("dl.certificate").textContent()).resolves.toContain(learner.registrationNumber);
      await expect(outsider.locator('a[href$="/pdf"]').count()).resolves.toBe(0);
      expect(verifier.errors).toEqual([]);
    } finally {
      await verifier.context.close();
    }

    // The transcript and its CSV.
    await page.getByRole("link", { name: "Mon relevé" }).click();
    await page.waitForURL(/\/me\/transcript/);
    await waitForHeading(page, "Mon relevé");
    const row = page.locator("table tbody tr", { hasText: caseTitle("fr") });
    await expect(row.count()).resolves.toBe(1);
    await expect(row.getByRole("link").textContent()).resolves.toBe("Valide");
    await audit(page, "the transcript");

    const csv = await download(page, () => page.getByRole("link", { name: "Télécharger en CSV" }).click());
    const lines = csv.bytes
      .toString("utf8")
      .replace(/^\uFEFF/, "")
      .trim()
      .split(/\r?\n/);
    expect(lines[0]).toMatch(/^Terminé le \(UTC\),/);
    expect(lines[0]).toContain("Identifiant du cas");
    const blairRows = lines.slice(1).filter((line) => line.includes(BLAIR_SLUG));
    expect(blairRows).toHaveLength(1);
    expect(blairRows[0]).toContain(learner.registrationNumber);

    expect(errors).toEqual([]);
    await context.close();
  });

  test("plays the Blair case to the debrief with JavaScript off, through plain form posts", async () => {
    const { context, errors } = await newContext(browser, { javaScriptEnabled: false });
    const page = await context.newPage();
    await join(page, server.url, "fr");
    await startBlair(page, /Commencer le cas/);
    // Nothing but the server renders these pages: no script has run.
    await expect(page.evaluate(() => typeof (window as { __remixContext?: unknown }).__remixContext)).resolves.toBe(
      "undefined",
    );

    for (const step of EXPERT_PATH) {
      if (step.choice !== undefined && step.node === "q-request") {
        // Without a choice the server answers with the form again and an error, still on this node.
        await page.locator('form.node-form button[type="submit"]').click();
        await page.locator("#choice-error").waitFor();
        await page.waitForLoadState("load");
        await expect(page.locator("#choice-error").textContent()).resolves.toBe("Choisissez une option.");
        await expect(currentNode(page)).resolves.toBe(step.node);
      }
      if (step.reflection !== undefined) {
        await page.locator('form.node-form button[type="submit"]').click();
        await page.locator("#reflection-error").waitFor();
        await page.waitForLoadState("load");
        await expect(page.locator("#reflection-error").textContent()).resolves.toBe(
          "Écrivez quelques mots avant de continuer.",
        );
        await expect(currentNode(page)).resolves.toBe(step.node);
      }
      await takeStep(page, step);
      if (step.choice !== undefined) {
        await expect(page.locator(".feedback-box").textContent()).resolves.toContain(
          choiceLabel(step.node, step.choice, "fr"),
        );
      }
    }

    await page.locator(".debrief").waitFor();
    await expect(page.getAttribute("html", "lang")).resolves.toBe("fr");
    await expect(page.locator(".debrief .result strong").textContent()).resolves.toBe("Réussi");
    await expect(page.locator("table.debrief-paths tbody tr").count()).resolves.toBe(EXPERT_DECISIONS);
    await expect(page.locator("table.debrief-standards tbody tr").count()).resolves.toBeGreaterThan(0);
    await expect(page.locator(".debrief a", { hasText: "Voir votre certificat" }).count()).resolves.toBe(1);
    expect(recordedSteps(attemptIdOf(page)).map((s) => s.nodeId)).toEqual(EXPERT_PATH.map((s) => s.node));

    // The browser logs the two answers with field errors (400); nothing else went wrong.
    expect(errors.filter((e) => !/status of 400 \(Bad Request\)/.test(e))).toEqual([]);
    expect(errors).toHaveLength(2);
    await context.close();
  });

  test("resumes exactly where the learner was after the page is closed", async () => {
    const { context, errors } = await newContext(browser);
    let page = await context.newPage();
    await join(page, server.url, "en");
    await startBlair(page, /Start the case/);
    const walked = EXPERT_PATH.slice(
      0,
      EXPERT_PATH.findIndex((s) => s.node === "q-policy"),
    );
    for (const step of walked) await takeStep(page, step);
    const attemptUrl = page.url();
    await expect(currentNode(page)).resolves.toBe("q-policy");
    await expect(progressValue(page)).resolves.toMatchObject({ value: 2 });

    await page.close();
    expect(context.pages()).toHaveLength(0);
    page = await context.newPage();
    await page.goto(url(`/cases/${BLAIR_SLUG}`));
    await expect(page.getByRole("button", { name: /Start the case/ }).count()).resolves.toBe(0);
    await page.getByRole("link", { name: "Resume where you left off" }).click();
    await page.waitForURL(attemptUrl);
    // The URL changes before the player replaces the overview, whose heading is the same title.
    await waitForNode(page, "q-policy");
    await waitForHeading(page, caseTitle("en"));
    await expect(currentNode(page)).resolves.toBe("q-policy");
    await expect(page.locator(".node").textContent()).resolves.toContain(nodePrompt("q-policy", "en"));
    await expect(progressValue(page)).resolves.toMatchObject({ value: 2 });
    await expect(page.locator(".progress span").textContent()).resolves.toMatch(/^Decisions made: 2 of \d+$/);
    await expect(page.locator(".feedback-box").textContent()).resolves.toContain(
      choiceLabel("q-privacy", "tighten", "en"),
    );

    // And the attempt carries on from there.
    await takeStep(page, { node: "q-policy", choice: "write-policy" });
    await expect(currentNode(page)).resolves.toBe("visit");
    await expect(progressValue(page)).resolves.toMatchObject({ value: 3 });

    expect(errors).toEqual([]);
    await context.close();
  });

  test("records a decision once when its form is submitted twice (JavaScript off), and skips no node", async () => {
    const { context, errors } = await newContext(browser, { javaScriptEnabled: false });
    const page = await context.newPage();
    await join(page, server.url, "en");
    await startBlair(page, /Start the case/);
    await takeStep(page, EXPERT_PATH[0]!);
    await expect(currentNode(page)).resolves.toBe("q-request");
    const attemptId = attemptIdOf(page);

    // A second tab on the same decision: its form goes stale once the first tab answers.
    const stale = await context.newPage();
    await stale.goto(page.url());
    await expect(currentNode(stale)).resolves.toBe("q-request");

    // A double click on the submit button of a slow page: the first post is held until the second
    // one is sent, then both reach the server together.
    let posts = 0;
    const delivered: number[] = [];
    let firstSent!: () => void;
    let bothSent!: () => void;
    const first = new Promise<void>((resolve) => (firstSent = resolve));
    const both = new Promise<void>((resolve) => (bothSent = resolve));
    await page.route(
      (target) => target.pathname === new URL(page.url()).pathname,
      async (route) => {
        if (route.request().method() !== "POST") return route.continue();
        const post = (posts += 1);
        if (post === 1) firstSent();
        if (post === 2) bothSent();
        await both;
        // Fetched by the test runner, so the server gets the post even though the browser, having
        // sent a second one, no longer waits for the first.
        const response = await route.fetch({ maxRedirects: 0 });
        delivered.push(response.status());
        await route.fulfill({ response }).catch(() => undefined);
      },
    );
    await page.locator('input[name="choice"][value="consult"]').check();
    const submit = page.locator('form.node-form button[type="submit"]');
    await submit.scrollIntoViewIfNeeded();
    const box = await submit.boundingBox();
    if (!box) throw new Error("the submit button is not on screen");
    const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
    await page.mouse.click(x, y);
    await first;
    await page.mouse.click(x, y);
    await both;
    await waitForNodeChange(page, "q-request");
    await page.unrouteAll({ behavior: "wait" });
    // Both posts reached the server, and both were answered with a redirect to the attempt.
    expect(delivered).toEqual([302, 302]);

    await expect(currentNode(page)).resolves.toBe("consult-call");
    await expect(progressValue(page)).resolves.toMatchObject({ value: 1 });
    expect(recordedSteps(attemptId)).toEqual([
      { nodeId: "context", choiceId: null },
      { nodeId: "q-request", choiceId: "consult" },
    ]);

    // The stale tab submits a different answer to the same decision: it is ignored, and the tab is
    // shown where the attempt really is.
    await stale.locator('input[name="choice"][value="accept"]').check();
    await takeStep(stale, { node: "q-request" });
    await expect(currentNode(stale)).resolves.toBe("consult-call");
    await expect(stale.locator(".feedback-box").textContent()).resolves.toContain(
      choiceLabel("q-request", "consult", "en"),
    );
    await stale.close();

    for (const step of EXPERT_PATH.slice(2)) await takeStep(page, step);
    await page.locator(".debrief").waitFor();
    await expect(page.locator(".debrief .result strong").textContent()).resolves.toBe("Passed");
    const steps = recordedSteps(attemptId);
    expect(steps.map((s) => s.nodeId)).toEqual(EXPERT_PATH.map((s) => s.node));
    expect(steps.filter((s) => isDecision(s.nodeId)).map((s) => s.choiceId)).toEqual(
      EXPERT_PATH.flatMap((s) => (s.choice ? [s.choice] : [])),
    );

    expect(errors).toEqual([]);
    await context.close();
  });

  test("switching to French mid-attempt shows the same node in French with the progress unchanged", async () => {
    const { context, errors } = await newContext(browser);
    const page = await context.newPage();
    await join(page, server.url, "en");
    await startBlair(page, /Start the case/);
    await takeStep(page, EXPERT_PATH[0]!);
    await takeStep(page, EXPERT_PATH[1]!);
    const attemptUrl = page.url();
    await expect(page.getAttribute("html", "lang")).resolves.toBe("en");
    await expect(currentNode(page)).resolves.toBe("consult-call");
    await expect(page.locator("h1").textContent()).resolves.toBe(nodeTitle("consult-call", "en"));
    const before = await progressValue(page);
    expect(before.value).toBe(1);

    await page.locator("header").getByRole("button", { name: "Afficher en français" }).click();
    await page.locator('html[lang="fr"]').waitFor({ state: "attached" });
    await page.locator("h1", { hasText: nodeTitle("consult-call", "fr") }).waitFor();

    expect(page.url()).toBe(attemptUrl);
    await expect(currentNode(page)).resolves.toBe("consult-call");
    await expect(progressValue(page)).resolves.toEqual(before);
    await expect(page.locator(".progress span").textContent()).resolves.toBe(`Décisions prises : 1 sur ${before.max}`);
    await expect(page.locator(".feedback-box").textContent()).resolves.toContain(
      choiceLabel("q-request", "consult", "fr"),
    );
    await expect(page.locator("header button[lang=en]").textContent()).resolves.toBe("English");

    // French sticks (it is now the learner's preference) and the attempt goes on in French.
    await page.reload();
    await expect(page.getAttribute("html", "lang")).resolves.toBe("fr");
    await takeStep(page, EXPERT_PATH[2]!);
    await expect(page.locator("h1").textContent()).resolves.toBe(nodeTitle("audit", "fr"));
    await expect(progressValue(page)).resolves.toEqual(before);

    expect(errors).toEqual([]);
    await context.close();
  });

  test("axe finds nothing on the rest of the learner's pages, error states included; with JavaScript a step reloads nothing", async () => {
    const { context, errors } = await newContext(browser);
    const page = await context.newPage();

    // Signed out: home, sign-in with its error, join with its errors, a page that does not exist.
    await page.goto(url("/"));
    await audit(page, "the home page");
    await page.goto(url("/login"));
    await audit(page, "the sign-in page");
    await page.locator("#email").fill("nobody@example.test");
    await page.locator("#password").fill("not the password");
    await page.locator('main form button[type="submit"]').click();
    await page.getByText("Email or password is incorrect.").waitFor();
    await audit(page, "the sign-in page with an error");
    await page.goto(url("/join"));
    await page.locator('main form button[type="submit"]').click();
    await page.locator(".field-error").first().waitFor();
    await audit(page, "the join page with field errors");
    const missing = await page.goto(url("/cases/no-such-case"));
    expect(missing?.status()).toBe(404);
    await audit(page, "a page that does not exist");

    // Signed in: the account page and its error.
    await join(page, server.url, "en");
    await page.goto(url("/me/account"));
    await audit(page, "the account page");
    await page.locator("#currentPassword").fill("not my password at all");
    await page.locator("#newPassword").fill("a brand new passphrase");
    await page.getByRole("button", { name: "Change password" }).click();
    await page.locator(".field-error").first().waitFor();
    await audit(page, "the account page with an error");

    // A failing path, three times (the case allows three attempts), all in one document.
    const failing = [
      { node: "context" },
      { node: "q-request", choice: "accept" },
      { node: "accepted" },
      { node: "q-repair", choice: "keep" },
      { node: "drift" },
      { node: "reflect-blurred", reflection: "I let it drift." },
    ];
    await startBlair(page, /Start the case/);
    await page.evaluate(() => ((window as { sameDocument?: boolean }).sameDocument = true));
    await takeStep(page, failing[0]!);
    await page.locator('form.node-form button[type="submit"]').click();
    await page.locator("#choice-error").waitFor();
    await audit(page, "a decision with its field error");
    for (const step of failing.slice(1, 4)) await takeStep(page, step);
    // Past the last decision of a short branch the bar is full, not "2 of 5" before the debrief.
    await expect(progressValue(page)).resolves.toEqual({ value: 2, max: 2 });
    for (const step of failing.slice(4)) await takeStep(page, step);
    await page.locator(".debrief").waitFor();
    await expect(page.locator(".debrief .result strong").textContent()).resolves.toBe("Not passed");
    await audit(page, "a failed debrief");
    // Every step went through fetch and client-side navigation: the first document is still here.
    await expect(page.evaluate(() => (window as { sameDocument?: boolean }).sameDocument)).resolves.toBe(true);

    for (let attempt = 2; attempt <= 3; attempt++) {
      await startBlair(page, /Try again/);
      for (const step of failing) await takeStep(page, step);
      await page.locator(".debrief").waitFor();
    }
    await page.goto(url(`/cases/${BLAIR_SLUG}`));
    await page.getByText("You have used all 3 attempts allowed for this case.").waitFor();
    await expect(page.getByRole("button", { name: /Try again|Start the case/ }).count()).resolves.toBe(0);
    await audit(page, "a case with no attempts left");

    // A revoked certificate, as its holder and as anyone verifying it.
    const adminEmail = `admin-${Date.now()}@example.test`;
    await createUser({
      email: adminEmail,
      name: "Admin E2E",
      password: "admin password long enough",
      registrationNumber: "AD-1",
      regulator: "coto",
      locale: "en",
      roles: ["admin"],
    });
    const holder = await newContext(browser);
    const holderPage = await holder.context.newPage();
    await join(holderPage, server.url, "en");
    await startBlair(holderPage, /Start the case/);
    for (const step of EXPERT_PATH) await takeStep(holderPage, step);
    await holderPage.locator(".debrief").waitFor();
    const certificateHref = await holderPage.getByRole("link", { name: "View your certificate" }).getAttribute("href");
    const code = certificateHref!.split("/").at(-1)!;

    const staff = await newContext(browser);
    const adminPage = await staff.context.newPage();
    await signIn(adminPage, server.url, adminEmail, "admin password long enough", "/admin/certificates");
    await adminPage.goto(url(`/admin/certificates?code=${code}`));
    await adminPage.locator("textarea, input[name=reason]").first().fill("Completed on a shared account");
    await adminPage.getByRole("button", { name: "Revoke this certificate" }).click();
    await adminPage.getByText("Certificate revoked.").waitFor();

    const verifier = await newContext(browser);
    const outsider = await verifier.context.newPage();
    await outsider.goto(url(certificateHref!));
    await expect(outsider.locator("p.result[role=status]").textContent()).resolves.toMatch(
      /^Status: Revoked — Revoked on /,
    );
    await expect(outsider.locator("main").textContent()).resolves.not.toContain("Completed on a shared account");
    await audit(outsider, "a revoked certificate, signed out");
    await holderPage.goto(url(certificateHref!));
    await audit(holderPage, "a revoked certificate, seen by its holder");
    await expect(holderPage.locator("main").textContent()).resolves.toContain("Completed on a shared account");

    expect(
      [...errors, ...holder.errors, ...staff.errors, ...verifier.errors].filter(
        (e) => !/status of (400|401|404)/.test(e),
      ),
    ).toEqual([]);
    await Promise.all([context.close(), holder.context.close(), staff.context.close(), verifier.context.close()]);
  });
});
