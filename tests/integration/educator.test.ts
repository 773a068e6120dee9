// The educator area over real HTTP, as a browser without JavaScript uses it (and as an attacker
// would): cohorts, invitations, modules, assignments, the progress dashboard and its CSV, and the
// role rules (learners 403, other educators 404, admins everything). Learners join by accepting the
// cohort's link (joinByLink); mailed invitations are in cohort-consent.test.ts.
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/utils/db.server";
import { Client, text, type Page } from "../support/client";
import { publishMiniCaseVersion, startServer, type TestServer } from "../support/server";

let server: TestServer;
const fixtures = path.resolve("tests/fixtures");
const PASSWORD = "educator password long enough";
const REFLECTION = "Secret reflection 9c1e";

beforeAll(async () => {
  server = await startServer({ content: [path.join(fixtures, "valid"), path.resolve("cases")] });
  const { createUser } = await import("~/models/user.server");
  for (const [email, roles] of [
    ["edu1@example.test", ["educator"]],
    ["edu2@example.test", ["educator"]],
    ["author@example.test", ["author"]],
    ["admin@example.test", ["operator"]],
  ] as const) {
    await createUser({
      email,
      name: email.split("@")[0]!,
      password: PASSWORD,
      registrationNumber: "ED-1",
      regulator: "coto",
      locale: "en",
      roles: [...roles],
    });
  }
});
afterAll(async () => {
  await getDb().$disconnect();
  await server?.stop();
});

async function signIn(email: string) {
  const client = new Client(server.url);
  expect((await client.login(email, PASSWORD)).status).toBe(302);
  return client;
}

let counter = 0;
async function newLearner(extra: Record<string, string> = {}, query = "") {
  const client = new Client(server.url);
  const n = ++counter;
  const email = `learner${n}-${Date.now()}@example.test`;
  const fields = {
    name: `Learner ${n}`,
    email,
    password: "correct horse battery staple",
    registrationNumber: `OT-${2000 + n}`,
    regulator: "coto",
    locale: "en",
    ...extra,
  };
  const page = await client.join(fields, query);
  expect(page.status).toBe(302);
  return { client, email, name: `Learner ${n}`, page };
}

/** GET the page the form is on (for a fresh CSRF token), then post to it. */
async function submit(client: Client, url: string, fields: Record<string, string>): Promise<Page> {
  await client.get(url);
  return client.post(url, fields);
}

async function createCohort(client: Client, name: string): Promise<string> {
  const page = await submit(client, "/educator?index", { name });
  expect(page.status).toBe(302);
  const match = /^\/educator\/cohorts\/(\w+)$/.exec(page.location ?? "");
  expect(match).not.toBeNull();
  return match![1]!;
}

// Rows through Prisma, so the same checks run on SQLite and PostgreSQL.
const caseIdOf = async (slug: string) =>
  (await getDb().case.findUniqueOrThrow({ where: { slug }, select: { id: true } })).id;
const versionIdOf = async (slug: string, version: number) =>
  (await getDb().caseVersion.findFirstOrThrow({ where: { case: { slug }, version }, select: { id: true } })).id;
/** The cohort's assignments, oldest first. */
const assignmentIds = async (cohortId: string) =>
  (
    await getDb().assignment.findMany({
      where: { cohortId },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      select: { id: true },
    })
  ).map((r) => r.id);
/** The members' emails, sorted (CohortMember has no relation to User: two reads). */
const memberEmails = async (cohortId: string) => {
  const members = await getDb().cohortMember.findMany({ where: { cohortId }, select: { userId: true } });
  const users = await getDb().user.findMany({
    where: { id: { in: members.map((m) => m.userId) } },
    orderBy: { email: "asc" },
    select: { email: true },
  });
  return users.map((u) => u.email);
};

/** The learner opens the cohort's invitation link and accepts (what joining means is shown first). */
async function joinByLink(edu: Client, cohortId: string, ...learners: Array<{ client: Client }>) {
  const page = await edu.get(`/educator/cohorts/${cohortId}`);
  const code = /\/invite\/([a-z2-9]{26})"/.exec(page.html)![1]!;
  for (const { client } of learners) {
    const offer = await client.get(`/invite/${code}`);
    expect(text(offer.html)).toContain("What joining means");
    const accepted = await client.post(`/invite/${code}`, {});
    expect(accepted.status).toBe(302);
  }
}

