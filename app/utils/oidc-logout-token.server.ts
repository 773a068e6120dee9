// A registrant portal's logout token (OpenID Connect Back-Channel Logout 1.0, §2.4 and §2.6; ADR 019):
// a JWT the portal posts to /auth/oidc/<regulator>/backchannel-logout when a registrant signs out
// there. Its signature is checked with jose against the keys the portal publishes (its jwks_uri, from
// the discovery openid-client already does for the sign-in); then the claims the specification
// requires. What the token names is ended by models/portal-logout.server.ts; its jti is kept there.
import * as jose from "jose";
import { isLoopbackIssuer, type OidcProvider } from "./oidc-config";
import { portalMetadata } from "./oidc.server";
import { fail, ok, type Result } from "./result";

export const BACKCHANNEL_LOGOUT_EVENT = "http://schemas.openid.net/event/backchannel-logout";
/** A logout token issued longer ago than this is refused; its jti is remembered as long. */
export const LOGOUT_TOKEN_MAX_AGE_SECONDS = 5 * 60;
/** The clocks of the portal and of this server may disagree by this much. */
const CLOCK_TOLERANCE_SECONDS = 60;
/** Signatures with the portal's published (public) keys only: no "none", no shared-secret HMAC. */
const ALGORITHMS = [
  "RS256",
  "RS384",
  "RS512",
  "PS256",
  "PS384",
  "PS512",
  "ES256",
  "ES384",
  "ES512",
  "EdDSA",
  "Ed25519",
];
/** A logout token is explicitly typed (§4.1); portals written before that send "JWT" or nothing. */
const TYPES = new Set(["logout+jwt", "application/logout+jwt", "jwt"]);
const MAX_TOKEN_LENGTH = 16_384;
const PORTAL_TIMEOUT_MS = 10_000;

export type LogoutTokenProblem =
  /** Not a signed JWT (an encrypted one included: we register no encryption key), or a claim of the wrong kind. */
  | "malformed"
  /** Not signed by one of the portal's keys, or with an algorithm we do not take. */
  | "bad-signature"
  | "wrong-issuer"
  | "wrong-audience"
  /** Issued too long ago, in the future, or expired. */
  | "stale"
  /** A JWT of another type (typ), or without the back-channel logout event: not a logout token. */
  | "not-logout-token"
  /** A nonce claim: forbidden in a logout token (it would let one pass for an ID token). */
  | "has-nonce"
  /** Neither sid nor sub: nothing to end. */
  | "no-subject"
  /** The portal's discovery document or keys could not be fetched: the token could not be checked. */
  | "unavailable";

export type LogoutToken = {
  jti: string;
  /** The portal's session id: when present, only sessions from that portal session end. */
  sid: string | null;
  /** The portal's subject: when present without sid, every session of the account linked to it ends. */
  sub: string | null;
  issuer: string;
  /** Until when its jti must be remembered: a copy is refused as stale after that. */
  keepUntil: Date;
};

const keySets = new Map<string, { uri: string; keys: ReturnType<typeof jose.createRemoteJWKSet> }>();

/** The portal's published keys, fetched when needed (jose caches them and refetches for a new kid). */
function portalKeys(provider: OidcProvider, jwksUri: string) {
  const hit = keySets.get(provider.regulator);
  if (hit?.uri === jwksUri) return hit.keys;
  const keys = jose.createRemoteJWKSet(new URL(jwksUri), { timeoutDuration: PORTAL_TIMEOUT_MS });
  keySets.set(provider.regulator, { uri: jwksUri, keys });
  return keys;
}

function problemOf(error: unknown): LogoutTokenProblem {
  if (error instanceof jose.errors.JWTExpired) return "stale";
  if (error instanceof jose.errors.JWTClaimValidationFailed) {
    if (error.claim === "iss") return "wrong-issuer";
    if (error.claim === "aud") return "wrong-audience";
    if (error.claim === "iat" || error.claim === "nbf") return "stale";
    return "malformed";
  }
  if (
    error instanceof jose.errors.JWSSignatureVerificationFailed ||
    error instanceof jose.errors.JWKSNoMatchingKey ||
    error instanceof jose.errors.JWKSMultipleMatchingKeys ||
    error instanceof jose.errors.JOSEAlgNotAllowed
  ) {
    return "bad-signature";
  }
  if (error instanceof jose.errors.JWKSTimeout || error instanceof jose.errors.JWKSInvalid) return "unavailable";
  if (error instanceof jose.errors.JOSEError) return "malformed";
  // fetch's TypeError (refused, reset, DNS) and the timeout's abort, while fetching the keys.
  if (error instanceof TypeError || (error instanceof Error && /^(AbortError|TimeoutError)$/.test(error.name))) {
    return "unavailable";
  }
  throw error;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const text = (value: unknown): string | null =>
  typeof value === "string" && value.length > 0 && value.length <= 255 ? value : null;

/** The portal's logout token checked (§2.6): what it asks to end, or why it is refused. */
export async function verifyLogoutToken(
  provider: OidcProvider,
  token: unknown,
): Promise<Result<LogoutToken, LogoutTokenProblem>> {
  // Three base64url parts: a JWS in compact form (five would be an encrypted JWT).
  if (typeof token !== "string" || token.length > MAX_TOKEN_LENGTH || !/^[\w-]+\.[\w-]+\.[\w-]+$/.test(token)) {
    return fail("malformed");
  }
  let jwksUri: string | undefined;
  let issuer: string;
  try {
    const metadata = await portalMetadata(provider);
    ({ jwks_uri: jwksUri, issuer } = metadata);
  } catch {
    return fail("unavailable");
  }
  // The keys over https, as openid-client fetches everything else (plain http only to this machine).
  if (!jwksUri || (!/^https:/.test(jwksUri) && !(/^http:/.test(jwksUri) && isLoopbackIssuer(jwksUri)))) {
    return fail("unavailable");
  }
  let verified: jose.JWTVerifyResult;
  try {
    verified = await jose.jwtVerify(token, portalKeys(provider, jwksUri), {
      issuer,
      audience: provider.clientId,
      algorithms: ALGORITHMS,
      maxTokenAge: LOGOUT_TOKEN_MAX_AGE_SECONDS,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      requiredClaims: ["iat"],
    });
  } catch (error) {
    return fail(problemOf(error));
  }
  const { payload, protectedHeader } = verified;
  if (protectedHeader.typ !== undefined && !TYPES.has(protectedHeader.typ.toLowerCase())) {
    return fail("not-logout-token");
  }
  if (!isObject(payload.events) || !isObject(payload.events[BACKCHANNEL_LOGOUT_EVENT])) {
    return fail("not-logout-token");
  }
  if ("nonce" in payload) return fail("has-nonce");
  const jti = text(payload.jti);
  if (!jti || (payload.sid !== undefined && !text(payload.sid)) || (payload.sub !== undefined && !text(payload.sub))) {
    return fail("malformed");
  }
  const sid = text(payload.sid);
  const sub = text(payload.sub);
  if (!sid && !sub) return fail("no-subject");
  const keepUntil = new Date(((payload.iat ?? 0) + LOGOUT_TOKEN_MAX_AGE_SECONDS + CLOCK_TOLERANCE_SECONDS) * 1000);
  return ok({ jti, sid, sub, issuer, keepUntil });
}
