// A registrant portal ends our sessions (OpenID Connect Back-Channel Logout 1.0; ADR 019): two real
// oidc-provider portals on 127.0.0.1 (COTO's and the psychotherapy college's) with their back-channel
// logout on, the production server configured with both, the test Client as the registrant's
// browser. Signing out at a portal makes the portal post a logout token to us, server to server;
// forged tokens are made with the portal's own key (or another) to show what is refused.
import { generateKeyPair } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "~/models/user.server";
import { getDb } from "~/utils/db.server";
import { nextCode } from "../support/authenticator";
import { Client } from "../support/client";
import { signInThroughPortal, signOutAtPortal, startPortal, type Portal } from "../support/oidc-provider";
import { startServer, type TestServer } from "../support/server";

let coto: Portal;
let other: Portal;
let server: TestServer;

beforeAll(async () => {
  coto = await startPortal("coto");
  other = await startPortal("demo-psychotherapy");
  const [a, b] = [coto.env(), other.env()];
  const providers = { ...JSON.parse(a.OIDC_PROVIDERS!), ...JSON.parse(b.OIDC_PROVIDERS!) };
  server = await startServer({ env: { ...a, ...b, OIDC_PROVIDERS: JSON.stringify(providers) } });
  coto.attach(server.url);
  other.attach(server.url);
});

afterAll(async () => {
  await server?.stop();
  await coto?.stop();
  await other?.stop();
});

let registrantCount = 0;
/** A registrant of `portal` signed in here through it, in a browser of their own. */
async function signedIn(portal: Portal, regulator: string, subject = `bcl-${++registrantCount}`) {
  portal.registrants.set(subject, {
    name: `Registrant ${subject}`,
    email: `${subject}@example.test`,
    email_verified: true,
    registration_number: `R-${subject}`,
  });
  const browser = new Client(server.url);
  const answer = await signInThroughPortal(browser, portal, server.url, regulator, subject);
  expect(answer.status, answer.html).toBe(302);
  expect((await browser.get("/me/account")).status).toBe(200);
  return { browser, subject, email: `${subject}@example.test` };
}

const sessionsOf = (email: string) =>
  getDb().session.findMany({ where: { user: { email } }, select: { id: true, portal: true, portalSid: true } });

/** Posts a logout token as a portal's server does (no cookie, no form token, no browser headers). */
function postLogoutToken(regulator: string, token: string, headers: Record<string, string> = {}) {
  return fetch(`${server.url}/auth/oidc/${regulator}/backchannel-logout`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams({ logout_token: token }),
    redirect: "manual",
  });
}

