// The benchmark's "physical limit": a bare Node `http` server that does the same SQL as the real
// node page and choice POST, with better-sqlite3 directly (no Express, no Remix, no Prisma, no React).
// Plain JavaScript on purpose, so it runs under `node` without a TypeScript loader in the process.
// Started by scripts/bench.ts with BENCH_DB, BENCH_SECRET and PORT; prints "listening on <url>".
import { createHmac, timingSafeEqual } from "node:crypto";
import http from "node:http";
import Database from "better-sqlite3";

const db = new Database(process.env.BENCH_DB);
// The pragmas the app's connection relies on (WAL is already set in the file by the migration).
db.pragma("foreign_keys = ON");
db.pragma("busy_timeout = 5000");
const secret = process.env.BENCH_SECRET ?? "";
const COOKIE = "__vignette_session";

const sessionQuery = db.prepare(`
  SELECT s.id, s.csrfToken, s.expiresAt, u.id AS userId, u.email, u.name, u.registrationNumber, u.regulator, u.locale,
         (SELECT group_concat(r.roleId) FROM UserRole r WHERE r.userId = u.id) AS roles
  FROM Session s JOIN User u ON u.id = s.userId WHERE s.id = ?`);
const attemptQuery = db.prepare(`SELECT * FROM Attempt WHERE id = ? AND userId = ?`);
const stepsQuery = db.prepare(`SELECT * FROM AttemptStep WHERE attemptId = ? ORDER BY seq`);
const reflectionsQuery = db.prepare(`SELECT * FROM Reflection WHERE attemptId = ?`);
const completionQuery = db.prepare(`
  SELECT c.*, cert.code AS certificateCode FROM Completion c LEFT JOIN Certificate cert ON cert.completionId = c.id
  WHERE c.attemptId = ?`);
const versionQuery = db.prepare(`
  SELECT v.id, v.version, v.content, c.slug FROM CaseVersion v JOIN "Case" c ON c.id = v.caseId WHERE v.id = ?`);
const moveQuery = db.prepare(`
  UPDATE Attempt SET currentNodeId = ? WHERE id = ? AND userId = ? AND status = 'in_progress' AND currentNodeId = ?`);
const countStepsQuery = db.prepare(`SELECT count(*) AS n FROM AttemptStep WHERE attemptId = ?`);
const insertStepQuery = db.prepare(
  `INSERT INTO AttemptStep (attemptId, seq, nodeId, choiceId, createdAt) VALUES (?, ?, ?, ?, ?)`,
);

/** Versions are immutable: parsed once, like app/models/case.server.ts does. */
const versions = new Map();
function getVersion(id) {
  let version = versions.get(id);
  if (!version) {
    const row = versionQuery.get(id);
    if (!row) return null;
    version = { id: row.id, version: row.version, slug: row.slug, caseFile: JSON.parse(row.content) };
    versions.set(id, version);
  }
  return version;
}

/** The session id from the signed cookie (cookie-signature's format, as @remix-run/node signs it). */
function sessionIdFrom(cookieHeader) {
  if (!cookieHeader) return null;
  for (const part of cookieHeader.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0 || part.slice(0, eq).trim() !== COOKIE) continue;
    const signed = decodeURIComponent(part.slice(eq + 1).trim());
    const dot = signed.lastIndexOf(".");
    if (dot < 0) return null;
    const value = signed.slice(0, dot);
    const expected = Buffer.from(
      `${value}.${createHmac("sha256", secret).update(value).digest("base64").replace(/=+$/, "")}`,
    );
    const given = Buffer.from(signed);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
    const id = JSON.parse(decodeURIComponent(escape(atob(value))));
    return typeof id === "string" ? id : null;
  }
  return null;
}

function currentSession(req) {
  const id = sessionIdFrom(req.headers.cookie);
  if (!id) return null;
  const row = sessionQuery.get(id);
  if (!row || Date.parse(row.expiresAt) <= Date.now()) return null;
  return {
    id: row.id,
    csrfToken: row.csrfToken,
    user: { id: row.userId, name: row.name, locale: row.locale, roles: (row.roles ?? "").split(",") },
  };
}

const escapeHtml = (s) =>
  String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