async function assign(client: Client, cohortId: string, target: string, dueDate = ""): Promise<string> {
  const before = new Set(await assignmentIds(cohortId));
  const page = await submit(client, `/educator/cohorts/${cohortId}`, { intent: "assign", target, dueDate });
  expect(page.status).toBe(200);
  expect(text(page.html)).toContain("Assigned.");
  return (await assignmentIds(cohortId)).find((id) => !before.has(id))!;
}

async function start(client: Client, slug = "mini-case") {
  await client.get(`/cases/${slug}`);
  const page = await client.post(`/cases/${slug}`, {});
  expect(page.status).toBe(302);
  return page.location!;
}
async function step(client: Client, url: string, from: string, fields: Record<string, string> = {}) {
  await client.get(url);
  return client.post(url, { from, ...fields });
}
/** Plays mini-case to the end: "explain" passes (with a reflection), "ignore" fails. */
async function playMini(client: Client, q2: "explain" | "ignore") {
  const url = await start(client);
  expect((await step(client, url, "context")).status).toBe(302);
  expect((await step(client, url, "q1", { choice: "decline" })).status).toBe(302);
  expect((await step(client, url, "q2", { choice: q2 })).status).toBe(302);
  if (q2 === "explain") expect((await step(client, url, "reflect", { reflection: REFLECTION })).status).toBe(302);
  return url;
}

/** The text of the table row that names the learner. */
function rowOf(html: string, name: string): string {
  const row = [...html.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) => text(m[1]!)).find((r) => r.includes(`${name} `));
  expect(row, `no row for ${name}`).toBeDefined();
  return row!;
}