describe("signing out at the registrant portal", () => {
  it("ends our session from that portal sign-in: the next request is signed out", async () => {
    const lea = await signedIn(coto, "coto");
    const bystander = await signedIn(coto, "coto");
    const [row] = await sessionsOf(lea.email);
    // The portal's session id came in the ID token and is kept with the session.
    expect(row?.portal).toBe("coto");
    expect(row?.portalSid).toMatch(/.{10,}/);

    const before = coto.backchannelResults.length;
    const out = await signOutAtPortal(lea.browser, coto);
    expect(out.status).toBeLessThan(400);
    // The portal posted its logout token to us, and we answered 200.
    expect(coto.backchannelResults.slice(before)).toEqual(["ok"]);
    expect(await sessionsOf(lea.email)).toEqual([]);
    const next = await lea.browser.get("/me/account");
    expect(next.status).toBe(302);
    expect(next.location).toMatch(/^\/login\?/);
    // Somebody else's portal session is another sid: it stays.
    expect((await bystander.browser.get("/me/account")).status).toBe(200);
    expect(server.output()).toContain('"event":"auth.sso_backchannel_logout"');
  });

  it("ends every portal session of the linked account for a token that names only the subject", async () => {
    const first = await signedIn(coto, "coto");
    const second = new Client(server.url);
    expect((await signInThroughPortal(second, coto, server.url, "coto", first.subject)).status).toBe(302);
    const rows = await sessionsOf(first.email);
    expect(rows).toHaveLength(2);
    expect(new Set(rows.map((r) => r.portalSid)).size).toBe(2);

    const answer = await postLogoutToken("coto", await coto.signLogoutToken({ sub: first.subject }));
    expect(answer.status).toBe(200);
    expect(answer.headers.get("Cache-Control")).toBe("no-store");
    expect(await answer.text()).toBe("");
    expect(await sessionsOf(first.email)).toEqual([]);
    expect((await first.browser.get("/me/account")).status).toBe(302);
    expect((await second.get("/me/account")).status).toBe(302);
  });

  it("ends a staff member's second step still pending from that portal sign-in", async () => {
    await createUser({
      email: "bcl-staff@example.test",
      name: "Staff Pending",
      password: "a long and private passphrase",
      registrationNumber: "S-1",
      regulator: "coto",
      locale: "en",
      roles: ["author"],
    });
    const setup = new Client(server.url);
    await setup.login("bcl-staff@example.test", "a long and private passphrase");
    await setup.enrolTwoFactor("bcl-staff@example.test");
    coto.registrants.set("bcl-staff", {
      name: "Staff Pending",
      email: "bcl-staff@example.test",
      email_verified: true,
      registration_number: "S-1",
    });
    const browser = new Client(server.url);
    const answer = await signInThroughPortal(browser, coto, server.url, "coto", "bcl-staff");
    expect(answer.location).toBe("/login/two-factor");
    const pending = await getDb().pendingLogin.findFirstOrThrow({
      where: { user: { email: "bcl-staff@example.test" } },
    });
    expect(pending.portalSid).toMatch(/.{10,}/);

    const logout = await postLogoutToken("coto", await coto.signLogoutToken({ sid: pending.portalSid }));
    expect(logout.status).toBe(200);
    expect(await getDb().pendingLogin.count({ where: { id: pending.id } })).toBe(0);
    await browser.get("/login/two-factor");
    await browser.post("/login/two-factor", { code: await nextCode(server.url, "bcl-staff@example.test") });
    expect((await browser.get("/studio")).status).toBe(302);
    // The password session set up beforehand did not come from the portal: it stays.
    expect((await setup.get("/me/account")).status).toBe(200);
  });
});

