// Single sign-on end to end (ADR 019): a real OpenID Connect provider (oidc-provider) on 127.0.0.1,
// in this process, as the regulator's registrant portal; the production server configured with it
// through OIDC_PROVIDERS; the test Client as the browser, signing in on the provider's own
// (development) login page. Nothing of openid-client or of the provider is stubbed.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "~/models/user.server";
import { getDb } from "~/utils/db.server";
import { nextCode } from "../support/authenticator";
import { Client, text } from "../support/client";
import { startPortal, type Portal } from "../support/oidc-provider";
import { startServer, type TestServer } from "../support/server";

let portal: Portal;
/** The portal's registrants: its accounts and the claims it releases about them. */
let registrants: Portal["registrants"];
let issuer: string;
let server: TestServer;

beforeAll(async () => {
  portal = await startPortal();
  ({ issuer, registrants } = portal);
  server = await startServer({ env: portal.env() });
  portal.attach(server.url);
});

afterAll(async () => {
  await server?.stop();
  await portal?.stop();
});

/**
 * A sign-in through the portal as a browser makes it: the button on /login, the provider's login
 * page (any password: its development interactions), back to the app. The URL of our callback it is sent back to.
 */
async function toCallback(client: Client, subject: string, options: { abort?: boolean } = {}): Promise<string> {
  const login = await client.get("/login");
  expect(login.html).toContain('href="/auth/oidc/coto?redirectTo=%2Fcases"');
  let page = await client.get("/auth/oidc/coto?redirectTo=%2Fcases");
  expect(page.status).toBe(302);
  let at = page.location!;
  expect(at.startsWith(`${issuer}/auth?`)).toBe(true);
  // Through the provider's redirects to its login form.
  for (let hops = 0; hops < 10; hops++) {
    page = await client.get(at);
    if (!page.location) break;
    at = new URL(page.location, at).href;
  }
  const form = /<form[^>]*action="([^"]+)"/.exec(page.html);
  expect(form, page.html).toBeTruthy();
  const submitUrl = form![1]!.replace(/&amp;/g, "&");
  if (options.abort) {
    page = await client.get(submitUrl.replace(/\/login$/, "").replace(/\/?$/, "/abort"));
  } else {
    page = await client.post(
      submitUrl,
      { prompt: "login", login: subject, password: "anything" },
      { csrf: false, origin: issuer },
    );
  }
  at = new URL(page.location!, submitUrl).href;
  // Back through the provider's resume to our callback.
  for (let hops = 0; hops < 10 && !at.startsWith(server.url); hops++) {
    page = await client.get(at);
    at = new URL(page.location!, at).href;
  }
  expect(at.startsWith(`${server.url}/auth/oidc/coto/callback?`)).toBe(true);
  return at;
}

/** The whole sign-in: to the portal and back; the callback's URL and the app's answer to it. */
async function portalSignIn(client: Client, subject: string, options: { abort?: boolean } = {}) {
  const callbackUrl = await toCallback(client, subject, options);
  return { callbackUrl, answer: await client.get(callbackUrl) };
}

