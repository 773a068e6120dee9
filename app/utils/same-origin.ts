// The one rule for "did this request come from another site", used by the server before a request
// reaches the app (scripts/serve.js, through the build's entry module) and by the actions' CSRF
// checks (csrf.server.ts), so the two can never disagree.

export type OriginHeaders = {
  origin: string | null;
  secFetchSite: string | null;
  host: string | null;
  forwardedHost: string | null;
};

/**
 * The host the browser addressed. Behind a reverse proxy (TRUST_PROXY set) that is the proxy's
 * X-Forwarded-Host (its first value); otherwise the Host header. A client cannot make a browser
 * send a forged X-Forwarded-Host on a form post, and without a trusted proxy it is ignored anyway.
 */
export function addressedHost(headers: OriginHeaders, trustProxy: boolean): string | null {
  const forwarded = trustProxy ? headers.forwardedHost?.split(",")[0]?.trim() : undefined;
  return forwarded || headers.host;
}

/**
 * True when a browser says the request is cross-site: Sec-Fetch-Site other than same-origin/none,
 * "Origin: null" (sandboxed frames, data: pages), an unparsable Origin, or an Origin whose host is
 * not the one addressed. A request without either header (curl, an old browser) is not called
 * cross-site here; the forms' CSRF tokens still stand in its way.
 */
export function isCrossSite(headers: OriginHeaders, trustProxy: boolean): boolean {
  const site = headers.secFetchSite;
  if (site && site !== "same-origin" && site !== "none") return true;
  const origin = headers.origin;
  if (origin === null) return false;
  if (origin === "null") return true;
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return true;
  }
  return originHost !== addressedHost(headers, trustProxy);
}

/**
 * The one exception to the rule: a registrant portal's back-channel logout
 * (/auth/oidc/<regulator>/backchannel-logout, ADR 019) is posted by the portal's server, not by a
 * browser of ours, so it has no session and no form token, and whatever Origin its HTTP client
 * sends is not this site's. A signed logout token authenticates it instead; ending sessions is all it
 * can do. Nothing else may be posted from another site.
 */
export function crossSitePostAllowed(pathname: string): boolean {
  return /^\/auth\/oidc\/[^/]+\/backchannel-logout$/.test(pathname);
}

/** The headers the rule reads, from a Fetch API request. */
export function originHeadersOf(request: Request): OriginHeaders {
  return {
    origin: request.headers.get("Origin"),
    secFetchSite: request.headers.get("Sec-Fetch-Site"),
    host: request.headers.get("Host"),
    forwardedHost: request.headers.get("X-Forwarded-Host"),
  };
}

/** Whether the deployment runs behind a reverse proxy it trusts (TRUST_PROXY, as Express reads it). */
export function trustsProxy(env: Record<string, string | undefined> = process.env): boolean {
  const value = env.TRUST_PROXY;
  return value !== undefined && value !== "" && value !== "0" && value !== "false";
}
