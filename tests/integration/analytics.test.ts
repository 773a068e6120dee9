// Analytics over real HTTP: learners play the mini-case through the forms, then an author reads
// the aggregates (page and CSV), with filters, in both languages. Every analytics route refuses
// learners and educators; nothing a learner wrote or their name ever shows.
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, text } from "../support/client";
import { startServer, type TestServer } from "../support/server";

let server: TestServer;
let sqlite: Database.Database;
const PASSWORD = "correct horse battery staple";
const REFLECTION = "Private reflection text q7z4";
const ROUTES = ["/analytics", "/analytics/mini-case/1", "/analytics/mini-case/1.csv"];

let counter = 0;
async function newLearner() {
  const client = new Client(server.url);
  const n = ++counter;
  const email = `analytics-learner${n}@example.test`;
  const page = await client.join({
    name: `Zelda Hidden${n}`,
    email,
    password: PASSWORD,
    registrationNumber: `OT-77${n}`,
    regulator: "coto",
    locale: "en",
  });
  expect(page.status).toBe(302);
  const { id } = sqlite.prepare(`SELECT id FROM User WHERE email = ?`).get(email) as { id: string };
  return { client, id };
}

async function step(client: Client, url: string, from: string, fields: Record<string, string> = {}) {
  await client.get(url);
  const page = await client.post(url, { from, ...fields });
  expect(page.status).toBe(302);
}

/** Plays mini-case through the forms; without q2 the attempt stays in progress. */
async function play(client: Client, q1: "decline" | "accept", q2?: "explain" | "ignore") {
  await client.get("/cases/mini-case");
  const started = await client.post("/cases/mini-case", {});
  expect(started.status).toBe(302);
  const url = started.location!;
  await step(client, url, "context");
  await step(client, url, "q1", { choice: q1 });
  if (!q2) return;
  await step(client, url, "q2", { choice: q2 });
  if (q2 === "explain") await step(client, url, "reflect", { reflection: REFLECTION });
}

async function signedIn(email: string, roles: Array<"learner" | "educator" | "author" | "admin">) {
  const { createUser } = await import("~/models/user.server");
  await createUser({
    email,
    name: `Staff ${roles.join(" ")}`,
    password: PASSWORD,
    registrationNumber: "ST-1",
    regulator: "coto",
    locale: "en",
    roles,
  });
  const client = new Client(server.url);
  expect((await client.login(email, PASSWORD)).status).toBe(302);
  return client;
}

let author: Client;
let admin: Client;
let educator: Client;
let learner: Client;
let cohortId: string;
const today = new Date().toISOString().slice(0, 10);
const dayOffset = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  server = await startServer({ content: [path.resolve("tests/fixtures/valid")] });
  sqlite = new Database(server.dbFile, { readonly: true });
  author = await signedIn("author-analytics@example.test", ["author"]);
  admin = await signedIn("admin-analytics@example.test", ["admin"]);
  educator = await signedIn("educator-analytics@example.test", ["educator"]);

  // Five learners: two pass, one takes the critical choice, one falls short, one is still playing.
  const l1 = await newLearner();
  await play(l1.client, "decline", "explain");
  const l2 = await newLearner();
  await play(l2.client, "accept", "explain");
  const l3 = await newLearner();
  await play(l3.client, "decline", "ignore");
  const l4 = await newLearner();
  await play(l4.client, "decline");
  const l5 = await newLearner();
  await play(l5.client, "decline", "explain");
  learner = l1.client;

  // A cohort of the first two learners (cohorts are made in the educator area; here, directly).
  const { getDb } = await import("~/utils/db.server");
  const { id: educatorId } = sqlite
    .prepare(`SELECT id FROM User WHERE email = ?`)
    .get("educator-analytics@example.test") as { id: string };
  const cohort = await getDb().cohort.create({
    data: {
      name: "Evening cohort",
      educatorId,
      inviteCode: `invite-${Date.now()}`,
      members: { create: [{ userId: l1.id }, { userId: l2.id }] },
    },
  });
  cohortId = cohort.id;
});
afterAll(async () => {
  sqlite?.close();
  const { getDb } = await import("~/utils/db.server");
  await getDb().$disconnect();
  await server?.stop();
});