describe("role checks", () => {
  it("a learner gets 403 on every educator page, action and export", async () => {
    const edu = await signIn("edu1@example.test");
    const cohortId = await createCohort(edu, "Role check");
    const assignmentId = await assign(edu, cohortId, `case:${await caseIdOf("mini-case")}:latest`);
    const moduleId = (await getDb().module.findFirst({ select: { id: true } }))?.id ?? "none";

    const { client } = await newLearner();
    await client.get("/cases");
    const urls = [
      "/educator",
      "/educator/modules",
      "/educator/modules/new",
      `/educator/modules/${moduleId}`,
      `/educator/cohorts/${cohortId}`,
      `/educator/cohorts/${cohortId}/assignments/${assignmentId}`,
      `/educator/cohorts/${cohortId}/progress.csv`,
    ];
    for (const url of urls) expect((await client.get(url)).status, `GET ${url}`).toBe(403);
    const posts: Array<[string, Record<string, string>]> = [
      ["/educator?index", { name: "Mine" }],
      ["/educator/modules/new", { titleEn: "x", titleFr: "x" }],
      [`/educator/modules/${moduleId}`, { intent: "delete" }],
      [`/educator/cohorts/${cohortId}`, { intent: "add-members", emails: "x@example.test" }],
      [`/educator/cohorts/${cohortId}`, { intent: "delete", confirm: "yes" }],
      [`/educator/cohorts/${cohortId}/assignments/${assignmentId}`, { intent: "delete" }],
    ];
    for (const [url, fields] of posts) expect((await client.post(url, fields)).status, `POST ${url}`).toBe(403);
    expect(await assignmentIds(cohortId)).toEqual([assignmentId]);
    // Signed out: sent to sign in.
    const anonymous = new Client(server.url);
    const redirected = await anonymous.get(`/educator/cohorts/${cohortId}`);
    expect(redirected.status).toBe(302);
    expect(redirected.location).toContain("/login?redirectTo=");
  });

  it("an educator sees only their own cohorts: another's id is 404 and their actions are refused; admins see all", async () => {
    const edu1 = await signIn("edu1@example.test");
    const cohortId = await createCohort(edu1, "Private cohort 7731");
    const learner = await newLearner();
    await joinByLink(edu1, cohortId, learner);
    const assignmentId = await assign(edu1, cohortId, `case:${await caseIdOf("mini-case")}:latest`);

    const edu2 = await signIn("edu2@example.test");
    const list = await edu2.get("/educator");
    expect(list.status).toBe(200);
    expect(text(list.html)).not.toContain("Private cohort 7731");
    for (const url of [
      `/educator/cohorts/${cohortId}`,
      `/educator/cohorts/${cohortId}/assignments/${assignmentId}`,
      `/educator/cohorts/${cohortId}/progress.csv`,
      `/educator/cohorts/${cohortId}/progress.csv?assignment=${assignmentId}`,
      `/educator/cohorts/nonexistent`,
    ]) {
      const page = await edu2.get(url);
      expect(page.status, `GET ${url}`).toBe(404);
      expect(page.html).not.toContain("Private cohort 7731");
      expect(page.html).not.toContain(learner.email);
    }
    await edu2.get("/educator");
    const attempts: Array<Record<string, string>> = [
      { intent: "rename", name: "Taken over" },
      { intent: "add-members", emails: "edu2@example.test" },
      { intent: "remove-member", userId: "x" },
      { intent: "revoke-invitation", invitationId: "x" },
      { intent: "regenerate-invite" },
      { intent: "assign", target: `case:${await caseIdOf("mini-case")}:latest` },
      { intent: "delete", confirm: "yes" },
    ];
    for (const fields of attempts) {
      expect((await edu2.post(`/educator/cohorts/${cohortId}`, fields)).status, fields.intent).toBe(404);
    }
    expect(
      (await edu2.post(`/educator/cohorts/${cohortId}/assignments/${assignmentId}`, { intent: "delete" })).status,
    ).toBe(404);
    expect(
      (
        await edu2.post(`/educator/cohorts/${cohortId}/assignments/${assignmentId}`, {
          intent: "due",
          dueDate: "2030-01-01",
        })
      ).status,
    ).toBe(404);
    const row = await getDb().cohort.findUniqueOrThrow({ where: { id: cohortId }, select: { name: true } });
    expect(row.name).toBe("Private cohort 7731");
    expect(await memberEmails(cohortId)).toEqual([learner.email]);
    expect(await assignmentIds(cohortId)).toEqual([assignmentId]);

    // An author manages modules but runs no cohort.
    const author = await signIn("author@example.test");
    expect((await author.get("/educator")).status).toBe(200);
    expect((await author.get(`/educator/cohorts/${cohortId}`)).status).toBe(403);

    const admin = await signIn("admin@example.test");
    const all = text((await admin.get("/educator")).html);
    expect(all).toContain("Private cohort 7731");
    expect(all).toContain("edu1");
    expect((await admin.get(`/educator/cohorts/${cohortId}`)).status).toBe(200);
    expect((await admin.get(`/educator/cohorts/${cohortId}/assignments/${assignmentId}`)).status).toBe(200);
    expect((await admin.get(`/educator/cohorts/${cohortId}/progress.csv`)).status).toBe(200);
  });

  it("refuses educator forms without the CSRF token or from another site", async () => {
    const edu = await signIn("edu1@example.test");
    await edu.get("/educator");
    expect((await edu.post("/educator?index", { name: "No token" }, { csrf: false })).status).toBe(403);
    expect((await edu.post("/educator?index", { name: "Forged", csrf: "forged" })).status).toBe(403);
    expect((await edu.post("/educator?index", { name: "Cross-site" }, { origin: "https://evil.example" })).status).toBe(
      403,
    );
    expect(await getDb().cohort.count({ where: { name: { in: ["No token", "Forged", "Cross-site"] } } })).toBe(0);
  });
});

