// Sessions live in the database; the cookie carries only the session id (house habit 4). Deleting
// the row signs that browser out, which is how logout and password changes revoke sessions.
import { randomBytes } from "node:crypto";
import { createCookie, redirect } from "@remix-run/node";
import { getDb } from "./db.server";
import { getEnv } from "./env.server";

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
  roles: string[];
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
  const session = await getDb().session.findUnique({
    where: { id },
    include: { user: { include: { roles: { select: { roleId: true } } } } },
  });
  if (!session || session.expiresAt.getTime() <= Date.now()) return null;
  const { user } = session;
  return {
    id: session.id,
    csrfToken: session.csrfToken,
    user: {
      id: user.id,
      email: user.email,
      name: user.name,
      registrationNumber: user.registrationNumber,
      regulator: user.regulator,
      locale: user.locale,
      roles: user.roles.map((r) => r.roleId),
    },
  };
}

/** Starts a session for the user and redirects with its cookie set. */
export async function createUserSession(userId: string, redirectTo: string): Promise<Response> {
  const id = token();
  await getDb().session.create({
    data: { id, userId, csrfToken: token(), expiresAt: new Date(Date.now() + SESSION_DAYS * 86_400_000) },
  });
  return redirect(redirectTo, { headers: { "Set-Cookie": await sessionCookie().serialize(id) } });
}

/** Ends the request's session (the row is deleted, so a copied cookie is useless) and redirects. */
export async function destroySession(request: Request, redirectTo = "/"): Promise<Response> {
  const id = await sessionCookie().parse(request.headers.get("Cookie"));
  if (typeof id === "string") await getDb().session.deleteMany({ where: { id } });
  return redirect(redirectTo, { headers: { "Set-Cookie": await sessionCookie().serialize("", { maxAge: 0 }) } });
}

/** Signs the user out everywhere but, optionally, the session given. */
export async function revokeUserSessions(userId: string, exceptSessionId?: string): Promise<void> {
  await getDb().session.deleteMany({ where: { userId, ...(exceptSessionId ? { id: { not: exceptSessionId } } : {}) } });
}

/** Only same-site relative paths: never redirect to another origin (house habit 4). */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = "/"): string {
  if (typeof to !== "string" || !to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\")) return fallback;
  return to;
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

export type Role = "learner" | "educator" | "author" | "admin";

/** The session, if its user holds one of the roles; otherwise 403 (signed in) or the login page. */
export async function requireRole(request: Request, ...roles: Role[]): Promise<CurrentSession> {
  const session = await requireSession(request);
  if (!roles.some((role) => session.user.roles.includes(role))) {
    throw new Response("Forbidden", { status: 403 });
  }
  return session;
}