describe("who may read analytics", () => {
  it("refuses learners and educators with 403 on every analytics route, and sends anonymous visitors to sign in", async () => {
    for (const route of ROUTES) {
      expect((await learner.get(route)).status, `learner ${route}`).toBe(403);
      expect((await educator.get(route)).status, `educator ${route}`).toBe(403);
      const anonymous = await new Client(server.url).get(route);
      expect(anonymous.status, `anonymous ${route}`).toBe(302);
      expect(anonymous.location).toMatch(/^\/login\?redirectTo=/);
      expect((await author.get(route)).status, `author ${route}`).toBe(200);
      expect((await admin.get(route)).status, `admin ${route}`).toBe(200);
    }
  });

  it("answers 404 for a version or case that does not exist", async () => {
    for (const route of [
      "/analytics/mini-case/2",
      "/analytics/mini-case/one",
      "/analytics/nope/1",
      "/analytics/nope/1.csv",
      "/analytics/mini-case/0",
    ]) {
      expect((await author.get(route)).status, route).toBe(404);
    }
  });
});

describe("the analytics pages", () => {
  it("lists every case version with its funnel counts", async () => {
    const page = await author.get("/analytics");
    const body = text(page.html);
    expect(body).toContain("A follow request (mini-case)");
    expect(body).toMatch(/Version 1 Published .* 5 4 2/);
    expect(page.html).toContain('href="/analytics/mini-case/1"');
    expect(page.html).toContain('href="/analytics.css"');
  });

  it("shows the funnel, the choices with the expert marked, and the standards weakest first", async () => {
    const page = await author.get("/analytics/mini-case/1");
    expect(page.status).toBe(200);
    const body = text(page.html);
    expect(body).toMatch(/Started 5 100% Completed 4 80% Passed 2 40%/);
    expect(body).toMatch(/Learners 5/);
    expect(body).toContain("Median time on task");
    expect(body).toContain("Over completed attempts: active time");
    // Decision 1: 4 of 5 declined (the expert's choice), 1 accepted (critical).
    expect(body).toContain("Decision 1");
    expect(body).toContain("5 answers. 80% chose as the expert would.");
    expect(body).toMatch(/Decline ★ Expert choice 4 80%/);
    expect(body).toMatch(/Accept ⚠ Critical 1 20%/);
    expect(body).toContain("4 answers. 75% chose as the expert would.");
    expect(body).toMatch(/Explain the office channels ★ Expert choice 3 75%/);
    expect(body).toMatch(/Say nothing 1 25%/);
    // 1.1: (2 - 2 + 2 + 2) / 4 = 1 of 2; 1.2: (1 + 1 + 0 + 1) / 4 = 0.75 of 1. Weakest first.
    expect(body).toMatch(/1\.1 — Personal contact 1 2 50% .*1\.2 — Communication channels 0\.75 1 75%/);
    expect(body).toContain("(4 attempts)");
    // Five learners: not a small group.
    expect(body).not.toContain("Small group");
    // The chart draws bars with SVG attributes, never inline styles (the CSP forbids them).
    expect(page.html).toMatch(/<svg class="bar bar-expert"[^>]*aria-hidden="true"/);
    expect(page.html).toMatch(/<rect class="bar-fill" x="0" y="0" width="80\.00" height="10"/);
    expect(page.html).not.toMatch(/\sstyle="/);
    expect(page.html).toContain('href="/analytics/mini-case/1.csv"');
  });

  it("filters by cohort and by start date, and says when a group is small", async () => {
    const cohort = text((await author.get(`/analytics/mini-case/1?cohort=${cohortId}`)).html);
    expect(cohort).toMatch(/Started 2 100% Completed 2 100% Passed 1 50%/);
    expect(cohort).toContain("Small group: fewer than 5 learners match these filters.");
    expect(cohort).toMatch(/Decline ★ Expert choice 1 50%/);
    expect(cohort).toMatch(/Evening cohort \(2 members\)/);

    const fromToday = text((await author.get(`/analytics/mini-case/1?from=${today}&to=${today}`)).html);
    expect(fromToday).toMatch(/Started 5 100%/);
    const future = await author.get(`/analytics/mini-case/1?from=${dayOffset(2)}`);
    expect(future.status).toBe(200);
    expect(text(future.html)).toMatch(/Started 0 0%/);
    expect(text(future.html)).toContain("No attempt matches these filters.");
    const past = text((await author.get(`/analytics/mini-case/1?to=${dayOffset(-2)}`)).html);
    expect(past).toContain("No attempt matches these filters.");

    const inverted = await author.get(`/analytics/mini-case/1?from=${today}&to=${dayOffset(-2)}`);
    expect(inverted.status).toBe(400);
    expect(text(inverted.html)).toContain("Enter valid dates");
    expect(inverted.html).toContain(`value="${today}"`);
    const unknownCohort = await author.get(`/analytics/mini-case/1?cohort=nope`);
    expect(unknownCohort.status).toBe(400);
    expect(text(unknownCohort.html)).toContain("Choose a cohort from the list.");
  });

  it("exports the filtered aggregates as CSV", async () => {
    const csv = await author.get(`/analytics/mini-case/1.csv?cohort=${cohortId}&from=2000-01-01`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get("Content-Type")).toContain("text/csv");
    expect(csv.headers.get("Content-Disposition")).toContain('filename="analytics-mini-case-v1.csv"');
    const lines = csv.html
      .replace(/^\uFEFF/, "")
      .trimEnd()
      .split("\r\n");
    expect(lines[0]).toBe("section,id,label,expert,critical,count,share,mean_earned,best,ratio");
    expect(lines).toContain("filter,cohort,Evening cohort,,,,,,,");
    expect(lines).toContain("filter,from,2000-01-01,,,,,,,");
    expect(lines).toContain("filter,small_group,true (< 5 learners),,,,,,,");
    expect(lines).toContain("funnel,started,Started,,,2,1,,,");
    expect(lines).toContain("funnel,passed,Passed,,,1,0.5,,,");
    expect(lines).toContain("choice,q1/decline,What do you do? — Decline,true,false,1,0.5,,,");
    expect(lines).toContain("choice,q1/accept,What do you do? — Accept,false,true,1,0.5,,,");
    expect(lines).toContain("standard,mini-standards:1.1,1.1 — Personal contact,,,2,,0,2,0");

    const all = await author.get("/analytics/mini-case/1.csv");
    expect(all.html).toContain("standard,mini-standards:1.1,1.1 — Personal contact,,,4,,1,2,0.5");
    expect((await author.get(`/analytics/mini-case/1.csv?from=tomorrow`)).status).toBe(400);
  });

  it("never shows a learner's name, email, registration number or reflection, on the page or in the CSV", async () => {
    const texts = [
      (await author.get("/analytics")).html,
      (await author.get("/analytics/mini-case/1")).html,
      (await author.get(`/analytics/mini-case/1?cohort=${cohortId}`)).html,
      (await author.get("/analytics/mini-case/1.csv")).html,
      (await author.get(`/analytics/mini-case/1.csv?cohort=${cohortId}`)).html,
    ].join("\n");
    // The reflections are in the database (this is a real test), just never here.
    expect(sqlite.prepare(`SELECT count(*) AS n FROM Reflection WHERE text = ?`).get(REFLECTION)).toEqual({ n: 3 });
    expect(texts).not.toContain(REFLECTION);
    expect(texts).not.toContain("Zelda");
    expect(texts).not.toContain("Hidden");
    expect(texts).not.toContain("analytics-learner");
    expect(texts).not.toContain("OT-77");
  });

  it("reads in French, with French number formats", async () => {
    const { getDb } = await import("~/utils/db.server");
    const french = await signedIn("auteur-analytics@example.test", ["author"]);
    await getDb().user.update({ where: { email: "auteur-analytics@example.test" }, data: { locale: "fr" } });
    await french.get("/analytics");
    expect((await french.post("/locale", { locale: "fr", redirectTo: "/analytics" })).status).toBe(302);
    const list = await french.get("/analytics");
    expect(list.html).toContain('<html lang="fr"');
    expect(text(list.html)).toContain("Une demande d'abonnement (mini-case)");
    const body = text((await french.get("/analytics/mini-case/1")).html);
    expect(body).toContain("Où les praticiens se trompent");
    expect(body).toMatch(/Refuser ★ Choix de l’expert 4 80\s%/);
    expect(body).toMatch(/Accepter ⚠ Critique 1 20\s%/);
    expect(body).toMatch(/1\.2 — Canaux de communication 0,75 1 75\s%/);
    expect(body).toContain("Normes, de la plus faible à la plus forte");
  });
});