describe("cohorts", () => {
  it("creates a cohort, invites by email (the same answer for every address), members are who accepted", async () => {
    const edu = await signIn("edu1@example.test");
    await edu.get("/educator");
    const empty = await edu.post("/educator?index", { name: "   " });
    expect(empty.status).toBe(400);
    expect(text(empty.html)).toContain("Enter a name (1 to 120 characters).");

    const cohortId = await createCohort(edu, "Autumn 2026 — OT");
    const page = await edu.get(`/educator/cohorts/${cohortId}`);
    expect(page.status).toBe(200);
    expect(text(page.html)).toContain("Autumn 2026 — OT");
    expect(page.html).toMatch(/<label for="emails">/);

    const a = await newLearner();
    const b = await newLearner();
    // Inviting an account and an address without one: the same answer, and nobody is a member.
    const invited = await submit(edu, `/educator/cohorts/${cohortId}`, {
      intent: "add-members",
      emails: `${a.email}, nobody-here@example.test`,
    });
    expect(invited.status).toBe(200);
    expect(text(invited.html)).toContain("Invitations sent to 2 addresses.");
    expect(text(invited.html)).toContain("Pending: 2 · Accepted: 0 · Declined: 0 · Expired: 0");
    expect(await memberEmails(cohortId)).toEqual([]);

    const invalid = await submit(edu, `/educator/cohorts/${cohortId}`, {
      intent: "add-members",
      emails: "not an email",
    });
    expect(invalid.status).toBe(400);
    expect(text(invalid.html)).toContain("Enter at least one valid email address.");

    await joinByLink(edu, cohortId, a, b);
    expect(await memberEmails(cohortId)).toEqual([a.email, b.email].sort());
    const members = text((await edu.get(`/educator/cohorts/${cohortId}`)).html);
    expect(members).toContain(a.name);
    expect(members).toContain(b.email);

    const userId = (await getDb().user.findUniqueOrThrow({ where: { email: a.email }, select: { id: true } })).id;
    const removed = await submit(edu, `/educator/cohorts/${cohortId}`, { intent: "remove-member", userId });
    expect(removed.status).toBe(200);
    expect(text(removed.html)).toContain(`${a.name} was removed from the cohort.`);
    expect(await memberEmails(cohortId)).toEqual([b.email]);

    const renamed = await submit(edu, `/educator/cohorts/${cohortId}`, { intent: "rename", name: "Autumn 2026" });
    expect(text(renamed.html)).toContain("Cohort renamed.");
    const notConfirmed = await submit(edu, `/educator/cohorts/${cohortId}`, { intent: "delete" });
    expect(notConfirmed.status).toBe(400);
    expect(text(notConfirmed.html)).toContain("Tick the box to confirm.");
    const deleted = await submit(edu, `/educator/cohorts/${cohortId}`, { intent: "delete", confirm: "yes" });
    expect(deleted.status).toBe(302);
    expect((await edu.get(`/educator/cohorts/${cohortId}`)).status).toBe(404);
  });

  it("a new person who follows the invitation link joins only once they accept, after signing up", async () => {
    const edu = await signIn("edu1@example.test");
    const cohortId = await createCohort(edu, "Invited cohort");
    const page = await edu.get(`/educator/cohorts/${cohortId}`);
    const link = /value="(http[^"]*\/invite\/([a-z2-9]{26}))"/.exec(page.html);
    expect(link).not.toBeNull();
    const code = link![2]!;
    expect(code).toBe(
      (await getDb().cohort.findUniqueOrThrow({ where: { id: cohortId }, select: { inviteCode: true } })).inviteCode,
    );

    // Signed out: the link leads to the join form, invitation carried through.
    const visitor = new Client(server.url);
    const opened = await visitor.get(`/invite/${code}`);
    expect(opened.status).toBe(302);
    expect(opened.location).toBe(`/join?invite=${code}`);
    const form = await visitor.get(opened.location!);
    expect(text(form.html)).toContain("You are invited to the cohort “Invited cohort”.");
    expect(form.html).toContain(`name="invite" value="${code}"`);
    expect(form.html).toContain(`/login?redirectTo=${encodeURIComponent(`/invite/${code}`)}`);

    // Signing up joins nothing: it leads, signed in, to the page that asks.
    const joined = await newLearner({ invite: code }, `?invite=${code}`);
    expect(joined.page.location).toBe(`/invite/${code}`);
    expect(await memberEmails(cohortId)).toEqual([]);
    const asked = text((await joined.client.get(`/invite/${code}`)).html);
    expect(asked).toContain("Your educator will see your attempts at this cohort's assignments from now on");
    expect(asked).toContain("They will not see your reflections, anything you did before joining");
    expect((await joined.client.post(`/invite/${code}`, {})).location).toBe(`/me/cohorts?joined=${cohortId}`);
    expect(await memberEmails(cohortId)).toEqual([joined.email]);
    // A bad join keeps the invitation.
    const bad = await new Client(server.url).post(`/join?invite=${code}`, {
      name: "",
      email: "x",
      password: "short",
      invite: code,
    });
    expect(bad.status).toBe(400);
    expect(bad.html).toContain(`name="invite" value="${code}"`);

    // Signed in: accept with one click.
    const existing = await newLearner();
    const offer = await existing.client.get(`/invite/${code}`);
    expect(offer.status).toBe(200);
    expect(text(offer.html)).toContain("Join Invited cohort");
    expect(offer.html).toContain('name="csrf"');
    // The code stays out of other sites' referrers, but not with "no-referrer": under that policy a
    // browser posts this form with "Origin: null", which is refused (the button failed without JS).
    expect(offer.html).toMatch(/<meta name="referrer" content="same-origin"\/?>/);
    expect((await existing.client.post(`/invite/${code}`, {}, { csrf: false })).status).toBe(403);
    expect(await memberEmails(cohortId)).toEqual([joined.email]);
    const accepted = await existing.client.post(`/invite/${code}`, {});
    expect(accepted.status).toBe(302);
    expect(accepted.location).toBe(`/me/cohorts?joined=${cohortId}`);
    expect(text((await existing.client.get(accepted.location!)).html)).toContain("You joined “Invited cohort”.");
    expect(await memberEmails(cohortId)).toEqual([joined.email, existing.email].sort());
    expect(text((await existing.client.get(`/invite/${code}`)).html)).toContain("You are already in this cohort.");

    // Replacing the link makes the old one useless.
    const replaced = await submit(edu, `/educator/cohorts/${cohortId}`, { intent: "regenerate-invite" });
    expect(text(replaced.html)).toContain("the previous one no longer works");
    expect((await new Client(server.url).get(`/invite/${code}`)).status).toBe(404);
    expect(text((await new Client(server.url).get(`/join?invite=${code}`)).html)).toContain(
      "This invitation link is not valid any more.",
    );
    expect((await new Client(server.url).get(`/invite/not-a-code`)).status).toBe(404);
  });
});

