// Many regulators on one deployment, in a real browser (issue 10, "Quality bars"): an operator makes
// a regulator admin, who grants an author and an educator their roles, and the author's studio holds
// only that regulator's cases; a password reset from the mail a real SMTP server on loopback receives;
// a learner of one regulator plays another's case as practice until they register with it, and the
// certificate then names that regulator and that number. axe checks every page on the way.
import { randomUUID } from "node:crypto";
import { createServer, type AddressInfo } from "node:net";
import path from "node:path";
import { simpleParser, type ParsedMail } from "mailparser";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { createUser } from "~/models/user.server";
import type { Role } from "~/utils/roles";
import { codeFor } from "../support/authenticator";
import { startServer, type TestServer } from "../support/server";
import { audit, join, launchBrowser, startAttempt, takeStep } from "./support/browser";
import { EXPERT_PATH } from "./support/follow-request";
import { closeAll, openPage, stopAtFirstFailedStep } from "./support/suite";

const PASSWORD = "correct horse battery staple";
const NEW_PASSWORD = "a brand new passphrase 5521";
const COTO = { id: "coto", name: "College of Occupational Therapists of Ontario" };
/** The fixture regulator of tests/fixtures/valid, owner of the mini case. */
const DEMO = { id: "demo", name: "Demo regulator" };
const MINI_CASE = { slug: "mini-case", title: "A follow request" };

const PEOPLE = {
  operator: { name: "Olivia Operator", email: "operator@platform.test", roles: ["operator"] },
  admin: { name: "Adèle Admin", email: "adele.admin@coto.test", roles: ["learner"] },
  author: { name: "Aurélien Author", email: "aurelien.author@coto.test", roles: ["learner"] },
  educator: { name: "Édith Educator", email: "edith.educator@coto.test", roles: ["learner"] },
  forgetful: { name: "Fiona Forgetful", email: "fiona.forgetful@coto.test", roles: ["learner"] },
} satisfies Record<string, { name: string; email: string; roles: Role[] }>;
type Who = keyof typeof PEOPLE;

let smtp: SMTPServer;
let server: TestServer;
let browser: Browser;
const received: ParsedMail[] = [];
const contexts: { context: BrowserContext; errors: string[] }[] = [];

/** A port free now, so that PUBLIC_URL (the origin of the links in mail) can name it before the server starts. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream).then(
        (mail) => {
          received.push(mail);
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  const smtpPort = (smtp.server.address() as AddressInfo).port;
  const port = await freePort();
  server = await startServer({
    // Three regulators' content: demo's mini case (fixtures), coto's and demo-psychotherapy's (cases/).
    content: [path.resolve("tests/fixtures/valid"), path.resolve("cases")],
    env: {
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      MAIL_FROM: "CE Office <ce@coto.example>",
    },
  });
  for (const [i, person] of Object.values(PEOPLE).entries()) {
    await createUser({
      name: person.name,
      email: person.email,
      roles: [...person.roles],
      password: PASSWORD,
      registrationNumber: `COTO-${100 + i}`,
      regulator: COTO.id,
      locale: "en",
    });
  }
  browser = await launchBrowser();
});

afterAll(async () => {
  await closeAll({ contexts: contexts.map((c) => c.context), browser, server });
  await new Promise<void>((resolve) => smtp?.close(() => resolve()));
});

const url = (pathname: string) => new URL(pathname, server.url).href;

/** A fresh browser (its own cookies) whose script errors and failed loads are collected. */
async function freshPage(): Promise<{ page: Page; errors: string[] }> {
  const { context, errors, page } = await openPage(browser);
  contexts.push({ context, errors });
  return { page, errors };
}

/** Waits for a client-side or full navigation to a path matching `path`, then for the page to settle. */
async function landOn(page: Page, where: RegExp | string): Promise<void> {
  await page.waitForURL((u) => (typeof where === "string" ? u.pathname === where : where.test(u.pathname + u.search)));
  await page.waitForLoadState("load");
}