const text = (value, locale) =>
  value && typeof value === "object" ? (value[locale] ?? value.en ?? "") : (value ?? "");

function renderNode(session, attempt, version, steps) {
  const locale = session.user.locale === "fr" ? "fr" : "en";
  const node = version.caseFile.nodes[attempt.currentNodeId];
  const title = text(node.title ?? version.caseFile.title, locale);
  const choices = (node.choices ?? [])
    .map(
      (c) =>
        `<label><input type="radio" name="choice" value="${escapeHtml(c.id)}"> ${escapeHtml(text(c.label, locale))}</label>`,
    )
    .join("");
  return `<!DOCTYPE html><html lang="${locale}"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body>
<p>${escapeHtml(session.user.name)} · ${steps.length} step(s)</p><h1>${escapeHtml(title)}</h1>
<p>${escapeHtml(text(node.prompt ?? node.body, locale))}</p>
<form method="post"><input type="hidden" name="csrf" value="${escapeHtml(session.csrfToken)}"><input type="hidden" name="from" value="${escapeHtml(node.id ?? attempt.currentNodeId)}">${choices}<button>Choose</button></form>
</body></html>`;
}

function send(res, status, body, headers = {}) {
  res.writeHead(status, { "Content-Type": "text/html; charset=utf-8", ...headers });
  res.end(body);
}

const advance = db.transaction((attemptId, userId, from, to, choiceId, now) => {
  // Compare-and-set on the current node, then the step, as advanceAttempt does.
  if (moveQuery.run(to, attemptId, userId, from).changes !== 1) return false;
  const seq = countStepsQuery.get(attemptId).n;
  insertStepQuery.run(attemptId, seq, from, choiceId, now);
  return true;
});

function handle(req, res, body) {
  const match = /^\/cases\/([^/]+)\/attempts\/([^/?]+)$/.exec(req.url ?? "");
  if (!match) return send(res, 404, "Not found");
  const [, slug, attemptId] = match;
  const session = currentSession(req);
  if (!session) return send(res, 302, "", { Location: "/login" });
  if (req.method === "GET") {
    const attempt = attemptQuery.get(attemptId, session.user.id);
    if (!attempt) return send(res, 404, "Not found");
    const steps = stepsQuery.all(attempt.id);
    reflectionsQuery.all(attempt.id);
    completionQuery.get(attempt.id);
    const version = getVersion(attempt.caseVersionId);
    if (!version || version.slug !== slug) return send(res, 404, "Not found");
    return send(res, 200, renderNode(session, attempt, version, steps));
  }
  if (req.method === "POST") {
    const form = new URLSearchParams(body);
    const origin = req.headers.origin;
    const sent = Buffer.from(form.get("csrf") ?? "");
    const token = Buffer.from(session.csrfToken);
    if (
      (origin && new URL(origin).host !== req.headers.host) ||
      sent.length !== token.length ||
      !timingSafeEqual(sent, token)
    ) {
      return send(res, 403, "Forbidden");
    }
    const here = `/cases/${slug}/attempts/${attemptId}`;
    const attempt = attemptQuery.get(attemptId, session.user.id);
    if (!attempt) return send(res, 404, "Not found");
    const from = form.get("from") ?? "";
    const version = getVersion(attempt.caseVersionId);
    const node = version?.caseFile.nodes[from];
    if (attempt.status !== "in_progress" || attempt.currentNodeId !== from || !node)
      return send(res, 302, "", { Location: here });
    const choiceId = form.get("choice");
    const next = node.kind === "decision" ? node.choices.find((c) => c.id === choiceId)?.next : node.next;
    if (!next) return send(res, 400, "Choose one");
    advance(
      attemptId,
      session.user.id,
      from,
      next,
      node.kind === "decision" ? choiceId : null,
      new Date().toISOString().replace("Z", "+00:00"),
    );
    return send(res, 302, "", { Location: here });
  }
  return send(res, 405, "Method not allowed");
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on("data", (chunk) => chunks.push(chunk));
  req.on("end", () => {
    try {
      handle(req, res, Buffer.concat(chunks).toString("utf8"));
    } catch (error) {
      console.error(error);
      send(res, 500, "Error");
    }
  });
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}`);
});
for (const signal of ["SIGINT", "SIGTERM"])
  process.on(signal, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