describe("modules", () => {
  it("creates a module with ordered cases, shows total hours, reorders, edits and deletes", async () => {
    const author = await signIn("author@example.test");
    await author.get("/educator/modules/new");
    const bad = await author.post("/educator/modules/new", {
      titleEn: "Only English",
      titleFr: "",
      descriptionEn: "Typed text 55",
    });
    expect(bad.status).toBe(400);
    expect(text(bad.html)).toContain("Enter a title in English and in French");
    expect(bad.html).toContain('value="Only English"');
    expect(bad.html).toContain("Typed text 55</textarea>");

    const body = new URLSearchParams({
      titleEn: "Boundaries online",
      titleFr: "Limites en ligne",
      descriptionEn: "Two cases.",
      descriptionFr: "Deux cas.",
    });
    body.append("caseId", String(await caseIdOf("social-media-boundaries")));
    body.append("caseId", String(await caseIdOf("mini-case")));
    body.set("csrf", author.csrf!);
    const created = await author.request("/educator/modules/new", {
      method: "POST",
      body,
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.url },
    });
    expect(created.status).toBe(302);
    const url = created.location!;
    expect(url).toMatch(/^\/educator\/modules\/\w+$/);
    const order = (html: string) =>
      [...html.matchAll(/<th scope="row"><a [^>]*href="\/cases\/([\w-]+)"/g)].map((m) => m[1]);
    let page = await author.get(url);
    expect(order(page.html)).toEqual(["social-media-boundaries", "mini-case"]);
    expect(text(page.html)).toContain("Total credit hours: 0.75");

    const moved = await submit(author, url, {
      intent: "move",
      caseId: String(await caseIdOf("mini-case")),
      direction: "up",
    });
    expect(moved.status).toBe(200);
    const added = await submit(author, url, {
      intent: "add",
      caseId: String(await caseIdOf("online-therapeutic-relationship")),
    });
    expect(added.status).toBe(200);
    page = await author.get(url);
    expect(order(page.html)).toEqual(["mini-case", "social-media-boundaries", "online-therapeutic-relationship"]);
    expect(text(page.html)).toContain("Total credit hours: 1.5");
    const removed = await submit(author, url, {
      intent: "remove",
      caseId: String(await caseIdOf("social-media-boundaries")),
    });
    expect(removed.status).toBe(200);
    expect(order((await author.get(url)).html)).toEqual(["mini-case", "online-therapeutic-relationship"]);
    const edited = await submit(author, url, {
      intent: "text",
      titleEn: "Boundaries",
      titleFr: "Limites",
      descriptionEn: "",
      descriptionFr: "",
    });
    expect(edited.status).toBe(200);
    expect(text((await author.get("/educator/modules")).html)).toContain("Boundaries");

    // In French, the module reads in French with French numbers.
    await author.post("/locale", { locale: "fr", redirectTo: url });
    const fr = text((await author.get(url)).html);
    expect(fr).toContain("Limites");
    expect(fr).toContain("Total des heures de formation : 1");
    await author.post("/locale", { locale: "en", redirectTo: url });

    // Another educator reads it but may not change it.
    const edu2 = await signIn("edu2@example.test");
    const readOnly = await edu2.get(url);
    expect(readOnly.status).toBe(200);
    expect(text(readOnly.html)).toContain("Only the module's creator or an operator can change it.");
    expect((await edu2.post(url, { intent: "delete" })).status).toBe(403);

    const deleted = await submit(author, url, { intent: "delete" });
    expect(deleted.status).toBe(302);
    expect((await author.get(url)).status).toBe(404);
  });
});