/**
 * Signs `who` in through /login to `landing`, checking each page with axe; staff who must use
 * two-factor sign-in set it up on the way, typing the key shown into the test's authenticator.
 */
async function signIn(page: Page, who: Who, landing: string, password = PASSWORD): Promise<void> {
  await page.goto(url(`/login?redirectTo=${encodeURIComponent(landing)}`));
  await audit(page, "the sign-in page");
  await page.locator("#email").fill(PEOPLE[who].email);
  await page.locator("#password").fill(password);
  await page.locator('main form button[type="submit"]').click();
  await page.waitForURL((u) => u.pathname === landing || u.pathname === "/me/two-factor");
  if (new URL(page.url()).pathname === "/me/two-factor") {
    await page.locator(".totp-secret").waitFor();
    await audit(page, `two-factor set-up for ${who}`);
    const secret = (await page.locator(".totp-secret").textContent())!.replace(/ /g, "");
    await page.locator("#code").fill(codeFor(secret));
    await page.locator('main form button[type="submit"]').click();
    const next = page.getByRole("link", { name: "Continue" });
    await next.waitFor();
    await audit(page, `two-factor recovery codes for ${who}`);
    await next.click();
    // The address changes before the new page has replaced the codes (client-side navigation).
    await page.getByText("Your recovery codes").waitFor({ state: "detached" });
  }
  await landOn(page, landing);
}

/** On /admin/people: finds the person by email, opens their page and grants them `grant` ("role@regulator"). */
async function grantRole(page: Page, who: Who, grant: string, reason: string, label: string): Promise<void> {
  const person = PEOPLE[who];
  await page.getByRole("searchbox", { name: "Email, name or registration number" }).fill(person.email);
  await page.getByRole("button", { name: "Search" }).click();
  await landOn(page, /^\/admin\/people\?q=/);
  const row = page.locator("main table tbody tr", { hasText: person.email });
  await row.waitFor();
  await expect(page.locator("main table tbody tr").count()).resolves.toBe(1);
  await audit(page, `the people search for ${who}`);

  await row.getByRole("link", { name: person.name }).click();
  await landOn(page, /^\/admin\/people\/[^/?]+$/);
  await page.locator("h1", { hasText: person.name }).waitFor();
  await audit(page, `${who}'s page in the admin area`);
  await page.locator("#grant").selectOption(grant);
  await page.locator("#grantReason").fill(reason);
  await page.getByRole("button", { name: "Grant the role" }).click();
  await page.getByRole("alert").filter({ hasText: "Role granted." }).waitFor();
  const roles = page.locator("h2", { hasText: "Staff roles" }).locator("xpath=following-sibling::ul[1]");
  await expect(roles.innerText()).resolves.toContain(label);
  await expect(page.locator("main table").last().innerText()).resolves.toContain(reason);
  await audit(page, `${who}'s page after the grant`);
}

