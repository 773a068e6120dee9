// Learners for the benchmark: each with a password (one argon2 hash shared by all: hashing thousands
// would take minutes), the learner role, a signed-in session and an attempt sitting at the case's
// first decision, as if they had read the opening scene. Written with Prisma's createMany, so the
// rows are exactly what the app writes, in a few seconds.
import { randomBytes } from "node:crypto";
import { createCookie } from "@remix-run/node";
import type { CaseFile } from "~/engine";
import { hashPassword } from "~/models/user.server";
import type { Db } from "~/utils/db.server";

const SESSION_COOKIE = "__vignette_session";

export type Learner = {
  attemptId: string;
  /** `__vignette_session=<signed id>`, ready for a Cookie header. */
  cookie: string;
  csrf: string;
};

export type Pool = { name: string; learners: Learner[] };

export type CaseInfo = {
  slug: string;
  caseId: number;
  versionId: number;
  firstDecision: string;
  scenesBefore: string[];
  choice: string;
  after: string;
};

/** The case's current version and its first decision (reached through scenes only from the start). */
export async function caseInfo(db: Db, slug: string): Promise<CaseInfo> {
  const version = await db.caseVersion.findFirst({ where: { case: { slug } }, orderBy: { version: "desc" } });
  if (!version) throw new Error(`case ${slug} is not published`);
  const caseFile = JSON.parse(version.content) as CaseFile;
  const scenesBefore: string[] = [];
  let id = caseFile.start;
  for (let node = caseFile.nodes[id]; node?.kind === "scene"; node = caseFile.nodes[id]) {
    scenesBefore.push(id);
    id = node.next;
  }
  const decision = caseFile.nodes[id];
  if (decision?.kind !== "decision")
    throw new Error(`case ${slug}: no decision reachable through scenes from the start`);
  // A choice that leads on to a scene, so an accepted POST is a plain step (not a completion).
  const choice = decision.choices.find((c) => caseFile.nodes[c.next]?.kind !== "outcome") ?? decision.choices[0]!;
  return {
    slug,
    caseId: version.caseId,
    versionId: version.id,
    firstDecision: id,
    scenesBefore,
    choice: choice.id,
    after: choice.next,
  };
}

/** Every attempt id of a pool starts with this, so the pool's rows can be counted afterwards. */
export const attemptPrefix = (pool: string) => `attempt-${pool}-`;

const id = (bytes: number) => randomBytes(bytes).toString("base64url");

/** Creates `count` learners named `<name>-<i>` (pool names must not contain `-`), each with a session and an attempt at the first decision. */
export async function createLearners(
  db: Db,
  info: CaseInfo,
  secret: string,
  name: string,
  count: number,
  passwordHash: string,
): Promise<Pool> {
  const cookie = createCookie(SESSION_COOKIE, { secrets: [secret] });
  const learners: Learner[] = [];
  const chunk = 2000;
  const now = new Date();
  const expires = new Date(now.getTime() + 14 * 86_400_000);
  for (let start = 0; start < count; start += chunk) {
    const rows = Array.from({ length: Math.min(chunk, count - start) }, (_, k) => {
      const i = start + k;
      return {
        userId: `bench-${name}-${i}-${id(6)}`,
        sessionId: id(32),
        csrf: id(32),
        attemptId: `${attemptPrefix(name)}${i}-${id(6)}`,
        i,
      };
    });
    await db.$transaction([
      db.user.createMany({
        data: rows.map((r) => ({
          id: r.userId,
          email: `${name}-${r.i}@bench.invalid`,
          name: `Learner ${name} ${r.i}`,
          registrationNumber: `B-${r.i}`,
          regulator: "coto",
          locale: r.i % 5 === 0 ? "fr" : "en",
        })),
      }),
      db.password.createMany({ data: rows.map((r) => ({ userId: r.userId, hash: passwordHash })) }),
      db.userRole.createMany({ data: rows.map((r) => ({ userId: r.userId, roleId: "learner" })) }),
      db.session.createMany({
        data: rows.map((r) => ({ id: r.sessionId, userId: r.userId, csrfToken: r.csrf, expiresAt: expires })),
      }),
      db.attempt.createMany({
        data: rows.map((r) => ({
          id: r.attemptId,
          userId: r.userId,
          caseId: info.caseId,
          caseVersionId: info.versionId,
          number: 1,
          currentNodeId: info.firstDecision,
          startedAt: now,
        })),
      }),
      db.attemptStep.createMany({
        data: rows.flatMap((r) =>
          info.scenesBefore.map((nodeId, seq) => ({ attemptId: r.attemptId, seq, nodeId, createdAt: now })),
        ),
      }),
    ]);
    for (const r of rows) {
      const setCookie = await cookie.serialize(r.sessionId);
      learners.push({ attemptId: r.attemptId, cookie: setCookie.split(";")[0]!, csrf: r.csrf });
    }
  }
  return { name, learners };
}

/** One argon2id hash with the app's own parameters, reused for every benchmark learner. */
/** A signed-in session for a staff member made by the bench: the Cookie header value. */
export async function staffSessionCookie(db: Db, userId: string, secret: string): Promise<string> {
  const session = await db.session.create({
    data: {
      id: randomBytes(32).toString("base64url"),
      userId,
      csrfToken: "bench",
      expiresAt: new Date(Date.now() + 86_400_000),
    },
  });
  const cookie = await createCookie(SESSION_COOKIE, { secrets: [secret] }).serialize(session.id);
  return cookie.split(";")[0]!;
}

export function sharedPasswordHash(): Promise<string> {
  return hashPassword("bench-password-not-secret");
}
