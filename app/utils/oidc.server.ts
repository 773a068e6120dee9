// The OpenID Connect conversation with a registrant portal (openid-client; docs/decisions/019-oidc-sign-in.md):
// authorization code with PKCE (S256), state and nonce. What the callback must check comes back in a
// signed, httpOnly cookie of ten minutes on /auth/oidc, never in the URL. Failures are codes the
// routes turn into a page (4xx for the browser's or the person's side, 502 for the portal's).
import { timingSafeEqual } from "node:crypto";
import { createCookie } from "@remix-run/node";
import * as client from "openid-client";
import type { Locale } from "~/i18n";
import { getRegulator, regulatorDisplayName } from "~/models/regulator.server";
import { getEnv } from "./env.server";
import { isLoopbackIssuer, type OidcProvider } from "./oidc-config";
import { fail, ok, type Result } from "./result";

const STATE_TTL_SECONDS = 10 * 60;
/** How long a portal may take to answer one request before we say it is unavailable. */
const PORTAL_TIMEOUT_SECONDS = 10;
/** Discovered metadata is kept this long (a portal's keys and endpoints change rarely). */
const DISCOVERY_TTL_MS = 60 * 60 * 1000;

/** The portal configured for a regulator, or null. */
export function oidcProvider(regulator: string | undefined): OidcProvider | null {
  return (regulator && getEnv().oidcProviders.get(regulator)) || null;
}

/** The "Sign in with …" buttons of /login: each configured portal whose regulator has a profile. */
export async function portalButtons(
  locale: Locale,
): Promise<{ regulator: string; label: string | null; portal: string }[]> {
  const buttons = [];
  for (const provider of getEnv().oidcProviders.values()) {
    const profile = await getRegulator(provider.regulator);
    if (!profile) continue;
    buttons.push({
      regulator: provider.regulator,
      label: provider.label?.[locale] ?? null,
      portal: profile.shortName?.[locale] ?? regulatorDisplayName(profile, provider.regulator, locale),
    });
  }
  return buttons;
}

// --- The state cookie -------------------------------------------------------------------------

type PendingAuthorization = { regulator: string; state: string; nonce: string; verifier: string; redirectTo: string };

let cookie: ReturnType<typeof createCookie> | undefined;
function stateCookie() {
  const env = getEnv();
  cookie ??= createCookie("__vignette_oidc", {
    httpOnly: true,
    // Lax: the portal's redirect back is a top-level GET, which carries it.
    sameSite: "lax",
    secure: env.NODE_ENV === "production" && process.env.VIGNETTE_INSECURE_COOKIES !== "1",
    path: "/auth/oidc",
    secrets: env.sessionSecrets,
    maxAge: STATE_TTL_SECONDS,
  });
  return cookie;
}

async function readPending(request: Request): Promise<PendingAuthorization | null> {
  const value: unknown = await stateCookie().parse(request.headers.get("Cookie"));
  if (!value || typeof value !== "object") return null;
  const v = value as Record<string, unknown>;
  const fields = ["regulator", "state", "nonce", "verifier", "redirectTo"] as const;
  return fields.every((f) => typeof v[f] === "string") ? (v as PendingAuthorization) : null;
}

/** The Set-Cookie value that removes the state cookie (after any callback, good or bad). */
export function clearPendingAuthorization(): Promise<string> {
  return stateCookie().serialize("", { maxAge: 0 });
}

// --- The portal -------------------------------------------------------------------------------

const discovered = new Map<string, { at: number; config: Promise<client.Configuration> }>();

/** The portal's discovered metadata (issuer, endpoints, jwks_uri); rejects when the portal does not answer. */
export async function portalMetadata(provider: OidcProvider): Promise<client.ServerMetadata> {
  return (await configurationOf(provider)).serverMetadata();
}

function configurationOf(provider: OidcProvider): Promise<client.Configuration> {
  const key = `${provider.regulator}|${provider.issuer}|${provider.clientId}`;
  const hit = discovered.get(key);
  if (hit && Date.now() - hit.at < DISCOVERY_TTL_MS) return hit.config;
  const auth =
    provider.tokenAuth === "client_secret_post"
      ? client.ClientSecretPost(provider.clientSecret)
      : client.ClientSecretBasic(provider.clientSecret);
  const config = client.discovery(new URL(provider.issuer), provider.clientId, undefined, auth, {
    timeout: PORTAL_TIMEOUT_SECONDS,
    // Plain http only to this machine (the configuration refuses it for any other host).
    execute: isLoopbackIssuer(provider.issuer) ? [client.allowInsecureRequests] : [],
  });
  discovered.set(key, { at: Date.now(), config });
  // A portal that was down is asked again next time.
  config.catch(() => discovered.delete(key));
  return config;
}

/** Our callback URL for the regulator: PUBLIC_URL's origin when set, else the request's. */
function redirectUri(provider: OidcProvider, request: Request): URL {
  const origin = getEnv().PUBLIC_URL ?? new URL(request.url).origin;
  return new URL(`/auth/oidc/${encodeURIComponent(provider.regulator)}/callback`, origin);
}

