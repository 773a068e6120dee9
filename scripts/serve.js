// The production HTTP server: Express in front of the Remix build. Our own rather than remix-serve
// so the app can see the client's address (login throttling per IP), set security headers on every
// response (documents, data and files alike) and choose its logging. See
// docs/decisions/005-server-sessions-security.md;
// logging (one JSON line per request, through the app's pino logger) is docs/decisions/011-logging.md.
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import compression from "compression";
import express from "express";
import { pinoHttp } from "pino-http";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const build = await import(path.join(root, "build/index.js"));
// The app's logger and its helpers (app/utils/log.server.ts), re-exported by entry.server.tsx.
const { logger, redactPath, acceptedRequestId, runWithRequestId } = build.entry.module;
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? "0.0.0.0";
// The largest request body accepted, in bytes (MAX_BODY_BYTES, default 4 MiB): room for a case file
// of the format's largest size sent URL-encoded from the editor, and far from what exhausts a heap.
const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;
const maxBodyBytes = process.env.MAX_BODY_BYTES ? Number(process.env.MAX_BODY_BYTES) : DEFAULT_MAX_BODY_BYTES;
if (!Number.isSafeInteger(maxBodyBytes) || maxBodyBytes < 1024) {
  console.error(`MAX_BODY_BYTES must be a whole number of bytes, at least 1024 (got "${process.env.MAX_BODY_BYTES}").`);
  process.exit(1);
}

// The intervals of the jobs the server runs beside requests: the due-date reminder sweep
// (REMINDER_SWEEP_MINUTES, default 10, 0 off; ADR 025) and the analytics tally's catch-up
// (ANALYTICS_TALLY_MINUTES, default 1, 0 off; ADR 026).
const reminderSweep = build.entry.module.reminderSweepInterval(process.env);
const analyticsTally = build.entry.module.analyticsTallyInterval(process.env);
for (const setting of [reminderSweep, analyticsTally]) {
  if (!setting.ok) {
    console.error(setting.message);
    process.exit(1);
  }
}

const app = express();
app.disable("x-powered-by");
// Every request gets an id (a client's X-Request-Id if it is a short safe token), echoed back in the
// X-Request-Id header and carried by every line logged while it is served. With LOG_REQUESTS=0 the
// per-request line is off; ids and the app's own events stay. The line holds the method, the path
// without its query string and with codes redacted, the status and the time taken: never a header
// or a body.
app.use(
  pinoHttp({
    logger,
    autoLogging: process.env.LOG_REQUESTS !== "0",
    genReqId(req, res) {
      const id = acceptedRequestId(req.headers["x-request-id"]) ?? randomUUID();
      res.setHeader("X-Request-Id", id);
      return id;
    },
    // req.log is bound to this serializer: nothing else of the request may appear in any line.
    serializers: { req: (req) => ({ method: req.method, path: redactPath(req.url) }) },
    quietResLogger: true,
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? "error" : "info"),
    customSuccessObject: requestLine,
    // The error itself (with its stack) is logged by the app's handleError; the line stays one line.
    customErrorObject: requestLine,
    customSuccessMessage: (req, res) => `${req.method} ${redactPath(req.originalUrl)} ${res.statusCode}`,
    customErrorMessage: (req, res) => `${req.method} ${redactPath(req.originalUrl)} ${res.statusCode}`,
  }),
);
app.use((req, _res, next) => runWithRequestId(req.id, next));
/** One request's line: what IT staff search by, and nothing a client sent but the method and path. */
function requestLine(req, res, ...rest) {
  const { responseTime } = rest.at(-1);
  return {
    reqId: req.id,
    method: req.method,
    path: redactPath(req.originalUrl),
    status: res.statusCode,
    durationMs: responseTime,
    ...(res.writableFinished ? {} : { aborted: true }),
  };
}
// Behind a reverse proxy, TRUST_PROXY (e.g. "1" or "loopback") lets req.ip be the real client.
if (process.env.TRUST_PROXY) {
  const value = process.env.TRUST_PROXY;
  app.set("trust proxy", /^\d+$/.test(value) ? Number(value) : value);
}
app.use(compression());
app.use((_req, res, next) => {
  // Headers every response gets; documents add a CSP with a per-request nonce (entry.server.tsx).
  res.set({
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
  });
  next();
});
// Browsers keep HSTS only from HTTPS answers; a local `npm start` (plain HTTP) sends none.
const https = process.env.NODE_ENV === "production" && process.env.VIGNETTE_INSECURE_COOKIES !== "1";
if (https) {
  app.use((_req, res, next) => {
    res.set("Strict-Transport-Security", "max-age=63072000; includeSubDomains");
    next();
  });
}
app.use("/build", express.static(path.join(root, "public/build"), { immutable: true, maxAge: "1y" }));
// public/'s own files (stylesheets, icon), by their top-level names: handing every page URL to
// express.static cost a failed stat() per request.
const publicDir = path.join(root, "public");
const publicNames = new Set(fs.readdirSync(publicDir).filter((name) => name !== "build"));
const servePublic = express.static(publicDir, { maxAge: "1h" });
app.use((req, res, next) => (publicNames.has(req.path.split("/")[1]) ? servePublic(req, res, next) : next()));
// Bodies are limited before anything reads them: the platform's form parser buffers a whole body,
// so one 100 MB post would fill the heap. Node's HTTP parser holds a client to its Content-Length,
// so checking the header is enough; a body without one (chunked) is refused with 411, which no
// browser form or fetch of a FormData ever sends. The refused body is not read: the connection closes.
app.use((req, res, next) => {
  if (req.method === "GET" || req.method === "HEAD") return next();
  const declared = req.get("Content-Length");
  const chunked = req.get("Transfer-Encoding") !== undefined;
  if (declared === undefined && !chunked) return next();
  const refuse = (status, message) => {
    res.set({ Connection: "close", "Cache-Control": "no-store" });
    res.status(status).type("text/plain").send(message);
  };
  if (declared === undefined) return refuse(411, "Length required: send the body with a Content-Length.");
  if (Number(declared) > maxBodyBytes) {
    return refuse(413, `Payload too large: the limit is ${maxBodyBytes} bytes.`);
  }
  next();
});
// Cross-site form posts are refused before they reach the app (a browser says where a request
// comes from in Origin and Sec-Fetch-Site). Remix would otherwise answer a mismatched Origin with
// a 500; the forms' own CSRF tokens are checked in the actions as well. The one path a portal's
// server posts to (back-channel logout) is let through: crossSitePostAllowed says which and why.
const { crossSitePostAllowed, isCrossSite, trustsProxy } = build.entry.module;
const behindProxy = trustsProxy(process.env);
app.use((req, res, next) => {
  // Forwarding headers mean something only when a proxy we trust set them (the app and Remix read
  // X-Forwarded-Host first): from anyone else they are dropped.
  if (!behindProxy) delete req.headers["x-forwarded-host"];
  if (req.method === "GET" || req.method === "HEAD") return next();
  const headers = {
    origin: req.get("Origin") ?? null,
    secFetchSite: req.get("Sec-Fetch-Site") ?? null,
    host: req.get("Host") ?? null,
    forwardedHost: req.get("X-Forwarded-Host") ?? null,
  };
  if (isCrossSite(headers, behindProxy) && !crossSitePostAllowed(req.path))
    return res.status(403).type("text/plain").send("Forbidden: cross-site request.");
  next();
});
// Nothing said to a signed-in person may be kept by a browser or a proxy (the debrief holds their
// reflections): every app response to a request with the session cookie, or that sets it, is
// no-store, whatever the route set. Set at the moment the headers are written. The one exception is
// what a route marks public and immutable: content-addressed bytes anyone may fetch (a published
// case's image, a regulator's logo), the same for every reader and never about them.
const SESSION_COOKIE = "__vignette_session=";
app.use((req, res, next) => {
  const signedIn = (req.get("Cookie") ?? "").includes(SESSION_COOKIE);
  const writeHead = res.writeHead;
  res.writeHead = function (...args) {
    const cookies = [res.getHeader("Set-Cookie") ?? []].flat().join(";");
    const setsSession = cookies.includes(SESSION_COOKIE);
    const shared =
      /\bpublic\b/.test(String(res.getHeader("Cache-Control") ?? "")) &&
      /\bimmutable\b/.test(String(res.getHeader("Cache-Control") ?? ""));
    if (setsSession || (signedIn && !shared)) res.setHeader("Cache-Control", "no-store");
    return writeHead.apply(this, args);
  };
  next();
});
// The client's address for login throttling; any copy sent by the client is overwritten.
app.use((req, _res, next) => {
  req.headers["x-vignette-client-ip"] = req.ip ?? "unknown";
  next();
});
app.all(
  "*",
  createRequestHandler({
    build,
    mode: process.env.NODE_ENV,
    getLoadContext: build.entry.module.createLoadContext,
  }),
);