describe("assignments, learner home and progress", () => {
  it("shows assignments with due dates on the learner's home and statuses on the dashboard, never reflections", async () => {
    const edu = await signIn("edu1@example.test");
    const cohortId = await createCohort(edu, "Dashboard cohort");
    const passer = await newLearner();
    const failer = await newLearner();
    const idle = await newLearner();
    const starter = await newLearner();
    await joinByLink(edu, cohortId, passer, failer, idle, starter);
    // A module of the mini case, for module progress.
    await edu.get("/educator/modules/new");
    const moduleBody = new URLSearchParams({
      titleEn: "Mini module",
      titleFr: "Mini module FR",
      csrf: edu.csrf!,
      caseId: String(await caseIdOf("mini-case")),
    });
    const moduleCreated = await edu.request("/educator/modules/new", {
      method: "POST",
      body: moduleBody,
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.url },
    });
    const moduleId = moduleCreated.location!.split("/").at(-1)!;

    const badDate = await submit(edu, `/educator/cohorts/${cohortId}`, {
      intent: "assign",
      target: `case:${await caseIdOf("mini-case")}:latest`,
      dueDate: "2026-02-31",
    });
    expect(badDate.status).toBe(400);
    expect(text(badDate.html)).toContain("Enter a valid date, or leave it empty.");
    expect(badDate.html).toContain('value="2026-02-31"');
    const noTarget = await submit(edu, `/educator/cohorts/${cohortId}`, { intent: "assign", target: "", dueDate: "" });
    expect(noTarget.status).toBe(400);
    expect(text(noTarget.html)).toContain("Choose a module or a case study.");
    // A target that names nothing published: the model's failure code, said on the target field.
    for (const target of [
      "module:no-such-module",
      "case:999999:latest",
      `case:${await caseIdOf("mini-case")}:999999`,
    ]) {
      const unknown = await submit(edu, `/educator/cohorts/${cohortId}`, { intent: "assign", target, dueDate: "" });
      expect(unknown.status, target).toBe(400);
      expect(text(unknown.html), target).toContain("This module or case study is no longer available.");
    }

    const overdueId = await assign(edu, cohortId, `case:${await caseIdOf("mini-case")}:latest`, "2020-01-15");
    const futureId = await assign(edu, cohortId, `module:${moduleId}`, "2099-06-30");

    // The learner's home lists both, soonest due first, with status text.
    const home = text((await idle.client.get("/")).html);
    expect(home).toContain("My assignments");
    expect(home).toContain("A follow request Dashboard cohort January 15, 2020 Not started · Overdue");
    expect(home).toContain("Mini module");
    expect(home).toContain("June 30, 2099");
    expect(home.indexOf("January 15, 2020")).toBeLessThan(home.indexOf("June 30, 2099"));

    await playMini(passer.client, "explain");
    await playMini(failer.client, "ignore");
    const url = await start(starter.client);
    await step(starter.client, url, "context");

    expect(text((await passer.client.get("/")).html)).toContain(
      "Dashboard cohort January 15, 2020 Passed · Passed late",
    );
    expect(text((await failer.client.get("/")).html)).toContain("Not passed · Overdue");
    const fr = text(
      (await idle.client.post("/locale", { locale: "fr", redirectTo: "/" }), await idle.client.get("/")).html,
    );
    expect(fr).toContain("Mes travaux assignés");
    expect(fr).toContain("15 janvier 2020");
    expect(fr).toContain("Pas commencé · En retard");

    const dashboard = await edu.get(`/educator/cohorts/${cohortId}/assignments/${overdueId}`);
    expect(dashboard.status).toBe(200);
    expect(dashboard.html).toContain('<th scope="col">Status</th>');
    expect(rowOf(dashboard.html, passer.name)).toMatch(/Passed 100\s?% \w+ \d+, \d{4} Passed late/);
    expect(rowOf(dashboard.html, failer.name)).toMatch(/Not passed \d+(\.\d)?\s?% — Overdue/);
    expect(rowOf(dashboard.html, idle.name)).toContain("Not started — — Overdue");
    expect(rowOf(dashboard.html, starter.name)).toContain("In progress — — Overdue");
    expect(text(dashboard.html)).toContain("Not started: 1 In progress: 1 Passed: 1 Not passed: 1 Overdue: 3");

    const moduleDashboard = await edu.get(`/educator/cohorts/${cohortId}/assignments/${futureId}`);
    expect(rowOf(moduleDashboard.html, passer.name)).toContain("Passed 1 of 1");
    expect(rowOf(moduleDashboard.html, idle.name)).toContain("Not started 0 of 1");
    expect(rowOf(moduleDashboard.html, idle.name)).toContain("On time");

    const cohortPage = await edu.get(`/educator/cohorts/${cohortId}`);
    // Per assignment: not started, in progress, passed, failed, overdue.
    expect(text(cohortPage.html)).toContain("January 15, 2020 1 1 1 1 3");

    // Changing the due date clears the overdue flags.
    const due = await submit(edu, `/educator/cohorts/${cohortId}/assignments/${overdueId}`, {
      intent: "due",
      dueDate: "2099-01-01",
    });
    expect(text(due.html)).toContain("Due date saved.");
    expect(rowOf(due.html, idle.name)).toContain("Not started — — On time");
    const badDue = await submit(edu, `/educator/cohorts/${cohortId}/assignments/${overdueId}`, {
      intent: "due",
      dueDate: "soon",
    });
    expect(badDue.status).toBe(400);
    expect(badDue.html).toContain('value="soon"');

    // CSV: one row per learner and assignment, machine-readable.
    const csv = await edu.get(`/educator/cohorts/${cohortId}/progress.csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get("Content-Type")).toContain("text/csv");
    expect(csv.headers.get("Content-Disposition")).toContain("attachment");
    expect(csv.headers.get("Cache-Control")).toBe("no-store");
    const lines = csv.html
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\r\n");
    expect(lines[0]).toBe(
      "cohort,assignment_id,assignment_type,assignment_title_en,assignment_title_fr,case_slugs,pinned_version,due_at,learner_name,learner_email,registration_number,status,overdue,passed_late,best_score,completed_at,cases_passed,cases_total",
    );
    expect(lines).toHaveLength(1 + 2 * 4);
    const passerLine = lines.find((l) => l.includes(passer.email) && l.includes(overdueId))!;
    expect(passerLine).toMatch(
      new RegExp(
        `^Dashboard cohort,${overdueId},case,A follow request,Une demande d'abonnement,mini-case,,2099-01-02T04:59:59.999Z,${passer.name},${passer.email},OT-\\d+,passed,false,false,1,\\d{4}-\\d\\d-\\d\\dT`,
      ),
    );
    expect(lines.find((l) => l.includes(idle.email) && l.includes(futureId))).toContain(
      ",module,Mini module,Mini module FR,mini-case,,2099-07-01T03:59:59.999Z,",
    );
    const one = await edu.get(`/educator/cohorts/${cohortId}/progress.csv?assignment=${futureId}`);
    expect(one.html.trim().split("\r\n")).toHaveLength(1 + 4);
    expect((await edu.get(`/educator/cohorts/${cohortId}/progress.csv?assignment=nope`)).status).toBe(404);

    // Reflections are the learner's alone: on no educator page, nor in the export.
    const admin = await signIn("admin@example.test");
    for (const [client, page] of [
      [edu, `/educator/cohorts/${cohortId}`],
      [edu, `/educator/cohorts/${cohortId}/assignments/${overdueId}`],
      [edu, `/educator/cohorts/${cohortId}/assignments/${futureId}`],
      [edu, `/educator/cohorts/${cohortId}/progress.csv`],
      [edu, "/educator"],
      [admin, `/educator/cohorts/${cohortId}/assignments/${overdueId}`],
      [admin, `/educator/cohorts/${cohortId}/progress.csv`],
    ] as const) {
      const got = await client.get(page);
      expect(got.status).toBe(200);
      expect(got.html, page).not.toContain(REFLECTION);
    }

    // Every string comes from the catalogs, in both languages.
    for (const locale of ["fr", "en"]) {
      await edu.post("/locale", { locale, redirectTo: "/educator" });
      for (const page of [
        "/educator",
        `/educator/cohorts/${cohortId}`,
        `/educator/cohorts/${cohortId}/assignments/${overdueId}`,
        `/educator/cohorts/${cohortId}/assignments/${futureId}`,
        "/educator/modules",
        `/educator/modules/${moduleId}`,
        "/educator/modules/new",
      ]) {
        const got = await edu.get(page);
        expect(got.status).toBe(200);
        expect(text(got.html), `${locale} ${page}`).not.toMatch(/\beducator\.[a-z]+\.|\{\{/);
        expect(got.html).toContain(`<html lang="${locale}"`);
      }
    }
    expect(
      text(
        (await edu.post("/locale", { locale: "fr", redirectTo: "/educator" }),
        await edu.get(`/educator/cohorts/${cohortId}/assignments/${overdueId}`)).html,
      ),
    ).toContain("Pas commencé : 1");
    await edu.post("/locale", { locale: "en", redirectTo: "/educator" });

    // Removing an assignment takes it off the learner's home; their attempts stay.
    const gone = await submit(edu, `/educator/cohorts/${cohortId}/assignments/${futureId}`, { intent: "delete" });
    expect(gone.status).toBe(302);
    expect(text((await passer.client.get("/")).html)).not.toContain("Mini module");
  });

  it("a pinned assignment counts only attempts on its version; latest counts any version", async () => {
    const edu = await signIn("edu1@example.test");
    const cohortId = await createCohort(edu, "Pinned cohort");
    const learner = await newLearner();
    await joinByLink(edu, cohortId, learner);
    await playMini(learner.client, "explain"); // on version 1

    // Version 2 of the mini case is published.
    await publishMiniCaseVersion(server.dbFile, "What now (v2)?");

    const caseId = await caseIdOf("mini-case");
    const page = await edu.get(`/educator/cohorts/${cohortId}`);
    expect(text(page.html)).toContain("A follow request (version 2 only)");
    const latest = await assign(edu, cohortId, `case:${caseId}:latest`);
    const pinned1 = await assign(edu, cohortId, `case:${caseId}:${await versionIdOf("mini-case", 1)}`);
    const pinned2 = await assign(edu, cohortId, `case:${caseId}:${await versionIdOf("mini-case", 2)}`);
    const rejected = await submit(edu, `/educator/cohorts/${cohortId}`, {
      intent: "assign",
      target: `case:${await caseIdOf("social-media-boundaries")}:${await versionIdOf("mini-case", 1)}`,
    });
    expect(rejected.status).toBe(400);
    expect(text(rejected.html)).toContain("This module or case study is no longer available.");

    const status = async (assignmentId: string) =>
      rowOf((await edu.get(`/educator/cohorts/${cohortId}/assignments/${assignmentId}`)).html, learner.name);
    expect(await status(latest)).toContain("Passed");
    expect(await status(pinned1)).toContain("Passed");
    expect(await status(pinned2)).toContain("Not started");
    const pinnedPage = text((await edu.get(`/educator/cohorts/${cohortId}/assignments/${pinned2}`)).html);
    expect(pinnedPage).toContain("Version 2 only");
    const home = text((await learner.client.get("/")).html);
    expect(home).toContain("Version 2 only");
    expect(home).toContain("Version 1 only");

    // A learner whose cohort is pinned to version 1 plays version 1, though version 2 is current.
    const pinnedCohort = await createCohort(edu, "Pinned to version 1");
    const other = await newLearner();
    await joinByLink(edu, pinnedCohort, other);
    await assign(edu, pinnedCohort, `case:${caseId}:${await versionIdOf("mini-case", 1)}`);
    await other.client.get("/cases/mini-case");
    const started = await other.client.post("/cases/mini-case", {});
    expect(started.status).toBe(302);
    const attempt = text((await other.client.get(started.location!)).html);
    expect(attempt).toContain("Version 1");
    // Everyone else gets the current version.
    const outsider = await newLearner();
    await outsider.client.get("/cases/mini-case");
    const current = await outsider.client.post("/cases/mini-case", {});
    expect(text((await outsider.client.get(current.location!)).html)).toContain("Version 2");
  });
});