export type PortalFailure =
  /** No state cookie, one for another regulator or another attempt, or a state that does not match. */
  | "bad-state"
  /** The person declined at the portal (access_denied). */
  | "denied"
  /** The portal answered the authorization with another error (login_required, invalid_request…). */
  | "portal-error"
  /** The code was refused at the token endpoint: used already, or too old. */
  | "expired"
  /** The portal's answer failed a check (ID token signature, issuer, audience, nonce, subject). */
  | "invalid-response"
  /** The portal did not answer, or not as OpenID Connect says it must. */
  | "unavailable";

function failureOf(error: unknown): PortalFailure {
  if (error instanceof client.AuthorizationResponseError) {
    return error.error === "access_denied" ? "denied" : "portal-error";
  }
  if (error instanceof client.ResponseBodyError) {
    return error.error === "invalid_grant" ? "expired" : "unavailable";
  }
  if (error instanceof client.ClientError) {
    return error.code === "OAUTH_RESPONSE_IS_NOT_CONFORM" || error.code === "OAUTH_RESPONSE_IS_NOT_JSON"
      ? "unavailable"
      : "invalid-response";
  }
  // fetch's TypeError (refused, reset, DNS) and the timeout's abort.
  if (error instanceof TypeError || (error instanceof Error && /^(AbortError|TimeoutError)$/.test(error.name))) {
    return "unavailable";
  }
  throw error;
}

/** Where to send the browser to sign in at the portal, and the state cookie to set on the way. */
export async function beginAuthorization(
  provider: OidcProvider,
  request: Request,
  redirectTo: string,
): Promise<Result<{ url: string; cookie: string }, PortalFailure>> {
  let config: client.Configuration;
  try {
    config = await configurationOf(provider);
  } catch (error) {
    return fail(failureOf(error));
  }
  const pending: PendingAuthorization = {
    regulator: provider.regulator,
    state: client.randomState(),
    nonce: client.randomNonce(),
    verifier: client.randomPKCECodeVerifier(),
    redirectTo,
  };
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri(provider, request).href,
    scope: provider.scopes,
    response_type: "code",
    code_challenge: await client.calculatePKCECodeChallenge(pending.verifier),
    code_challenge_method: "S256",
    state: pending.state,
    nonce: pending.nonce,
  });
  return ok({ url: url.href, cookie: await stateCookie().serialize(pending) });
}

const sameText = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));

/**
 * The portal's answer at our callback: the code exchanged (PKCE verifier, state and nonce checked
 * by openid-client), the ID token's claims with the userinfo endpoint's over them, and where the
 * person was going. The state is compared here first, so a forged or replayed callback is
 * "bad-state" before anything is sent to the portal.
 */
export async function completeAuthorization(
  provider: OidcProvider,
  request: Request,
): Promise<
  Result<
    { claims: Record<string, unknown>; issuer: string; redirectTo: string; idToken: string; sid: string | null },
    PortalFailure
  >
> {
  const pending = await readPending(request);
  const params = new URL(request.url).searchParams;
  const state = params.get("state") ?? "";
  if (!pending || pending.regulator !== provider.regulator || !sameText(state, pending.state)) {
    return fail("bad-state");
  }
  // The URL the portal redirected to, as we registered it (not as a proxy in front rewrote it).
  const current = redirectUri(provider, request);
  current.search = params.toString();
  try {
    const config = await configurationOf(provider);
    const tokens = await client.authorizationCodeGrant(config, current, {
      pkceCodeVerifier: pending.verifier,
      expectedState: pending.state,
      expectedNonce: pending.nonce,
      idTokenExpected: true,
    });
    const idToken = tokens.claims();
    if (!idToken || !tokens.id_token) return fail("invalid-response");
    let claims: Record<string, unknown> = { ...idToken };
    // Many portals put profile claims only in userinfo (the code flow's ID token may be minimal).
    if (config.serverMetadata().userinfo_endpoint) {
      const info = await client.fetchUserInfo(config, tokens.access_token, idToken.sub);
      claims = { ...claims, ...info, sub: idToken.sub };
    }
    return ok({
      claims,
      issuer: config.serverMetadata().issuer,
      redirectTo: pending.redirectTo,
      idToken: tokens.id_token,
      // The portal's session, for its back-channel logout (sent by portals that support it).
      sid: typeof idToken.sid === "string" && idToken.sid.length > 0 ? idToken.sid : null,
    });
  } catch (error) {
    return fail(failureOf(error));
  }
}

/**
 * Where to send the browser after our session of a portal sign-in ended, so that it ends at the
 * portal too (OpenID Connect RP-initiated logout): the portal's end_session_endpoint with the ID
 * token as id_token_hint and our home page to come back to (register `<origin>/` as the client's
 * post-logout redirect URI). Null when the portal publishes no such endpoint, is not configured any
 * more, or does not answer: the person is signed out of Vignette either way.
 */
export async function portalLogoutUrl(regulator: string, idToken: string, request: Request): Promise<string | null> {
  const provider = oidcProvider(regulator);
  if (!provider) return null;
  let config: client.Configuration;
  try {
    config = await configurationOf(provider);
  } catch {
    return null;
  }
  if (!config.serverMetadata().end_session_endpoint) return null;
  const origin = getEnv().PUBLIC_URL ?? new URL(request.url).origin;
  return client.buildEndSessionUrl(config, {
    id_token_hint: idToken,
    post_logout_redirect_uri: new URL("/", origin).href,
  }).href;
}
