// Single sign-on in a real browser (issue 10, "Quality bars"; ADR 019): a real OpenID Connect
// provider on 127.0.0.1 as coto's registrant portal (tests/support/oidc-provider.ts), the production
// server configured with it, and Chromium clicking the portal's button on /login, signing in on the
// provider's development login page and coming back to Vignette signed in, with an account and its
// registration made from the portal's claims. axe checks Vignette's pages on the way (the portal's
// page is the provider's, not ours).
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { getDb } from "~/utils/db.server";
import { PORTAL_LABEL, startPortal, type Portal } from "../support/oidc-provider";
import { startServer, type TestServer } from "../support/server";
import { audit, launchBrowser } from "./support/browser";
import { closeAll, openPage, stopAtFirstFailedStep } from "./support/suite";

const COTO = { id: "coto", name: "College of Occupational Therapists of Ontario" };
const REGISTRANT = {
  subject: "portal-e2e-1001",
  name: "Noor Haddad",
  email: "noor.haddad.e2e@example.test",
  registrationNumber: "G1001-22",
};

let portal: Portal;
let server: TestServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  portal = await startPortal(COTO.id);
  server = await startServer({ env: portal.env() });
  portal.attach(server.url);
  portal.registrants.set(REGISTRANT.subject, {
    name: REGISTRANT.name,
    email: REGISTRANT.email,
    email_verified: true,
    registration_number: REGISTRANT.registrationNumber,
  });
  browser = await launchBrowser();
});

afterAll(async () => {
  await closeAll({ contexts, browser, server });
  await portal?.stop();
});

const url = (pathname: string) => new URL(pathname, server.url).href;

/** A fresh browser (its own cookies, at Vignette and at the portal) whose page errors are collected. */
async function freshPage(): Promise<{ page: Page; errors: string[] }> {
  const { context, errors, page } = await openPage(browser);
  contexts.push(context);
  return { page, errors };
}

/** On /login: checks the page, clicks the portal's button and waits to be at the portal. */
async function toPortal(page: Page): Promise<void> {
  await page.goto(url("/login"));
  const button = page.getByRole("link", { name: PORTAL_LABEL.en });
  await button.waitFor();
  await audit(page, "the sign-in page with the portal's button");
  await button.click();
  await page.waitForURL((u) => u.origin === portal.issuer || u.origin === new URL(server.url).origin);
}

/** At the portal's (development) login page: signs in as `subject`, any password. */
async function signInAtPortal(page: Page, subject: string): Promise<void> {
  await page.waitForURL((u) => u.origin === portal.issuer && /\/interaction\//.test(u.pathname));
  await page.locator('input[name="login"]').fill(subject);
  await page.locator('input[name="password"]').fill("anything at all");
  await page.getByRole("button", { name: "Sign-in" }).click();
}

async function landOnCases(page: Page): Promise<void> {
  await page.waitForURL((u) => u.origin === new URL(server.url).origin && u.pathname === "/cases");
  await page.waitForLoadState("load");
  await expect(page.locator(".signed-in").innerText()).resolves.toContain(REGISTRANT.name);
}

/** Errors from Vignette's pages only: the provider's development pages are not ours to judge. */
const ours = (errors: string[]) => errors.filter((e) => !e.includes(portal.issuer));

describe("single sign-on through coto's registrant portal, in Chromium", () => {
  stopAtFirstFailedStep();

  test("the first sign-in at the portal opens a learner account with its registration", async () => {
    const { page, errors } = await freshPage();
    await toPortal(page);
    await signInAtPortal(page, REGISTRANT.subject);
    await landOnCases(page);
    await audit(page, "the cases page, signed in through the portal");

    await page.goto(url("/me/registrations"));
    await page.locator("h1").first().waitFor();
    const rows = await page.locator("main table tbody tr").allInnerTexts();
    expect(rows.map((r) => r.replace(/\s+/g, " ").trim())).toEqual([
      `${COTO.name} (the one you joined with) ${REGISTRANT.registrationNumber}`,
    ]);
    await audit(page, "the registrations page of the account the portal opened");

    const user = await getDb().user.findUniqueOrThrow({
      where: { email: REGISTRANT.email },
      include: { registrations: true, oidcIdentities: true, password: true },
    });
    expect(user).toMatchObject({ name: REGISTRANT.name, regulator: COTO.id });
    expect(user.registrations.map((r) => [r.regulatorId, r.number])).toEqual([
      [COTO.id, REGISTRANT.registrationNumber],
    ]);
    expect(user.oidcIdentities.map((i) => [i.subject, i.issuer])).toEqual([[REGISTRANT.subject, portal.issuer]]);
    expect(user.password).toBeNull();
    expect(ours(errors)).toEqual([]);
  });

  test("signed out of Vignette, the portal's button signs the same account in again; so does another browser", async () => {
    // Same browser: signing out of Vignette ends only Vignette's session (ADR 019), so the portal,
    // which still knows the registrant, sends them straight back, signed in.
    const { page, errors } = await freshPage();
    await toPortal(page);
    await signInAtPortal(page, REGISTRANT.subject);
    await landOnCases(page);
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL((u) => u.pathname !== "/cases");
    await page.waitForLoadState("load");
    await expect(page.locator(".signed-in").count()).resolves.toBe(0);
    await toPortal(page);
    await landOnCases(page);
    await audit(page, "the cases page, signed in again through the portal");

    // Another browser: the portal's login page again, and the same account.
    const other = await freshPage();
    await toPortal(other.page);
    await signInAtPortal(other.page, REGISTRANT.subject);
    await landOnCases(other.page);
    expect(await getDb().user.count({ where: { email: REGISTRANT.email } })).toBe(1);
    expect(await getDb().oidcIdentity.count({ where: { subject: REGISTRANT.subject } })).toBe(1);
    expect(ours(errors)).toEqual([]);
    expect(ours(other.errors)).toEqual([]);
  });
});