describe("logout tokens that are refused", () => {
  it("answers 400 with a JSON error, and ends nothing, for each forgery", async () => {
    const victim = await signedIn(coto, "coto");
    const [row] = await sessionsOf(victim.email);
    const sid = row!.portalSid!;
    const { privateKey: wrongKey } = await generateKeyPair("RS256");
    const now = Math.floor(Date.now() / 1000);
    const unsigned = (claims: object) =>
      `${Buffer.from('{"alg":"none"}').toString("base64url")}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.`;
    // Each forgery, and the reason it must be refused for (the answer's error_description).
    const forgeries: [string, Promise<string>, string][] = [
      ["another key (same kid)", coto.signLogoutToken({ sid }, { key: wrongKey }), "published keys"],
      ["another audience", coto.signLogoutToken({ sid, aud: "someone-else" }), "not addressed to this client"],
      ["another issuer", coto.signLogoutToken({ sid, iss: "https://portal.example.test" }), "not issued by"],
      ["no events claim", coto.signLogoutToken({ sid, events: undefined }), "back-channel logout event"],
      ["another event", coto.signLogoutToken({ sid, events: { "https://example.test/e": {} } }), "logout event"],
      ["a nonce", coto.signLogoutToken({ sid, nonce: "n-0S6_WzA2Mj" }), "must not contain a nonce"],
      ["issued an hour ago", coto.signLogoutToken({ sid, iat: now - 3600, exp: now + 60 }), "too old"],
      ["issued in the future", coto.signLogoutToken({ sid, iat: now + 3600, exp: now + 7200 }), "in the future"],
      ["expired", coto.signLogoutToken({ sid, iat: now - 200, exp: now - 100 }), "expired"],
      ["neither sid nor sub", coto.signLogoutToken({}), "neither a sid nor a sub"],
      ["no jti", coto.signLogoutToken({ sid, jti: undefined }), "not a signed JWT with the claims"],
      ["an access token's type", coto.signLogoutToken({ sid }, { header: { typ: "at+jwt" } }), "another type"],
      ["not a JWT", Promise.resolve("not-a-token"), "not a signed JWT"],
      [
        "unsigned (alg none)",
        Promise.resolve(unsigned({ iss: coto.issuer, aud: "vignette", iat: now, jti: "x", sid, events: {} })),
        "not a signed JWT",
      ],
    ];
    for (const [what, token, reason] of forgeries) {
      const answer = await postLogoutToken("coto", await token);
      expect(answer.status, what).toBe(400);
      expect(answer.headers.get("Cache-Control"), what).toBe("no-store");
      const body = (await answer.json()) as { error: string; error_description: string };
      expect(body.error, what).toBe("invalid_request");
      expect(body.error_description, what).toContain(reason);
    }
    expect(await sessionsOf(victim.email)).toHaveLength(1);
    expect((await victim.browser.get("/me/account")).status).toBe(200);
    expect(server.output()).toContain('"step":"backchannel-logout"');
  });

  it("refuses a token used already (its jti), even once the person signed in again", async () => {
    const lea = await signedIn(coto, "coto");
    const token = await coto.signLogoutToken({ sub: lea.subject });
    expect((await postLogoutToken("coto", token)).status).toBe(200);
    expect(await sessionsOf(lea.email)).toEqual([]);
    const again = new Client(server.url);
    expect((await signInThroughPortal(again, coto, server.url, "coto", lea.subject)).status).toBe(302);

    const replayed = await postLogoutToken("coto", token);
    expect(replayed.status).toBe(400);
    expect(await replayed.json()).toMatchObject({
      error: "invalid_request",
      error_description: expect.stringContaining("jti"),
    });
    expect((await again.get("/me/account")).status).toBe(200);
  });

  it("does not let another regulator's portal end this portal's sessions", async () => {
    const lea = await signedIn(coto, "coto");
    const [row] = await sessionsOf(lea.email);
    const claims = { sid: row!.portalSid!, sub: lea.subject };
    // Signed by the other portal, for this one's endpoint: not this portal's key nor issuer.
    expect((await postLogoutToken("coto", await other.signLogoutToken(claims))).status).toBe(400);
    // Signed by this portal, posted to the other's endpoint: not that portal's key nor issuer.
    expect((await postLogoutToken("demo-psychotherapy", await coto.signLogoutToken(claims))).status).toBe(400);
    // The other portal's genuine token naming this portal's sid and subject: valid there, nothing of ours.
    expect((await postLogoutToken("demo-psychotherapy", await other.signLogoutToken(claims))).status).toBe(200);
    expect(await sessionsOf(lea.email)).toHaveLength(1);
    expect((await lea.browser.get("/me/account")).status).toBe(200);
  });

  it("takes the portal's post from another origin, which every browser form of ours is refused", async () => {
    const crossSite = { Origin: "https://portal.example.test", "Sec-Fetch-Site": "cross-site" };
    const answer = await postLogoutToken("coto", "not-a-token", crossSite);
    expect(answer.status).toBe(400);
    expect(await answer.json()).toMatchObject({ error: "invalid_request" });
    const logout = await fetch(`${server.url}/logout`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", ...crossSite },
      body: "",
      redirect: "manual",
    });
    expect(logout.status).toBe(403);
  });

  it("answers a request that is not a logout token with 4xx, never 500", async () => {
    const post = (body: string, type: string) =>
      fetch(`${server.url}/auth/oidc/coto/backchannel-logout`, {
        method: "POST",
        headers: { "Content-Type": type },
        body,
        redirect: "manual",
      });
    expect((await post("", "application/x-www-form-urlencoded")).status).toBe(400);
    expect((await post('{"logout_token":"x"}', "application/json")).status).toBe(400);
    expect((await post("logout_token=%E0%A4%A", "application/x-www-form-urlencoded")).status).toBe(400);
    expect((await fetch(`${server.url}/auth/oidc/coto/backchannel-logout`)).status).toBe(405);
    expect((await postLogoutToken("no-such-regulator", "x.y.z")).status).toBe(404);
  });
});
