// Sessions live in the database; the cookie carries only the session id. Deleting the row signs that
// browser out, which is how logout and password changes revoke sessions
// (docs/decisions/005-server-sessions-security.md). A session unused for SESSION_IDLE_MINUTES is
// signed out; expired and idle rows are purged on each sign-in (docs/decisions/012-login-throttling.md).
import { randomBytes } from "node:crypto";
import { createCookie, redirect } from "@remix-run/node";
import { needsTwoFactorEnrolment } from "~/models/two-factor.server";
import { getDb } from "./db.server";
import { getEnv } from "./env.server";
import { hotPathSql } from "./hot-path-sql.server";
import { forbidden } from "./http.server";
import { effectiveRoles, hasRole, parseGrants, type Grant, type Role } from "./roles";

export type { Role };

const SESSION_DAYS = 14;

let cookie: ReturnType<typeof createCookie> | undefined;
function sessionCookie() {
  const env = getEnv();
  cookie ??= createCookie("__vignette_session", {
    httpOnly: true,
    sameSite: "lax",
    secure: env.NODE_ENV === "production" && process.env.VIGNETTE_INSECURE_COOKIES !== "1",
    path: "/",
    secrets: env.sessionSecrets,
    maxAge: SESSION_DAYS * 24 * 60 * 60,
  });
  return cookie;
}

export type SessionUser = {
  id: string;
  email: string;
  name: string;
  registrationNumber: string;
  regulator: string;
  locale: string;
  /** Every role the grants allow somewhere, implied ones included (hasRole reads this). */
  roles: string[];
  /** The roles as granted, each for a regulator or "*" (regulatorScope reads this). */
  grants: Grant[];
};

export type CurrentSession = { id: string; csrfToken: string; user: SessionUser };

function token(): string {
  return randomBytes(32).toString("base64url");
}

// The root loader and the page's loader both ask for the session of the same request: read it once.
const perRequest = new WeakMap<Request, Promise<CurrentSession | null>>();

/** The session behind the request's cookie, or null (unknown, expired or revoked). */
export function getCurrentSession(request: Request): Promise<CurrentSession | null> {
  let session = perRequest.get(request);
  if (!session) {
    session = readSession(request);
    perRequest.set(request, session);
  }
  return session;
}

async function readSession(request: Request): Promise<CurrentSession | null> {
  const id = await sessionCookie().parse(request.headers.get("Cookie"));
  if (typeof id !== "string" || id.length === 0) return null;
  // One hand-written statement for what every page needs (hot-path-sql.server.ts, ADR 007).
  const row = await hotPathSql().session(id);
  const now = Date.now();
  if (!row || row.expiresAt.getTime() <= now) return null;
  const idleMs = idleTimeoutMs();
  const lastSeen = row.lastSeenAt.getTime();
  if (now - lastSeen >= idleMs) return null;
  // At most one write a minute per session (sooner only for idle timeouts shorter than 4 minutes).
  if (now - lastSeen >= Math.min(60_000, idleMs / 4)) {
    await getDb().session.updateMany({ where: { id: row.id }, data: { lastSeenAt: new Date(now) } });
  }
  const grants = parseGrants(row.grants);
  return {
    id: row.id,
    csrfToken: row.csrfToken,
    user: {
      id: row.userId,
      email: row.email,
      name: row.name,
      registrationNumber: row.registrationNumber,
      regulator: row.regulator,
      locale: row.locale,
      roles: effectiveRoles(grants),
      grants,
    },
  };
}

const idleTimeoutMs = () => getEnv().SESSION_IDLE_MINUTES * 60_000;

/**
 * Starts a session for the user and returns its Set-Cookie value. Expired and idle sessions of
 * everyone are purged here, lazily: sign-ins are frequent enough, and no timer has to run.
 */
/**
 * A sign-in through a regulator's portal: which one, its ID token as encrypted for storage, and the
 * portal's session id (`sid`) when its ID token carried one, for the portal's back-channel logout.
 */
export type PortalSignIn = { portal: string; portalIdToken: string; portalSid?: string | null };

export async function startSession(userId: string, portal?: PortalSignIn): Promise<string> {
  const now = Date.now();
  const db = getDb();
  await db.session.deleteMany({
    where: { OR: [{ expiresAt: { lte: new Date(now) } }, { lastSeenAt: { lte: new Date(now - idleTimeoutMs()) } }] },
  });
  const id = token();
  await db.session.create({
    data: { id, userId, csrfToken: token(), expiresAt: new Date(now + SESSION_DAYS * 86_400_000), ...portal },
  });
  return sessionCookie().serialize(id);
}

/** Starts a session for the user and redirects with its cookie set. */
export async function createUserSession(userId: string, redirectTo: string, portal?: PortalSignIn): Promise<Response> {
  return redirect(redirectTo, { headers: { "Set-Cookie": await startSession(userId, portal) } });
}

/**
 * Ends the request's session (the row is deleted, so a copied cookie is useless): the cookie that
 * clears it, and the portal it came through, if any, for signing out there too.
 */
export async function endSession(request: Request): Promise<{ cookie: string; portal: PortalSignIn | null }> {
  const id = await sessionCookie().parse(request.headers.get("Cookie"));
  let portal: PortalSignIn | null = null;
  if (typeof id === "string") {
    const row = await getDb().session.findUnique({ where: { id }, select: { portal: true, portalIdToken: true } });
    if (row?.portal && row.portalIdToken) portal = { portal: row.portal, portalIdToken: row.portalIdToken };
    await getDb().session.deleteMany({ where: { id } });
  }
  return { cookie: await sessionCookie().serialize("", { maxAge: 0 }), portal };
}

/** Ends the request's session and redirects. */
export async function destroySession(request: Request, redirectTo = "/"): Promise<Response> {
  const { cookie } = await endSession(request);
  return redirect(redirectTo, { headers: { "Set-Cookie": cookie } });
}

const SAME_SITE = "http://same.invalid";

/**
 * Only same-site relative paths: never redirect to another origin, or a link to our login page could
 * send a person on to a look-alike site. The path is read the way a browser reads a Location header
 * (which drops tabs and newlines and takes "\" for "/", so "/\t/evil.example" would leave the site)
 * and must stay on this origin; the normalised path is what goes out.
 */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = "/"): string {
  if (typeof to !== "string" || !to.startsWith("/") || /\p{Cc}/u.test(to)) return fallback;
  let url: URL;
  try {
    url = new URL(to, SAME_SITE);
  } catch {
    return fallback;
  }
  if (url.origin !== SAME_SITE) return fallback;
  // Dot segments can normalise "/.//evil.example" to "//evil.example", another site to a browser.
  const path = url.pathname + url.search + url.hash;
  return path.startsWith("//") ? fallback : path;
}

export async function requireSession(request: Request): Promise<CurrentSession> {
  const session = await getCurrentSession(request);
  if (!session) {
    const url = new URL(request.url);
    throw redirect(`/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
  }
  return session;
}

export async function requireUser(request: Request): Promise<SessionUser> {
  return (await requireSession(request)).user;
}

/** The session, if its user holds one of the roles; otherwise 403 (signed in) or the login page. */
export async function requireRole(request: Request, ...roles: Role[]): Promise<CurrentSession> {
  const session = await requireSession(request);
  if (!hasRole(session.user, ...roles)) {
    throw forbidden();
  }
  // Staff pages wait until those who must use two-factor sign-in have set it up.
  if (await needsTwoFactorEnrolment(session.user)) {
    const url = new URL(request.url);
    throw redirect(`/me/two-factor?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
  }
  return session;
}
