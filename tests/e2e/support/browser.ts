// Chromium for the end-to-end suite: Debian's build driven by playwright-core (never a downloaded one),
// plus the few things every scenario does: join through the form, check a page with axe, watch for
// errors in the page.
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import {
  chromium,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type Download,
  type Page,
} from "playwright-core";
import { expect } from "vitest";
import type { Locale } from "~/i18n";
import { codeFor } from "../../support/authenticator";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
    ],
  });
}

/** A fresh context (cookies, storage) whose pages report script errors and failed loads. */
export async function newContext(
  browser: Browser,
  options: BrowserContextOptions = {},
): Promise<{ context: BrowserContext; errors: string[] }> {
  const context = await browser.newContext({ locale: "en-CA", ...options });
  const errors: string[] = [];
  context.on("page", (page) => watchErrors(page, errors));
  return { context, errors };
}

function watchErrors(page: Page, errors: string[]) {
  page.on("pageerror", (error) => errors.push(`pageerror on ${page.url()}: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    const source = message.location().url;
    errors.push(
      `console.error on ${page.url()}: ${message.text()}${source && source !== page.url() ? ` (${source})` : ""}`,
    );
  });
}

export type Learner = { name: string; email: string; password: string; registrationNumber: string; locale: Locale };

/** Creates an account through the /join form, then signs in, as a person would, and lands on /cases. */
export async function join(page: Page, base: string, locale: Locale): Promise<Learner> {
  const id = randomUUID().slice(0, 8);
  const learner: Learner = {
    name: `Élodie Gagnon ${id}`,
    email: `learner-${id}@example.test`,
    password: "correct horse battery staple",
    registrationNumber: `OT-${id.toUpperCase()}`,
    locale,
  };
  await page.goto(new URL("/join", base).href);
  await page.locator("#name").fill(learner.name);
  await page.locator("#email").fill(learner.email);
  await page.locator("#password").fill(learner.password);
  await page.locator("#registrationNumber").fill(learner.registrationNumber);
  await page.locator("#regulator").selectOption("coto");
  const form = page.locator("main form");
  await form.locator(`input[type="radio"][name="locale"][value="${locale}"]`).check();
  await form.locator('button[type="submit"]').click();
  // /join signs nobody in (it must not tell a new address from a registered one): sign in next.
  await page.waitForURL((url) => url.pathname === "/login");
  await submitSignIn(page, learner.email, learner.password, (url) => url.pathname === "/cases");
  return learner;
}

/**
 * Fills and sends the sign-in form until it lands where `landed` says. Every browser test signs in
 * from 127.0.0.1, and the error-state tests type wrong passwords from it on purpose: the address's
 * growing delay (ADR 012) can then answer a right password "Wait N second(s)". A person waits and
 * tries again; so does this, a few times.
 *
 * The fields are found inside the sign-in form (the one with a current-password field): after /join's
 * client-side redirect the address reads /login while /join's form, whose #email and #password have
 * the same ids, is still on screen. Filling by id alone typed into /join's fields and sent an empty
 * sign-in form, which the action rightly answered 400 (CI on 466a8d8).
 */
async function submitSignIn(page: Page, email: string, password: string, landed: (url: URL) => boolean) {
  const form = page.locator('main form:has(input[autocomplete="current-password"])');
  for (let attempt = 1; ; attempt++) {
    await form.locator("#email").fill(email);
    await form.locator("#password").fill(password);
    await form.locator('button[type="submit"]').click();
    const throttled = page.getByText(/Too many attempts\. Wait (\d+) second/);
    // Each wait is caught: the one that loses the race times out later, and must not be an
    // unhandled rejection then.
    const outcome = await Promise.race([
      page.waitForURL(landed, { timeout: 20_000 }).then(
        () => "landed" as const,
        () => "neither" as const,
      ),
      throttled.waitFor({ timeout: 20_000 }).then(
        () => "throttled" as const,
        () => "neither" as const,
      ),
    ]);
    if (outcome === "landed") return;
    if (outcome === "neither" || attempt === 4) {
      const shown = (
        await page
          .locator("main")
          .innerText()
          .catch(() => "")
      ).slice(0, 300);
      throw new Error(`sign-in of ${email}: ${outcome} after ${attempt} tries (${page.url()}): ${shown}`);
    }
    const seconds = Number(/Wait (\d+) second/.exec(await throttled.innerText())?.[1] ?? "1");
    await page.waitForTimeout((seconds + 0.5) * 1000);
  }
}

const WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

/** Violations of WCAG 2.2 AA on the page as it is now, one readable line each ("" when none). */
export async function axeViolations(page: Page): Promise<string> {
  const results = await new AxeBuilder({ page }).withTags(WCAG_22_AA).analyze();
  return results.violations
    .map((v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.map((n) => n.target.join(" ")).join("\n    ")}`)
    .join("\n");
}

/** axe (WCAG 2.2 AA) on the page as it is: a soft failure naming each rule and its targets. */
export async function audit(page: Page, label: string): Promise<void> {
  const violations = await axeViolations(page);
  expect.soft(violations, `axe (WCAG 2.2 AA) on ${label} — ${page.url()}:\n${violations}`).toBe("");
}

/** On a case overview, starts (or restarts) an attempt with the button named `label`; waits for its first node. */
export async function startAttempt(page: Page, label: RegExp | string): Promise<void> {
  await page.getByRole("button", { name: label }).click();
  await page.waitForURL(/\/attempts\//);
  await page.locator('form.node-form input[name="from"]').waitFor({ state: "attached" });
}

/** The id of the node the player shows (its form's hidden "from" field), null once completed. */
export function currentNode(page: Page): Promise<string | null> {
  return page.evaluate(
    () => document.querySelector<HTMLInputElement>('form.node-form input[name="from"]')?.value ?? null,
  );
}

export function progressValue(page: Page): Promise<{ value: number; max: number }> {
  return page.locator(".progress progress").evaluate((el: HTMLProgressElement) => ({ value: el.value, max: el.max }));
}

export type Step = { node: string; choice?: string; reflection?: string };

/** Answers the node the player shows and waits until the player has moved past it. */
export async function takeStep(page: Page, step: Step): Promise<void> {
  const here = await currentNode(page);
  if (here !== step.node) throw new Error(`expected to be on node "${step.node}", the player shows "${here}"`);
  if (step.choice !== undefined) await page.locator(`input[name="choice"][value="${step.choice}"]`).check();
  if (step.reflection !== undefined) await page.locator('textarea[name="reflection"]').fill(step.reflection);
  await page.locator('form.node-form button[type="submit"]').click();
  await waitForNodeChange(page, step.node);
}

/**
 * Waits (across a full page load or a client-side transition) until the player is past `from`.
 * A locator, not page.waitForFunction: the latter never re-polls in a page with JavaScript off.
 */
export async function waitForNodeChange(page: Page, from: string): Promise<void> {
  const moved = `form.node-form input[name="from"]:not([value="${from}"])`;
  await page.locator(`${moved}, .debrief, section.error`).first().waitFor({ state: "attached" });
  // Without JavaScript that is a new document, possibly still being parsed: let it finish.
  await page.waitForLoadState("load");
  if ((await page.locator(`${moved}, .debrief`).count()) === 0) {
    const heading = await page.locator("h1").first().textContent();
    throw new Error(`after node "${from}" the page shows an error: ${page.url()} — "${heading}"`);
  }
}

/**
 * Waits (across a full page load or a client-side transition) until the player shows `node`.
 * The heading alone cannot tell a case's overview from its player: both carry the case's title.
 */
export async function waitForNode(page: Page, node: string): Promise<void> {
  await page.locator(`form.node-form input[name="from"][value="${node}"]`).waitFor({ state: "attached" });
}

/** Waits for the page's main heading to read `text` (after a load or a client-side transition). */
export async function waitForHeading(page: Page, text: string): Promise<void> {
  await page.locator("h1", { hasText: text }).first().waitFor();
  const actual = await page.locator("h1").first().textContent();
  if (actual !== text) throw new Error(`expected the heading "${text}", the page shows "${actual}"`);
}

/** Clicks a link that downloads, and returns the file's bytes and suggested name. */
export async function download(page: Page, click: () => Promise<void>): Promise<{ name: string; bytes: Buffer }> {
  const [file] = await Promise.all([page.waitForEvent("download"), click()]);
  return { name: file.suggestedFilename(), bytes: await read(file) };
}

async function read(file: Download): Promise<Buffer> {
  const failure = await file.failure();
  if (failure) throw new Error(`download of ${file.url()} failed: ${failure}`);
  return fs.promises.readFile(await file.path());
}

/** Signs in through the /login form and waits to land on `redirectTo`. */
export async function signIn(
  page: Page,
  base: string,
  email: string,
  password: string,
  redirectTo = "/cases",
): Promise<void> {
  await page.goto(new URL(`/login?redirectTo=${encodeURIComponent(redirectTo)}`, base).href);
  await submitSignIn(page, email, password, (url) => url.pathname === redirectTo || url.pathname === "/me/two-factor");
  if (new URL(page.url()).pathname === "/me/two-factor") {
    // An admin sets up two-factor sign-in first, typing the key as shown into the test's authenticator.
    const secret = (await page.locator(".totp-secret").textContent())!.replace(/ /g, "");
    await page.locator("#code").fill(codeFor(secret));
    await page.locator('main form button[type="submit"]').click();
    await page.getByRole("link", { name: "Continue" }).click();
    await page.waitForURL((url) => url.pathname === redirectTo);
    // The address changes before the new page has replaced the recovery codes (client-side navigation).
    await page.getByText("Your recovery codes").waitFor({ state: "detached" });
  }
}