describe("signing in through the regulator's registrant portal", () => {
  it("shows the portal's button on /login, in English and French", async () => {
    const en = await new Client(server.url).get("/login");
    expect(text(en.html)).toContain("Sign in with the COTO registrant portal");
    const fr = await new Client(server.url, { "Accept-Language": "fr" }).get("/login");
    expect(text(fr.html)).toContain("Se connecter avec le portail des membres de l'OEO");
  });

  it("creates the account with its registration on the first sign-in, and finds it on the second", async () => {
    registrants.set("portal-1001", {
      name: "Noor Haddad",
      email: "noor.haddad@example.test",
      email_verified: true,
      registration_number: "G1001-22",
    });
    const browser = new Client(server.url);
    const { answer } = await portalSignIn(browser, "portal-1001");
    expect(answer.status).toBe(302);
    expect(answer.location).toBe("/cases");
    const home = await browser.visit("/me/registrations");
    expect(home.status).toBe(200);
    expect(text(home.html)).toContain("G1001-22");

    const db = getDb();
    const user = await db.user.findUniqueOrThrow({
      where: { email: "noor.haddad@example.test" },
      include: { registrations: true, roles: true, oidcIdentities: true, password: true },
    });
    expect(user).toMatchObject({ name: "Noor Haddad", regulator: "coto", registrationNumber: "G1001-22" });
    expect(user.registrations.map((r) => [r.regulatorId, r.number])).toEqual([["coto", "G1001-22"]]);
    expect(user.roles.map((r) => r.roleId)).toEqual(["learner"]);
    expect(user.oidcIdentities.map((i) => [i.regulatorId, i.subject, i.issuer])).toEqual([
      ["coto", "portal-1001", issuer],
    ]);
    expect(user.password).toBeNull();
    // The portal verified the address: so it is here (no verification mail to a portal account).
    expect(user.emailVerifiedAt).not.toBeNull();
    const created = await db.auditEntry.findMany({ where: { subject: `account:${user.id}` } });
    expect(created.map((e) => e.action)).toEqual(["account_created"]);

    // The portal renews the number and corrects the name: the next sign-in brings them over.
    registrants.set("portal-1001", {
      ...registrants.get("portal-1001"),
      name: "Noor Haddad-Saleh",
      registration_number: "G1001-23",
    });
    const again = await portalSignIn(new Client(server.url), "portal-1001");
    expect(again.answer.location).toBe("/cases");
    expect(await db.user.count({ where: { email: "noor.haddad@example.test" } })).toBe(1);
    const after = await db.user.findUniqueOrThrow({ where: { id: user.id }, include: { registrations: true } });
    expect(after).toMatchObject({ name: "Noor Haddad-Saleh", registrationNumber: "G1001-23" });
    expect(after.registrations.map((r) => r.number)).toEqual(["G1001-23"]);
    const audit = await db.auditEntry.findMany({ where: { subject: `account:${user.id}` }, orderBy: { id: "asc" } });
    expect(audit.map((e) => e.action)).toEqual(["account_created", "sso_name_synced", "registration_changed"]);
  });

  it("links an existing account by the email the portal verified, and staff still give their second step", async () => {
    await createUser({
      email: "author.sso@example.test",
      name: "Author Before",
      password: "a long and private passphrase",
      registrationNumber: "A-77",
      regulator: "coto",
      locale: "en",
      roles: ["author"],
    });
    const setup = new Client(server.url);
    await setup.login("author.sso@example.test", "a long and private passphrase");
    await setup.enrolTwoFactor("author.sso@example.test");

    registrants.set("portal-2002", {
      name: "Author Before",
      email: "Author.SSO@example.test",
      email_verified: true,
      registration_number: "A-77",
    });
    const browser = new Client(server.url);
    const { answer } = await portalSignIn(browser, "portal-2002");
    // No session yet: the same second step as after a right password.
    expect(answer.location).toBe("/login/two-factor");
    expect((await browser.get("/studio")).status).toBe(302);
    const user = await getDb().user.findUniqueOrThrow({
      where: { email: "author.sso@example.test" },
      include: { oidcIdentities: true },
    });
    expect(user.oidcIdentities.map((i) => i.subject)).toEqual(["portal-2002"]);
    expect(user.emailVerifiedAt).not.toBeNull();
  });

  it("does not take an unverified email into an existing account", async () => {
    await createUser({
      email: "kept.apart@example.test",
      name: "Kept Apart",
      password: "a long and private passphrase",
      registrationNumber: "K-1",
      regulator: "coto",
      locale: "en",
    });
    registrants.set("portal-3003", {
      name: "Someone Else",
      email: "kept.apart@example.test",
      email_verified: false,
      registration_number: "K-2",
    });
    const { answer } = await portalSignIn(new Client(server.url), "portal-3003");
    expect(answer.status).toBe(409);
    expect(text(answer.html)).toContain("the portal has not confirmed that the address is yours");
    expect(await getDb().oidcIdentity.count({ where: { subject: "portal-3003" } })).toBe(0);
  });

  it("refuses a callback whose state was not started in this browser", async () => {
    registrants.set("portal-4004", {
      name: "State Check",
      email: "state.check@example.test",
      email_verified: true,
      registration_number: "S-4004",
    });
    const victim = new Client(server.url);
    const callbackUrl = await toCallback(new Client(server.url), "portal-4004");
    // Replayed in another browser (no state cookie), then with a state altered.
    const replayed = await victim.get(callbackUrl);
    expect(replayed.status).toBe(400);
    expect(text(replayed.html)).toContain("could not be matched to one started in this browser");
    expect(replayed.headers.getSetCookie().some((c) => c.startsWith("__vignette_session="))).toBe(false);

    const browser = new Client(server.url);
    const started = await browser.get("/auth/oidc/coto");
    const state = new URL(started.location!).searchParams.get("state")!;
    const forged = await browser.get(`/auth/oidc/coto/callback?code=forged&state=${state}x`);
    expect(forged.status).toBe(400);
    expect(await getDb().user.count({ where: { email: "state.check@example.test" } })).toBe(0);
  });

  it("refuses a malformed registration number with a message, in English and French, and opens no account", async () => {
    registrants.set("portal-5005", {
      name: "Bad Number",
      email: "bad.number@example.test",
      email_verified: true,
      registration_number: "12 34!",
    });
    const { answer } = await portalSignIn(new Client(server.url), "portal-5005");
    expect(answer.status).toBe(422);
    expect(text(answer.html)).toContain("The registration number the portal sent (12 34!) does not have the form");
    const fr = await portalSignIn(new Client(server.url, { "Accept-Language": "fr" }), "portal-5005");
    expect(fr.answer.status).toBe(422);
    expect(text(fr.answer.html)).toContain("Le numéro d'inscription transmis par le portail (12 34!)");
    expect(await getDb().user.count({ where: { email: "bad.number@example.test" } })).toBe(0);
  });

  it("says so when the registrant declines at the portal", async () => {
    const { answer } = await portalSignIn(new Client(server.url), "portal-6006", { abort: true });
    expect(answer.status).toBe(403);
    expect(text(answer.html)).toContain("You declined to share your details");
  });

  it("refuses a deactivated account", async () => {
    registrants.set("portal-7007", {
      name: "Later Off",
      email: "later.off@example.test",
      email_verified: true,
      registration_number: "L-7007",
    });
    expect((await portalSignIn(new Client(server.url), "portal-7007")).answer.location).toBe("/cases");
    await getDb().user.update({ where: { email: "later.off@example.test" }, data: { deactivatedAt: new Date() } });
    const { answer } = await portalSignIn(new Client(server.url), "portal-7007");
    expect(answer.status).toBe(403);
    expect(text(answer.html)).toContain("This account is deactivated");
  });

  it("says the portal cannot be reached when it fails mid-way, with 502 and no session", async () => {
    registrants.set("portal-8008", {
      name: "Down Time",
      email: "down.time@example.test",
      email_verified: true,
      registration_number: "D-8008",
    });
    const browser = new Client(server.url);
    const callbackUrl = await toCallback(browser, "portal-8008");
    portal.answerWith((_req, res) => res.writeHead(503, { "Content-Type": "text/html" }).end("<h1>Maintenance</h1>"));
    try {
      const answer = await browser.get(callbackUrl);
      expect(answer.status).toBe(502);
      expect(text(answer.html)).toContain("The portal cannot be reached right now");
      expect((await browser.get("/me/registrations")).status).toBe(302);
    } finally {
      portal.answerWith(null);
    }
  });

  it("answers 404 for a regulator without a portal", async () => {
    expect((await new Client(server.url).get("/auth/oidc/demo-psychotherapy")).status).toBe(404);
  });
});