describe("regulators in Chromium", () => {
  stopAtFirstFailedStep();

  test("the operator sets up two-factor sign-in, finds a person and makes them coto's admin", async () => {
    const { page, errors } = await freshPage();
    await signIn(page, "operator", "/admin/people");
    await page.locator("h1", { hasText: "People" }).waitFor();
    await expect(page.locator("main").innerText()).resolves.toContain("You see every account of this deployment.");
    await audit(page, "the people list, seen by the operator");

    // Only the operator may grant another regulator's roles: every regulator is offered.
    await grantRole(
      page,
      "admin",
      `admin@${COTO.id}`,
      "Runs the CE program for the College.",
      `Regulator admin — ${COTO.name}`,
    );
    await expect(page.locator("#grant option").allInnerTexts()).resolves.toContain(`Author — ${DEMO.name}`);
    expect(errors).toEqual([]);
  });

  test("coto's admin grants an author and an educator their roles, and no other regulator's", async () => {
    const { page, errors } = await freshPage();
    await signIn(page, "admin", "/admin/people");
    await expect(page.locator("main").innerText()).resolves.toContain(`You see the accounts related to ${COTO.name}.`);
    await audit(page, "the people list, seen by coto's admin");

    await grantRole(page, "author", `author@${COTO.id}`, "Writes the spring cases.", `Author — ${COTO.name}`);
    // A regulator admin is offered their own regulator's roles only.
    const offered = await page.locator("#grant option").allInnerTexts();
    expect(offered.length).toBeGreaterThan(0);
    for (const label of offered) expect(label).toMatch(new RegExp(` — ${COTO.name}$`));

    await page.getByRole("link", { name: "Back to people" }).click();
    await landOn(page, "/admin/people");
    await grantRole(page, "educator", `educator@${COTO.id}`, "Runs the autumn cohort.", `Educator — ${COTO.name}`);
    expect(errors).toEqual([]);
  });

  test("the author's studio holds coto's cases only; the educator reaches the cohorts", async () => {
    const author = await freshPage();
    await signIn(author.page, "author", "/studio");
    await author.page.locator("h1", { hasText: "Studio" }).waitFor();
    const links = await author.page
      .locator("table.studio-table a[href^='/studio/cases/']")
      .evaluateAll((as) => as.map((a) => a.getAttribute("href")));
    expect(links).toEqual(["/studio/cases/social-media-boundaries"]);
    await audit(author.page, "the studio of coto's author");
    // Another regulator's case is not found, by its address either.
    const foreign = await author.page.goto(url(`/studio/cases/${MINI_CASE.slug}`));
    expect(foreign?.status()).toBe(404);
    await audit(author.page, "another regulator's case in the studio (not found)");
    expect(author.errors.filter((e) => !/status of 404/.test(e))).toEqual([]);

    const educator = await freshPage();
    await signIn(educator.page, "educator", "/educator");
    await educator.page.locator("h1", { hasText: "Cohorts" }).waitFor();
    await audit(educator.page, "the educator home of coto's educator");
    expect(educator.errors).toEqual([]);
  });

  test("a password reset from the mail: asked for in the browser, its link opened, the new password signs in", async () => {
    const { page, errors } = await freshPage();
    await page.goto(url("/login"));
    await page.getByRole("link", { name: "Forgot your password?" }).click();
    await landOn(page, "/forgot-password");
    await audit(page, "the forgot-password page");
    await page.locator("#email").fill(PEOPLE.forgetful.email.toUpperCase());
    await page.getByRole("button", { name: "Send me a link" }).click();
    await page.getByText("If an account uses this address, a link to choose a new password is on its way.").waitFor();
    await audit(page, "the forgot-password page, sent");

    const mail = await vi.waitFor(
      () => {
        const found = received.find((m) => !Array.isArray(m.to) && m.to?.text === PEOPLE.forgetful.email);
        if (!found) throw new Error("no reset mail yet");
        return found;
      },
      { timeout: 30_000, interval: 100 },
    );
    expect(mail.subject).toBe("Choose a new password for Vignette");
    const link = new RegExp(`(${server.url.replace(/[.]/g, "\\.")}/set-password\\?token=\\S+)`).exec(
      mail.text ?? "",
    )?.[1];
    expect(link, mail.text).toBeDefined();
    expect(mail.html).toContain(`href="${link}"`);

    // The link as the mail gives it, in the same browser.
    await page.goto(link!);
    await page.locator("h1", { hasText: "Choose a new password" }).waitFor();
    await audit(page, "the set-password page from the reset mail");
    await page.locator("#password").fill(NEW_PASSWORD);
    await page.locator("#confirm").fill(NEW_PASSWORD);
    await page.getByRole("button", { name: "Set password and sign in" }).click();
    await landOn(page, "/");
    await expect(page.locator(".signed-in").innerText()).resolves.toContain(PEOPLE.forgetful.name);
    await audit(page, "home, signed in by the new password");

    // The new password signs in elsewhere; the old one no longer does.
    const elsewhere = await freshPage();
    await elsewhere.page.goto(url("/login"));
    await elsewhere.page.locator("#email").fill(PEOPLE.forgetful.email);
    await elsewhere.page.locator("#password").fill(PASSWORD);
    await elsewhere.page.locator('main form button[type="submit"]').click();
    await elsewhere.page.getByRole("alert").waitFor();
    await audit(elsewhere.page, "the sign-in page refusing the old password");
    await signIn(elsewhere.page, "forgetful", "/cases", NEW_PASSWORD);
    // The link worked once.
    const again = await elsewhere.page.goto(link!);
    expect(again?.status()).toBe(410);
    await elsewhere.page.getByText("This link has already been used.").waitFor();
    await audit(elsewhere.page, "the reset link, used");
    expect(errors).toEqual([]);
    expect(elsewhere.errors.filter((e) => !/status of (401|410)/.test(e))).toEqual([]);
  });

  test("a learner of coto plays demo's case as practice until registered with demo; the certificate names demo and that number", async () => {
    const { page, errors } = await freshPage();
    const learner = await join(page, server.url, "en");
    await page.goto(url(`/cases/${MINI_CASE.slug}`));
    await page.locator("h1", { hasText: MINI_CASE.title }).waitFor();
    const practice = page.locator("p.notice[role=note]");
    await expect(practice.innerText()).resolves.toBe(
      `This case is from ${DEMO.name}, with which you have no registration: you can play it as practice, without credit or certificate. Add your registration with ${DEMO.name} on your account page to earn credit.`,
    );
    await audit(page, "another regulator's case overview (practice only)");

    await page.goto(url("/me/account"));
    await audit(page, "the account page");
    await page.getByRole("link", { name: "My registrations with regulators" }).click();
    await landOn(page, "/me/registrations");
    await audit(page, "the registrations page");
    const demoNumber = `DEMO-${randomUUID().slice(0, 6).toUpperCase()}`;
    await page.locator("#regulator").selectOption(DEMO.id);
    await page.locator("#registrationNumber").fill(demoNumber);
    await page.getByRole("button", { name: "Save the registration" }).click();
    await landOn(page, /^\/me\/registrations\?saved=added$/);
    await page.getByRole("status").filter({ hasText: "Your registration was added" }).waitFor();
    const rows = await page.locator("main table tbody tr").allInnerTexts();
    expect(rows.map((r) => r.replace(/\s+/g, " ").trim()).sort()).toEqual(
      [`${COTO.name} (the one you joined with) ${learner.registrationNumber}`, `${DEMO.name} ${demoNumber}`].sort(),
    );
    await audit(page, "the registrations page, one added");

    await page.goto(url(`/cases/${MINI_CASE.slug}`));
    await page.locator("h1", { hasText: MINI_CASE.title }).waitFor();
    await expect(page.locator("p.notice[role=note]").count()).resolves.toBe(0);
    await audit(page, "the case overview, registered");
    await startAttempt(page, /Start the case/);
    await audit(page, "the mini case's first node");
    for (const step of EXPERT_PATH) await takeStep(page, step);
    const debrief = page.locator(".debrief");
    await debrief.waitFor();
    await expect(debrief.locator(".result strong").innerText()).resolves.toBe("Passed");
    await audit(page, "the debrief");

    await debrief.getByRole("link", { name: "View your certificate" }).click();
    await landOn(page, /^\/certificates\/[^/]+$/);
    const details = page.locator("dl.certificate");
    const field = (term: string) =>
      details.locator("dt", { hasText: term }).first().locator("xpath=following-sibling::dd[1]").innerText();
    await expect(field("Regulator")).resolves.toBe(DEMO.name);
    await expect(field("Registration number")).resolves.toBe(demoNumber);
    await expect(details.innerText()).resolves.not.toContain(COTO.name);
    await expect(details.innerText()).resolves.not.toContain(learner.registrationNumber);
    await audit(page, "the certificate of demo's case");
    expect(errors).toEqual([]);
  });
});
