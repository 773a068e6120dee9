// A regulator's registrant portal for tests (ADR 019): a real OpenID Connect provider (oidc-provider,
// with its development login page that takes any password) on 127.0.0.1, in the test process. It
// listens before the app starts, so that the app can be told its issuer (env()); its client is
// registered once the app's own address, the redirect URI, is known (attach()). Its back-channel
// logout is on: signing out at the portal posts a logout token to the app, signed with the portal's
// key, which the tests also hold to forge tokens the portal never sent (signLogoutToken()).
import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from "jose";
import Provider from "oidc-provider";
import type { Client, Page } from "./client";

export const PORTAL_CLIENT_ID = "vignette";
export const PORTAL_CLIENT_SECRET = "portal-client-secret-for-tests-0123456789";
export const PORTAL_LABEL = {
  en: "Sign in with the COTO registrant portal",
  fr: "Se connecter avec le portail des membres de l'OEO",
};

export type Portal = {
  issuer: string;
  /** The portal's registrants by subject: the claims it releases about each. */
  registrants: Map<string, Record<string, unknown>>;
  /** OIDC_PROVIDERS and the client secret that configure the app with this portal for `regulator`. */
  env: () => Record<string, string>;
  /** Registers the app at `appUrl` as the portal's client and starts answering as the provider. */
  attach: (appUrl: string) => void;
  /** Answers with `listener` instead of the provider (for "the portal is down"); null goes back to the provider. */
  answerWith: (listener: http.RequestListener | null) => void;
  /** The key id of the portal's signing key, as published at its jwks_uri. */
  kid: string;
  /**
   * A logout token as the portal would sign it (iss, aud, iat, exp, jti and the back-channel event
   * set), with `claims` over those (undefined removes one) and, for forgeries, another key or header.
   */
  signLogoutToken: (
    claims?: Record<string, unknown>,
    options?: { key?: CryptoKey; header?: Record<string, unknown> },
  ) => Promise<string>;
  /** What the portal's back-channel logout calls to the app came to: "ok" or the error's message. */
  backchannelResults: string[];
  stop: () => Promise<void>;
};

