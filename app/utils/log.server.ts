// The one logger of the server: pino, one JSON line per event on stdout, with an ISO timestamp, the
// level by name and the id of the request being served (kept per request in an AsyncLocalStorage,
// so a model's event carries the reqId of the request that caused it). scripts/serve.js uses the
// same instance (exported by entry.server.tsx) for its request lines. What must never reach a log
// line, and why, is in docs/decisions/011-logging.md: no bodies, no headers, no codes in paths.
import { AsyncLocalStorage } from "node:async_hooks";
import { createHmac } from "node:crypto";
import { pino, type Level } from "pino";
import { getEnv } from "./env.server";

const LEVELS: ReadonlyArray<Level | "silent"> = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

/** LOG_LEVEL (default "info"); unit tests run silent unless they ask, the spawned server does not. */
export function logLevel(source: NodeJS.ProcessEnv = process.env): Level | "silent" {
  const value = source.LOG_LEVEL?.trim().toLowerCase();
  if (!value) return source.NODE_ENV === "test" ? "silent" : "info";
  const level = LEVELS.find((l) => l === value);
  if (!level) throw new Error(`LOG_LEVEL must be one of ${LEVELS.join(", ")} (got "${source.LOG_LEVEL}").`);
  return level;
}

const requestIds = new AsyncLocalStorage<string>();

/** Runs `fn` (and everything it awaits) as part of the request `reqId`. */
export function runWithRequestId<T>(reqId: string, fn: () => T): T {
  return requestIds.run(reqId, fn);
}

export const logger = pino({
  level: logLevel(),
  base: undefined, // no pid or hostname on every line: the platform's log collector knows them
  timestamp: pino.stdTimeFunctions.isoTime,
  formatters: { level: (label) => ({ level: label }) },
  // The logged object wins over the mixin, so a line that names its own reqId has it once.
  mixin: () => {
    const reqId = requestIds.getStore();
    return reqId === undefined ? {} : { reqId };
  },
});

/** An incoming X-Request-Id is kept only if it is a short token that cannot forge or break a line. */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

export function acceptedRequestId(incoming: string | undefined): string | undefined {
  return incoming !== undefined && SAFE_REQUEST_ID.test(incoming) ? incoming : undefined;
}

// Paths whose segment after the prefix is a bearer secret: whoever has the code may join a cohort,
// answer a mailed invitation or see a certificate. Matched as the router matches (decoded, any case),
// so /%69nvite/X is redacted too.
const SECRET_SEGMENT = /^(\/+)(invite|invitations|certificates)(\/+)[^/]+/i;
const MAX_LOGGED_PATH = 512;

/** The path as logged: no query string (it may carry anything), codes replaced by `[code]`. */
export function redactPath(url: string): string {
  const raw = url.split(/[?#]/, 1)[0] ?? "";
  let decoded = raw;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    // Malformed escapes: the router refuses them; redact the raw form.
  }
  const redacted = decoded.replace(SECRET_SEGMENT, (_m, a: string, prefix: string, b: string) => {
    return `${a}${prefix.toLowerCase()}${b}[code]`;
  });
  return redacted.length > MAX_LOGGED_PATH ? `${redacted.slice(0, MAX_LOGGED_PATH)}…` : redacted;
}

/**
 * A stable pseudonym for an account key (a normalized email) in security events: a keyed hash, so
 * the log lets staff see that one account is being guessed at, and check a given address against it
 * (with the server's secret), without the log itself holding addresses.
 */
export function accountRef(key: string): string {
  const secret = getEnv().sessionSecrets[0] ?? "";
  return createHmac("sha256", `vignette-log:${secret}`).update(key.toLowerCase()).digest("hex").slice(0, 16);
}

export type SecurityEvent =
  | "auth.login_failed"
  | "auth.throttled"
  | "auth.password_changed"
  | "auth.join_existing"
  | "auth.join_throttled"
  | "auth.reset_throttled"
  | "account.registration_saved"
  | "account.profile_changed"
  | "account.email_change_requested"
  | "account.email_changed"
  | "account.email_verified"
  | "content.change_requested"
  | "auth.two_factor_enrolled"
  | "auth.two_factor_disabled"
  | "auth.two_factor_failed"
  | "auth.recovery_code_used"
  | "auth.sso_signed_in"
  | "auth.sso_signed_out"
  | "auth.sso_refused"
  | "auth.sso_linked"
  | "auth.sso_account_created"
  | "auth.sso_backchannel_logout"
  | "admin.role_granted"
  | "admin.role_revoked"
  | "admin.account_deactivated"
  | "admin.account_reactivated"
  | "admin.sessions_revoked"
  | "admin.reset_link_sent"
  | "admin.two_factor_reset"
  | "certificate.revoked"
  | "certificate.reissued"
  | "cohort.invited"
  | "cohort.invitation_refused"
  | "content.draft_approved"
  | "content.published"
  | "content.retired"
  | "records.exported";

/** A security-relevant event as its own line (`event` names it); `fields` must hold no secret. */
export function logEvent(event: SecurityEvent, fields: Record<string, unknown> = {}, message: string = event): void {
  const level =
    event === "auth.login_failed" ||
    event === "auth.throttled" ||
    event === "auth.two_factor_failed" ||
    event === "auth.sso_refused"
      ? "warn"
      : "info";
  logger[level]({ event, ...fields }, message);
}
