// Analytics over real HTTP: learners play the mini-case through the forms, then an author reads
// the aggregates (page and CSV), with filters, in both languages. Every analytics route refuses
// learners and educators; nothing a learner wrote or their name ever shows, and no figure
// describes fewer than 5 learners (a one-member cohort shows nothing about its member).
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/utils/db.server";
import { Client, text } from "../support/client";
import { startServer, type TestServer } from "../support/server";

let server: TestServer;
const PASSWORD = "correct horse battery staple";
const REFLECTION = "Private reflection text q7z4";
const ROUTES = ["/analytics", "/analytics/mini-case/1", "/analytics/mini-case/1.csv"];

let counter = 0;
async function newLearner() {
  const client = new Client(server.url);
  const n = ++counter;
  const email = `analytics-learner${n}@example.test`;
  const page = await client.join({
    name: `Zelda Unseen${n}`,
    email,
    password: PASSWORD,
    registrationNumber: `OT-77${n}`,
    regulator: "coto",
    locale: "en",
  });
  expect(page.status).toBe(302);
  // Rows through Prisma, so the same checks run on SQLite and PostgreSQL (npm run test:pg).
  const { id } = await getDb().user.findUniqueOrThrow({ where: { email } });
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
    // The staff of the mini case's regulator: analytics show only their regulator's cases.
    regulator: "demo",
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
let soloCohortId: string;
let fiveCohortId: string;
const today = new Date().toISOString().slice(0, 10);
const dayOffset = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  server = await startServer({ content: [path.resolve("tests/fixtures/valid")] });
  author = await signedIn("author-analytics@example.test", ["author"]);
  admin = await signedIn("admin-analytics@example.test", ["admin"]);
  educator = await signedIn("educator-analytics@example.test", ["educator"]);

  // Fifteen learners, five per path, so that every figure describes at least 5 of them: five pass,
  // five take the critical choice, five fall short of the pass mark.
  const passing = [];
  const critical = [];
  for (let i = 0; i < 5; i++) {
    const a = await newLearner();
    await play(a.client, "decline", "explain");
    passing.push(a);
    const b = await newLearner();
    await play(b.client, "accept", "explain");
    critical.push(b);
    const c = await newLearner();
    await play(c.client, "decline", "ignore");
  }
  learner = passing[0]!.client;

  // A cohort of one learner who took the critical choice, and one of the five who passed (cohorts
  // are made in the educator area; here, directly). They joined before they played: a cohort counts
  // only what its members began after joining it (ADR 018).
  const joinedBefore = new Date("2000-01-01T00:00:00Z");
  const { id: educatorId } = await getDb().user.findUniqueOrThrow({
    where: { email: "educator-analytics@example.test" },
  });
  const solo = await getDb().cohort.create({
    data: {
      name: "Solo cohort",
      educatorId,
      inviteCode: `invite-solo-${Date.now()}`,
      members: { create: [{ userId: critical[0]!.id, addedAt: joinedBefore }] },
    },
  });
  soloCohortId = solo.id;
  const five = await getDb().cohort.create({
    data: {
      name: "Five cohort",
      educatorId,
      inviteCode: `invite-five-${Date.now()}`,
      members: { create: passing.map((p) => ({ userId: p.id, addedAt: joinedBefore })) },
    },
  });
  fiveCohortId = five.id;
});
afterAll(async () => {
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
    expect(body).toMatch(/Version 1 Published .* 15 15 5/);
    expect(page.html).toContain('href="/analytics/mini-case/1"');
    expect(page.html).toContain('href="/analytics.css"');
  });

  it("shows the funnel, the choices with the expert marked, and the standards weakest first", async () => {
    const page = await author.get("/analytics/mini-case/1");
    expect(page.status).toBe(200);
    const body = text(page.html);
    expect(body).toMatch(/Started 15 100% Completed 15 100% Passed 5 33\.3%/);
    expect(body).toMatch(/Learners 15/);
    expect(body).toContain("Median time on task");
    expect(body).toContain("Over completed attempts: active time");
    // Decision 1: 10 of 15 declined (the expert's choice), 5 accepted (critical).
    expect(body).toContain("Decision 1");
    expect(body).toContain("15 answers. 66.7% chose as the expert would.");
    expect(body).toMatch(/Decline ★ Expert choice 10 66\.7%/);
    expect(body).toMatch(/Accept ⚠ Critical 5 33\.3%/);
    expect(body).toMatch(/Explain the office channels ★ Expert choice 10 66\.7%/);
    expect(body).toMatch(/Say nothing 5 33\.3%/);
    // 1.1: (5×2 - 5×2 + 5×2) / 15 = 0.67 of 2; 1.2: 10 / 15 = 0.67 of 1. Weakest first.
    expect(body).toMatch(/1\.1 — Personal contact 0\.67 2 33\.3% .*— Communication channels 0\.67 1 66\.7%/);
    expect(body).toContain("(15 attempts)");
    // Every part has at least 5 learners: nothing is hidden.
    expect(body).not.toContain("hidden");
    // The chart draws bars with SVG attributes, never inline styles (the CSP forbids them).
    expect(page.html).toMatch(/<svg class="bar bar-expert"[^>]*aria-hidden="true"/);
    expect(page.html).toMatch(/<rect class="bar-fill" x="0" y="0" width="66\.67" height="10"/);
    expect(page.html).not.toMatch(/\sstyle="/);
    expect(page.html).toContain('href="/analytics/mini-case/1.csv"');
  });

  it("filters by cohort and by start date, and shows no figure for fewer than 5 learners", async () => {
    const SUPPRESSED = "Fewer than 5 learners match these filters: the figures are hidden to protect their privacy.";
    // A one-member cohort on a version many others played: nothing about its member.
    const soloPage = await author.get(`/analytics/mini-case/1?cohort=${soloCohortId}`);
    expect(soloPage.status).toBe(200);
    const solo = text(soloPage.html);
    expect(solo).toContain(SUPPRESSED);
    expect(solo).toMatch(/Solo cohort \(1 member\)/);
    for (const absent of [/Started \d/, /Learners/, /Decision 1/, /Accept/, /Critical/, /Personal contact/, /%/]) {
      expect(solo, String(absent)).not.toMatch(absent);
    }
    expect(soloPage.html).toContain(`href="/analytics/mini-case/1.csv?cohort=${soloCohortId}"`);

    const five = text((await author.get(`/analytics/mini-case/1?cohort=${fiveCohortId}`)).html);
    expect(five).not.toContain(SUPPRESSED);
    expect(five).toMatch(/Started 5 100% Completed 5 100% Passed 5 100%/);
    expect(five).toMatch(/Decline ★ Expert choice 5 100%/);
    expect(five).toMatch(/Accept ⚠ Critical 0 0%/);

    const fromToday = text((await author.get(`/analytics/mini-case/1?from=${today}&to=${today}`)).html);
    expect(fromToday).toMatch(/Started 15 100%/);
    // Nobody reads as "fewer than 5" too, so a date filter cannot tell whether one person played.
    const future = await author.get(`/analytics/mini-case/1?from=${dayOffset(2)}`);
    expect(future.status).toBe(200);
    expect(text(future.html)).toContain(SUPPRESSED);
    expect(text(future.html)).not.toMatch(/Started \d/);
    const past = text((await author.get(`/analytics/mini-case/1?to=${dayOffset(-2)}`)).html);
    expect(past).toContain(SUPPRESSED);

    const inverted = await author.get(`/analytics/mini-case/1?from=${today}&to=${dayOffset(-2)}`);
    expect(inverted.status).toBe(400);
    expect(text(inverted.html)).toContain("Enter valid dates");
    expect(inverted.html).toContain(`value="${today}"`);
    const unknownCohort = await author.get(`/analytics/mini-case/1?cohort=nope`);
    expect(unknownCohort.status).toBe(400);
    expect(text(unknownCohort.html)).toContain("Choose a cohort from the list.");
  });

  it("exports the filtered aggregates as CSV, with a marker instead of figures for fewer than 5 learners", async () => {
    const lines = async (url: string) => {
      const csv = await author.get(url);
      expect(csv.status).toBe(200);
      expect(csv.headers.get("Content-Type")).toContain("text/csv");
      expect(csv.headers.get("Content-Disposition")).toContain('filename="analytics-mini-case-v1.csv"');
      return csv.html
        .replace(/^\uFEFF/, "")
        .trimEnd()
        .split("\r\n");
    };
    const five = await lines(`/analytics/mini-case/1.csv?cohort=${fiveCohortId}&from=2000-01-01`);
    expect(five[0]).toBe("section,id,label,expert,critical,count,share,mean_earned,best,ratio");
    expect(five).toContain("filter,cohort,Five cohort,,,,,,,");
    expect(five).toContain("filter,from,2000-01-01,,,,,,,");
    expect(five).toContain("filter,suppression,none,,,,,,,");
    expect(five).toContain("funnel,started,Started,,,5,1,,,");
    expect(five).toContain("funnel,passed,Passed,,,5,1,,,");
    expect(five).toContain("choice,q1/decline,What do you do? — Decline,true,false,5,1,,,");
    expect(five).toContain("choice,q1/accept,What do you do? — Accept,false,true,0,0,,,");
    expect(five).toContain("standard,mini-standards:1.1,1.1 — Personal contact,,,5,,2,2,1");

    const solo = await lines(`/analytics/mini-case/1.csv?cohort=${soloCohortId}`);
    expect(solo).toContain("filter,cohort,Solo cohort,,,,,,,");
    expect(solo).toContain("filter,suppression,all figures (fewer than 5 learners),,,,,,,");
    expect(solo).toContain("funnel,started,Started,,,suppressed,suppressed,,,");
    expect(solo.filter((l) => /^(choice|standard)/.test(l))).toEqual([]);
    for (const line of solo.slice(1).filter((l) => !l.startsWith("filter,"))) expect(line).not.toMatch(/,-?\d/);

    const all = await author.get("/analytics/mini-case/1.csv");
    expect(all.html).toContain(
      "standard,mini-standards:1.1,1.1 — Personal contact,,,15,,0.6666666666666666,2,0.3333333333333333",
    );
    expect((await author.get(`/analytics/mini-case/1.csv?from=tomorrow`)).status).toBe(400);
  });

  it("never shows a learner's name, email, registration number or reflection, on the page or in the CSV", async () => {
    const texts = [
      (await author.get("/analytics")).html,
      (await author.get("/analytics/mini-case/1")).html,
      (await author.get(`/analytics/mini-case/1?cohort=${soloCohortId}`)).html,
      (await author.get(`/analytics/mini-case/1?cohort=${fiveCohortId}`)).html,
      (await author.get("/analytics/mini-case/1.csv")).html,
      (await author.get(`/analytics/mini-case/1.csv?cohort=${soloCohortId}`)).html,
    ].join("\n");
    // The reflections are in the database (this is a real test), just never here.
    expect(await getDb().reflection.count({ where: { text: REFLECTION } })).toBe(10);
    expect(texts).not.toContain(REFLECTION);
    expect(texts).not.toContain("Zelda");
    expect(texts).not.toContain("Unseen");
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
    expect(body).toMatch(/Refuser ★ Choix de l’expert 10 66,7\s%/);
    expect(body).toMatch(/Accepter ⚠ Critique 5 33,3\s%/);
    expect(body).toMatch(/1\.2 — Canaux de communication 0,67 1 66,7\s%/);
    const solo = text((await french.get(`/analytics/mini-case/1?cohort=${soloCohortId}`)).html);
    expect(solo).toContain("Moins de 5 personnes correspondent à ces filtres : les chiffres sont masqués");
    expect(solo).not.toMatch(/Commencées \d/);
    expect(body).toContain("Normes, de la plus faible à la plus forte");
  });
});