export async function startPortal(regulator = "coto"): Promise<Portal> {
  const registrants = new Map<string, Record<string, unknown>>();
  // Until attach(), the portal's port answers 503, as a portal not ready would.
  let providerHandler: http.RequestListener = (_req, res) => res.writeHead(503).end();
  let override: http.RequestListener | null = null;
  const server = http.createServer((req, res) => (override ?? providerHandler)(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const kid = `portal-key-${regulator}`;
  const { privateKey } = await generateKeyPair("RS256", { extractable: true });
  const signingJwk = { ...(await exportJWK(privateKey)), kid, alg: "RS256", use: "sig" };
  const backchannelResults: string[] = [];

  return {
    issuer,
    registrants,
    env: () => ({
      OIDC_PROVIDERS: JSON.stringify({
        [regulator]: {
          issuer,
          clientId: PORTAL_CLIENT_ID,
          scopes: "openid email profile registration",
          label: PORTAL_LABEL,
        },
      }),
      [`OIDC_${regulator.toUpperCase().replace(/-/g, "_")}_CLIENT_SECRET`]: PORTAL_CLIENT_SECRET,
    }),
    attach: (appUrl) => {
      const provider = new Provider(issuer, {
        clients: [
          {
            client_id: PORTAL_CLIENT_ID,
            client_secret: PORTAL_CLIENT_SECRET,
            redirect_uris: [`${appUrl}/auth/oidc/${regulator}/callback`],
            post_logout_redirect_uris: [`${appUrl}/`],
            backchannel_logout_uri: `${appUrl}/auth/oidc/${regulator}/backchannel-logout`,
            backchannel_logout_session_required: true,
            grant_types: ["authorization_code"],
            response_types: ["code"],
          },
        ],
        claims: {
          openid: ["sub"],
          email: ["email", "email_verified"],
          profile: ["name"],
          registration: ["registration_number"],
        },
        scopes: ["openid", "email", "profile", "registration"],
        cookies: { keys: ["portal-cookie-key-for-tests-0123456789"] },
        jwks: { keys: [signingJwk] },
        features: { backchannelLogout: { enabled: true } },
        // The provider refuses to post to special-use addresses (SSRF protection); the app is on 127.0.0.1.
        fetch: (url, options) => globalThis.fetch(url, { ...options, dispatcher: undefined } as RequestInit),
        findAccount: (_ctx, sub) => ({ accountId: sub, claims: () => ({ sub, ...registrants.get(sub) }) }),
        // A first-party portal: the registrant is not asked to consent to sharing with their regulator's CE site.
        loadExistingGrant: async (ctx) => {
          const grant = new ctx.oidc.provider.Grant({
            clientId: ctx.oidc.client!.clientId,
            accountId: ctx.oidc.session!.accountId!,
          });
          grant.addOIDCScope("openid email profile registration");
          await grant.save();
          return grant;
        },
      });
      provider.on("backchannel.success", () => backchannelResults.push("ok"));
      provider.on("backchannel.error", (_ctx, error: Error) => backchannelResults.push(error.message));
      const callback = provider.callback();
      providerHandler = (req, res) => void callback(req, res);
    },
    answerWith: (listener) => {
      override = listener;
    },
    kid,
    backchannelResults,
    signLogoutToken: async (claims = {}, options = {}) => {
      const now = Math.floor(Date.now() / 1000);
      const payload: Record<string, unknown> = {
        iss: issuer,
        aud: PORTAL_CLIENT_ID,
        iat: now,
        exp: now + 120,
        jti: randomUUID(),
        events: { "http://schemas.openid.net/event/backchannel-logout": {} },
        ...claims,
      };
      for (const [name, value] of Object.entries(payload)) if (value === undefined) delete payload[name];
      return new SignJWT(payload as JWTPayload)
        .setProtectedHeader({ alg: "RS256", kid, typ: "logout+jwt", ...options.header })
        .sign(options.key ?? privateKey);
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * A sign-in through `portal` as a browser makes it (no JavaScript): /auth/oidc/<regulator>, the
 * provider's development login page (any password), back to the app's callback; the app's answer.
 */
export async function signInThroughPortal(
  browser: Client,
  portal: Portal,
  appUrl: string,
  regulator: string,
  subject: string,
): Promise<Page> {
  let page = await browser.get(`/auth/oidc/${regulator}`);
  let at = page.location ?? "";
  for (let hops = 0; hops < 10 && at; hops++) {
    page = await browser.get(at);
    if (!page.location) break;
    at = new URL(page.location, at).href;
  }
  const form = /<form[^>]*action="([^"]+)"/.exec(page.html);
  if (!form) throw new Error(`no login form at the portal: ${page.status} ${page.html.slice(0, 200)}`);
  const submitUrl = form[1]!.replace(/&amp;/g, "&");
  page = await browser.post(
    submitUrl,
    { prompt: "login", login: subject, password: "anything" },
    { csrf: false, origin: portal.issuer },
  );
  at = new URL(page.location!, submitUrl).href;
  for (let hops = 0; hops < 10 && !at.startsWith(appUrl); hops++) {
    page = await browser.get(at);
    at = new URL(page.location!, at).href;
  }
  return browser.get(at);
}

/**
 * The registrant signs out at the portal itself (its end-session page, confirmed): the portal ends
 * its session and posts a logout token to each client's back-channel logout URI before it answers.
 */
export async function signOutAtPortal(browser: Client, portal: Portal): Promise<Page> {
  const confirm = await browser.get(`${portal.issuer}/session/end`);
  const form = /<form[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/.exec(confirm.html);
  if (!form) throw new Error(`no logout form at the portal: ${confirm.status}`);
  const fields = Object.fromEntries(
    [...form[2]!.matchAll(/<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]),
  );
  return browser.post(
    new URL(form[1]!, portal.issuer).href,
    { ...fields, logout: "yes" },
    { csrf: false, origin: portal.issuer },
  );
}