// Before the first request, not during it (~250 ms on the thread every request waits on).
await build.entry.module.warmDatabase();

let mailSender;
let reminderSweeper;
let analyticsSweeper;
const server = app.listen(port, host, () => {
  // PORT=0 picks a free port; tests read the real one from this line.
  // One JSON line like the rest; its message stays "Vignette is serving on http://localhost:PORT".
  logger.info(`Vignette is serving on http://localhost:${server.address().port}`);
  // The outbox's sender (docs/decisions/013-mail-outbox.md): after the "serving" line, which
  // supervisors and tests wait for; stopped on shutdown below.
  mailSender = build.entry.module.startMailSender();
  reminderSweeper = build.entry.module.startReminderSweeper({ intervalMs: reminderSweep.ms });
  analyticsSweeper = build.entry.module.startAnalyticsSweeper({ intervalMs: analyticsTally.ms });
});

// Shutdown (SIGTERM from an orchestrator, SIGINT from a terminal): readiness turns "draining" at once
// (/readyz answers 503), new connections are still taken for DRAIN_DELAY_MS so a load balancer can
// notice, then the server stops accepting, lets in-flight requests finish, and after
// SHUTDOWN_TIMEOUT_MS (default 10 s) closes whatever is left, a stalled client included.
const drainDelayMs = Number(process.env.DRAIN_DELAY_MS ?? 0);
const shutdownTimeoutMs = Number(process.env.SHUTDOWN_TIMEOUT_MS ?? 10_000);
let shuttingDown = false;
function shutdown(signal) {
  if (shuttingDown) return;
  shuttingDown = true;
  globalThis[Symbol.for("vignette.draining")] = true;
  logger.info({ signal }, `${signal}: draining; closing within ${shutdownTimeoutMs} ms`);
  // No new mail is claimed; the message being sent finishes (a row left claimed is sent again by
  // whichever instance claims it when its lease ends).
  const mailStopped = Promise.all([mailSender?.stop(), reminderSweeper?.stop(), analyticsSweeper?.stop()]);
  setTimeout(() => {
    const forced = setTimeout(
      () => {
        logger.warn("shutdown deadline reached: closing the connections still open");
        server.closeAllConnections();
        process.exit(0);
      },
      Math.max(0, shutdownTimeoutMs - drainDelayMs),
    );
    forced.unref();
    server.close(() => {
      void mailStopped.finally(() => {
        logger.info("all requests finished; stopped");
        process.exit(0);
      });
    });
    server.closeIdleConnections();
  }, drainDelayMs);
}
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => shutdown(signal));