describe("signing out of a portal sign-in", () => {
  const sessionsOf = async (email: string) =>
    getDb().session.findMany({
      where: { user: { email } },
      select: { portal: true, portalIdToken: true },
    });

  it("ends the session here first, then at the portal, and comes back to the home page", async () => {
    registrants.set("portal-4001", {
      name: "Léa Logout",
      email: "lea.logout@example.test",
      email_verified: true,
      registration_number: "LO-4001",
    });
    const browser = new Client(server.url);
    const { answer } = await portalSignIn(browser, "portal-4001");
    expect(answer.status).toBe(302);
    // The portal's ID token is kept for the logout's hint, encrypted, never as the token itself.
    const [row] = await sessionsOf("lea.logout@example.test");
    expect(row?.portal).toBe("coto");
    expect(row?.portalIdToken).toMatch(/^v1\./);
    expect(row?.portalIdToken).not.toContain("eyJ");

    await browser.get("/me/account");
    const out = await browser.post("/logout", {});
    expect(out.status).toBe(302);
    const end = new URL(out.location!);
    expect(`${end.origin}${end.pathname}`).toBe(`${issuer}/session/end`);
    expect(end.searchParams.get("post_logout_redirect_uri")).toBe(`${server.url}/`);
    expect(end.searchParams.get("id_token_hint")).toMatch(/^eyJ/);
    expect(await sessionsOf("lea.logout@example.test")).toEqual([]);
    expect((await browser.get("/me/account")).status).toBe(302);

    // The portal accepts the hint (it asks the registrant to confirm) and sends them back to us.
    const confirm = await browser.get(end.href);
    expect(confirm.status).toBe(200);
    const form = /<form[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/.exec(confirm.html);
    expect(form, confirm.html).toBeTruthy();
    const fields = Object.fromEntries(
      [...form![2]!.matchAll(/<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]),
    );
    let page = await browser.post(
      new URL(form![1]!, issuer).href,
      { ...fields, logout: "yes" },
      {
        csrf: false,
        origin: issuer,
      },
    );
    let at = new URL(page.location!, issuer).href;
    for (let hops = 0; hops < 5 && !at.startsWith(server.url); hops++) {
      page = await browser.get(at);
      at = new URL(page.location!, at).href;
    }
    expect(at).toBe(`${server.url}/`);
  });

  it("keeps the portal through the second step of staff, and signs a password sign-in out here only", async () => {
    await createUser({
      email: "reviewer.sso@example.test",
      name: "Rita Review",
      password: "a long and private passphrase",
      registrationNumber: "A-88",
      regulator: "coto",
      locale: "en",
      roles: ["author"],
    });
    const setup = new Client(server.url);
    await setup.login("reviewer.sso@example.test", "a long and private passphrase");
    await setup.enrolTwoFactor("reviewer.sso@example.test");
    // A password sign-in has no portal: signing out goes home.
    await setup.get("/me/account");
    expect((await setup.post("/logout", {})).location).toBe("/");

    registrants.set("portal-4002", {
      name: "Rita Review",
      email: "reviewer.sso@example.test",
      email_verified: true,
      registration_number: "A-88",
    });
    const browser = new Client(server.url);
    const { answer } = await portalSignIn(browser, "portal-4002");
    expect(answer.location).toBe("/login/two-factor");
    await browser.get("/login/two-factor");
    const code = await browser.post("/login/two-factor", {
      code: await nextCode(server.url, "reviewer.sso@example.test"),
    });
    expect(code.status).toBe(302);
    expect((await sessionsOf("reviewer.sso@example.test")).map((s) => s.portal)).toEqual(["coto"]);
    await browser.get("/me/account");
    expect((await browser.post("/logout", {})).location).toContain(`${issuer}/session/end?`);
  });
});
