// The authoring studio over real HTTP, as a browser without JavaScript uses it: drafts, pinned
// errors, review by someone else, publication, scheduling, uploads, downloads, retirement, and the
// role checks on every route.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "~/models/user.server";
import { getDb } from "~/utils/db.server";
import { Client, text } from "../support/client";
import { startServer, type TestServer } from "../support/server";

let server: TestServer;
const fixtures = path.resolve("tests/fixtures/valid");
const miniCase = fs.readFileSync(path.join(fixtures, "mini-case.json"), "utf8");
const miniCatalog = fs.readFileSync(path.join(fixtures, "standards/mini-standards.json"), "utf8");
const PASSWORD = "correct horse battery staple";

let counter = 0;
async function signedIn(
  roles: Array<"learner" | "educator" | "author" | "reviewer" | "admin">,
  name = roles.join("-"),
) {
  const email = `${name}-${++counter}@studio.test`;
  await createUser({
    email,
    name: `${name} ${counter}`,
    password: PASSWORD,
    registrationNumber: `R-${counter}`,
    regulator: "demo",
    locale: "en",
    roles,
  });
  const client = new Client(server.url);
  const page = await client.login(email, PASSWORD);
  expect(page.status).toBe(302);
  return client;
}

/** A case file like the fixture under another slug (and other edits). */
function caseSource(slug: string, mutate: (value: any) => void = () => {}): string {
  const value = JSON.parse(miniCase);
  value.slug = slug;
  value.title = { en: `Case ${slug}`, fr: `Cas ${slug}` };
  mutate(value);
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** A multipart upload as a browser sends it, with the page's CSRF token. */
async function upload(client: Client, url: string, fileName: string, content: string) {
  if (!client.csrf) await client.get("/studio");
  const form = new FormData();
  form.append("csrf", client.csrf!);
  form.append("file", new Blob([content], { type: "application/json" }), fileName);
  return client.request(url, { method: "POST", body: form, headers: { Origin: new URL(server.url).origin } });
}

// Rows through Prisma, so the same checks run on SQLite and PostgreSQL.
const counts = {
  CaseDraft: () => getDb().caseDraft.count(),
  AuditEntry: () => getDb().auditEntry.count(),
  CaseVersion: () => getDb().caseVersion.count(),
  Attempt: () => getDb().attempt.count(),
  Completion: () => getDb().completion.count(),
};
const count = (table: keyof typeof counts) => counts[table]();
/** The rows a refused request must not add. */
const totals = async () => ({
  drafts: await count("CaseDraft"),
  audit: await count("AuditEntry"),
  versions: await count("CaseVersion"),
});
/** A subject's audit actions, oldest first. */
const auditActions = async (subject: string) =>
  (await getDb().auditEntry.findMany({ where: { subject }, orderBy: { id: "asc" }, select: { action: true } })).map(
    (r) => r.action,
  );
/** The pending change request's id for a subject. */
const pendingRequestId = async (subject: string) =>
  (await getDb().changeRequest.findFirstOrThrow({ where: { subject, status: "pending" }, select: { id: true } })).id;

async function newDraft(client: Client, source: string) {
  await client.get("/studio/drafts/new");
  const page = await client.post("/studio/drafts/new", { source });
  expect(page.status).toBe(302);
  const url = page.location!.replace(/\?.*$/, "");
  expect(url).toMatch(/^\/studio\/drafts\/\w+$/);
  return url;
}

let author: Client;
let reviewer: Client;
/** An author who is not a reviewer: writes and submits, approves nothing. */
let writer: Client;
/** A reviewer who is not an author: reads and decides, edits nothing. */
let checker: Client;
let admin: Client;
let learner: Client;
let educator: Client;

beforeAll(async () => {
  server = await startServer({ content: [fixtures] });
  // Authors who approve each other's drafts hold both roles (what the reviewer migration gives them).
  [author, reviewer, writer, checker, admin, learner, educator] = await Promise.all([
    signedIn(["author", "reviewer"], "author"),
    signedIn(["author", "reviewer"], "reviewer"),
    signedIn(["author"], "writer"),
    signedIn(["reviewer"], "checker"),
    signedIn(["admin", "author"], "admin"),
    signedIn(["learner"], "learner"),
    signedIn(["educator"], "educator"),
  ]);
});
afterAll(async () => {
  await getDb().$disconnect();
  await server?.stop();
});

describe("roles", () => {
  it("answers 403 to learners and educators on every studio route, and sends strangers to sign in", async () => {
    const draftUrl = await newDraft(author, caseSource("role-check"));
    const routes = [
      "/studio",
      "/studio/upload",
      "/studio/drafts/new",
      draftUrl,
      `${draftUrl}/source`,
      `${draftUrl}/preview`,
      `${draftUrl}/graph`,
      `${draftUrl}/translations`,
      "/studio/cases/mini-case",
      "/studio/cases/mini-case/versions/1/source",
      "/studio/cases/mini-case/versions/1/preview",
      "/studio/cases/mini-case/versions/1/graph",
      "/studio/cases/mini-case/versions/1/translations",
      "/studio/catalogs",
      "/studio/catalogs/mini-standards",
      "/studio/catalogs/mini-standards/versions/1/source",
    ];
    const posts: Array<[string, Record<string, string>]> = [
      ["/studio/drafts/new", { source: caseSource("sneaky") }],
      [draftUrl, { intent: "save", source: "{}" }],
      [draftUrl, { intent: "submit" }],
      [draftUrl, { intent: "approve", publishMode: "publish_now" }],
      [draftUrl, { intent: "reject", note: "no" }],
      ["/studio/cases/mini-case", { intent: "retire", confirm: "yes" }],
      ["/studio/cases/mini-case", { intent: "edit", version: "1" }],
    ];
    const before = await totals();
    for (const client of [learner, educator]) {
      await client.get("/cases");
      for (const route of routes) {
        const page = await client.get(route);
        expect(page.status, `GET ${route}`).toBe(403);
      }
      for (const [route, fields] of posts) {
        const page = await client.post(route, fields);
        expect(page.status, `POST ${route}`).toBe(403);
      }
      for (const route of ["/studio/upload", "/studio/catalogs"]) {
        const page = await upload(client, route, "mini-case.json", miniCase);
        expect(page.status, `upload ${route}`).toBe(403);
      }
    }
    expect(await totals()).toEqual(before);
    const stranger = new Client(server.url);
    for (const route of routes) {
      const page = await stranger.get(route);
      expect(page.status, `anonymous GET ${route}`).toBe(302);
      expect(page.location).toMatch(/^\/login\?redirectTo=/);
    }
  });

  it("lets authors and admins in", async () => {
    for (const client of [author, admin]) {
      const page = await client.get("/studio");
      expect(page.status).toBe(200);
      expect(text(page.html)).toContain("mini-case");
      expect(page.html).toContain('href="/studio.css"');
      expect(page.html).not.toMatch(/\sstyle="/);
    }
  });
});

describe("separation of duties", () => {
  it("lets an author who is not a reviewer submit but not approve", async () => {
    const url = await newDraft(writer, caseSource("duties-writer"));
    expect((await writer.post(url, { intent: "submit" })).status).toBe(302);
    const page = await writer.get(url);
    expect(text(page.html)).toContain("A reviewer of this regulator approves or sends back drafts.");
    expect(page.html).not.toContain('name="intent" value="approve"');
    const decisions: Array<Record<string, string>> = [
      { intent: "approve", publishMode: "publish_now" },
      { intent: "reject", note: "no" },
    ];
    for (const fields of decisions) {
      expect((await writer.post(url, fields)).status, fields.intent).toBe(403);
    }
    expect(
      await getDb().caseDraft.findUnique({ where: { id: url.split("/").at(-1)! }, select: { status: true } }),
    ).toEqual({ status: "in_review" });
  });

  it("lets a reviewer who is not an author read and approve, and answers 403 to every change", async () => {
    const url = await newDraft(writer, caseSource("duties-reviewer"));
    expect((await writer.post(url, { intent: "submit" })).status).toBe(302);

    const studio = await checker.get("/studio");
    expect(studio.status).toBe(200);
    expect(text(studio.html)).toContain("duties-reviewer");
    expect(studio.html).not.toContain('href="/studio/drafts/new"');
    for (const route of [
      url,
      `${url}/source`,
      `${url}/preview`,
      `${url}/graph`,
      "/studio/cases/mini-case",
      "/studio/cases/mini-case/versions/1/preview",
      "/studio/catalogs",
      "/studio/catalogs/mini-standards",
    ]) {
      expect((await checker.get(route)).status, `GET ${route}`).toBe(200);
    }
    const draftPage = await checker.get(url);
    expect(draftPage.html).not.toContain('name="intent" value="save"');
    expect(draftPage.html).toContain('name="intent" value="approve"');
    expect((await checker.get("/studio/cases/mini-case")).html).not.toContain('name="intent" value="retire"');

    const before = await totals();
    const posts: Array<[string, Record<string, string>]> = [
      ["/studio/drafts/new", { source: caseSource("duties-sneaky") }],
      ["/studio/drafts/new", { intent: "empty" }],
      [url, { intent: "save", source: caseSource("duties-reviewer", (v) => (v.passMark = 0.1)) }],
      [url, { intent: "autosave", source: "{}" }],
      [url, { intent: "submit" }],
      [url, { intent: "withdraw" }],
      ["/studio/cases/mini-case", { intent: "edit", version: "1" }],
      ["/studio/cases/mini-case", { intent: "retire", confirm: "yes" }],
    ];
    for (const [route, fields] of posts) {
      expect((await checker.post(route, fields)).status, `POST ${route} ${fields.intent ?? ""}`).toBe(403);
    }
    expect((await checker.get("/studio/drafts/new")).status).toBe(403);
    expect((await checker.get("/studio/upload")).status).toBe(403);
    for (const route of ["/studio/upload", "/studio/catalogs", `${url}/images`, `${url}/translations`]) {
      expect((await upload(checker, route, "mini-case.json", miniCase)).status, `upload ${route}`).toBe(403);
    }
    expect(await totals()).toEqual(before);

    const approved = await checker.post(url, { intent: "approve", publishMode: "publish_now" });
    expect([approved.status, approved.location]).toEqual([302, "/studio/cases/duties-reviewer?approved=1"]);
    expect((await learner.get("/cases/duties-reviewer")).status).toBe(200);
  });
});

describe("writing, reviewing and publishing a case", () => {
  const slug = "studio-flow";

  it("takes a draft from pinned errors to a published case that learners see", async () => {
    const broken = caseSource(slug, (v) => (v.nodes.q1.choices[0].next = "q9"));
    const url = await newDraft(author, broken);

    // The error is listed as cases:check prints it, with its line, on the page itself (no JS).
    let page = await author.get(url);
    expect(page.status).toBe(200);
    const line = broken.split("\n").findIndex((l) => l.includes('"q9"')) + 1;
    expect(text(page.html)).toMatch(
      new RegExp(
        `${slug}\\.json:${line}:\\d+: /nodes/q1/choices/0/next: no node "q9" \\(did you mean "q1"\\?\\)|${slug}\\.json:${line}:\\d+: /nodes/q1/choices/0/next: no node "q9"`,
      ),
    );
    expect(page.html).toContain('<textarea id="source" name="source"');

    // It cannot be submitted while it has errors.
    page = await author.post(url, { intent: "submit" });
    expect(page.status).toBe(400);
    expect(text(page.html)).toContain("The case has errors");
    expect(text(page.html)).toContain('/nodes/q1/choices/0/next: no node "q9"');

    // Fix, save, submit.
    page = await author.post(url, { intent: "save", source: caseSource(slug) });
    expect(page.status).toBe(302);
    page = await author.get(url);
    expect(text(page.html)).toContain("0 error(s), 1 warning(s)");
    page = await author.post(url, { intent: "submit" });
    expect(page.status).toBe(302);

    // The author may not approve their own submission.
    page = await author.get(url);
    expect(text(page.html)).toContain("someone else must review it");
    page = await author.post(url, { intent: "approve", publishMode: "publish_now" });
    expect(page.status).toBe(403);
    expect(text(page.html)).toContain("You cannot review a draft you submitted or last edited");
    expect(await getDb().case.count({ where: { slug } })).toBe(0);

    // Another author approves it: published now.
    await reviewer.get(url);
    page = await reviewer.post(url, { intent: "approve", publishMode: "publish_now" });
    expect(page.status).toBe(302);
    expect(page.location).toBe(`/studio/cases/${slug}?approved=1`);

    const cases = await learner.get("/cases");
    expect(text(cases.html)).toContain(`Case ${slug}`);
    expect((await learner.get(`/cases/${slug}`)).status).toBe(200);

    // Every step is in the case's history, with who did it.
    const history = text((await reviewer.get(`/studio/cases/${slug}`)).html);
    for (const label of ["Draft created", "Draft edited", "Submitted for review", "Approved", "Published"])
      expect(history).toContain(label);
    expect(await auditActions(slug)).toEqual(["draft_created", "draft_updated", "submitted", "approved", "published"]);
  });

  it("lets a reviewer send a draft back with a note", async () => {
    const url = await newDraft(author, caseSource("studio-reject"));
    await author.post(url, { intent: "submit" });
    await reviewer.get(url);
    let page = await reviewer.post(url, { intent: "reject", note: "" });
    expect(page.status).toBe(400);
    page = await reviewer.post(url, { intent: "reject", note: "Cite clause 1.1 in the feedback." });
    expect(page.status).toBe(302);
    page = await author.get(url);
    expect(text(page.html)).toContain("Changes requested by");
    expect(text(page.html)).toContain("Cite clause 1.1 in the feedback.");
    expect(page.html).toContain('name="intent" value="save"');
  });

  it("schedules a version for its release month, hidden from learners until then", async () => {
    const slug = "studio-scheduled";
    const url = await newDraft(
      author,
      caseSource(slug, (v) => (v.release = "2099-05")),
    );
    await author.post(url, { intent: "submit" });
    const page = await admin.get(url);
    expect(text(page.html)).toContain("At its release month: May 1, 2099");
    expect((await admin.post(url, { intent: "approve", publishMode: "release_month" })).status).toBe(302);

    const row = await getDb().caseVersion.findFirstOrThrow({
      where: { case: { slug } },
      orderBy: { id: "asc" },
      select: { publishedAt: true },
    });
    expect(row.publishedAt?.toISOString()).toBe("2099-05-01T04:00:00.000Z");
    expect(text((await learner.get("/cases")).html)).not.toContain(`Case ${slug}`);
    expect((await learner.get(`/cases/${slug}`)).status).toBe(404);
    const studio = text((await author.get("/studio")).html);
    expect(studio).toMatch(new RegExp(`${slug}.*v1 ◷ Scheduled`));
    expect(await auditActions(slug)).toContain("scheduled");
  });

  it("makes a new draft from a published version and retires a case", async () => {
    let page = await author.post("/studio/cases/studio-flow", { intent: "edit", version: "1" });
    expect(page.status).toBe(302);
    const draftId = page.location!.split("/").at(-1)!.replace(/\?.*$/, "");
    const draft = await getDb().caseDraft.findUniqueOrThrow({ where: { id: draftId }, select: { source: true } });
    expect(draft.source).toBe(caseSource("studio-flow"));

    page = await reviewer.post("/studio/cases/studio-flow", { intent: "retire" });
    expect(page.status).toBe(400);
    page = await reviewer.post("/studio/cases/studio-flow", { intent: "retire", confirm: "yes" });
    expect([page.status, page.location]).toEqual([302, "/studio/cases/studio-flow?retireRequested=1"]);
    // Four eyes: until someone else confirms, learners still have the case.
    expect(text((await learner.get("/cases")).html)).toContain("Case studio-flow");
    const waiting = text((await reviewer.get("/studio/cases/studio-flow")).html);
    expect(waiting).toContain("Retiring the case studio-flow");
    expect(waiting).toContain("You asked for this: another person must approve it.");
    const requestId = await pendingRequestId("studio-flow");
    page = await reviewer.post("/studio/cases/studio-flow", { intent: "approve-change", requestId });
    expect(page.status).toBe(403);
    expect(text(page.html)).toContain("You asked for this change: another person must approve it.");
    // An author who is not a reviewer may not decide; a reviewer who is not an author may.
    await writer.get("/studio/cases/studio-flow");
    expect((await writer.post("/studio/cases/studio-flow", { intent: "approve-change", requestId })).status).toBe(403);
    await checker.get("/studio/cases/studio-flow");
    page = await checker.post("/studio/cases/studio-flow", { intent: "approve-change", requestId });
    expect([page.status, page.location]).toEqual([302, "/studio/cases/studio-flow?retired=1"]);
    expect(text((await learner.get("/cases")).html)).not.toContain("Case studio-flow");
    expect(text((await reviewer.get("/studio/cases/studio-flow")).html)).toContain("Retired");
    expect(
      await getDb().auditEntry.findFirst({
        where: { subject: "studio-flow" },
        orderBy: { id: "desc" },
        select: { action: true },
      }),
    ).toEqual({ action: "retired" });
  });
});

describe("files", () => {
  it("refuses a broken upload with the CLI's pinpointed errors and changes nothing", async () => {
    const broken = miniCase
      .replace('"passMark": 0.7', '"passMark": 70')
      .replace('"start": "context"', '"start": "contxt"');
    const before = await totals();
    const page = await upload(author, "/studio/upload", "mini-case.json", broken);
    expect(page.status).toBe(400);
    const body = text(page.html);
    expect(body).toContain("mini-case.json has errors and was not saved");
    expect(body).toMatch(/mini-case\.json:11:3: \/passMark: /);
    expect(body).toMatch(/mini-case\.json:14:3: \/start: no node "contxt" \(did you mean "context"\?\)/);
    expect(await totals()).toEqual(before);
  });

  it("refuses a file over the size limit", async () => {
    const page = await upload(author, "/studio/upload", "big.json", " ".repeat(1_100_000));
    expect(page.status).toBe(413);
  });

  it("downloads a version byte for byte; uploading it again is unchanged", async () => {
    const download = await author.get("/studio/cases/mini-case/versions/1/source");
    expect(download.status).toBe(200);
    expect(download.headers.get("Content-Disposition")).toBe('attachment; filename="mini-case.json"');
    expect(download.html).toBe(miniCase);
    const drafts = await count("CaseDraft");
    const page = await upload(author, "/studio/upload", "mini-case.json", download.html);
    expect(page.status).toBe(200);
    expect(text(page.html)).toContain("Unchanged — mini-case.json is identical to version 1 of mini-case");
    expect(await count("CaseDraft")).toBe(drafts);
  });

  it("turns a valid changed upload into a draft and downloads its current source", async () => {
    const changed = miniCase.replace("Good.", "Good (1.1).");
    const page = await upload(author, "/studio/upload", "mini-case.json", changed);
    expect(page.status).toBe(302);
    const url = page.location!.replace(/\?.*$/, "");
    const source = await author.get(`${url}/source`);
    expect(source.html).toBe(changed);
  });

  it("uploads and versions standards catalogs", async () => {
    let page = await upload(admin, "/studio/catalogs", "mini-standards.json", miniCatalog);
    expect(page.status).toBe(409);
    expect(text(page.html)).toContain("Identical to version 1: nothing to publish.");
    page = await upload(
      admin,
      "/studio/catalogs",
      "mini-standards.json",
      miniCatalog.replace('"version": "1"', '"version": "2"'),
    );
    expect(page.status).toBe(200);
    expect(text(page.html)).toContain("Version asked for: catalog mini-standards is published once another person");
    // Four eyes: not published until someone else approves, and not by the person who asked.
    expect((await author.get("/studio/catalogs/mini-standards/versions/2/source")).status).toBe(404);
    const requestId = await pendingRequestId("mini-standards");
    await admin.get("/studio/catalogs");
    expect((await admin.post("/studio/catalogs", { intent: "approve-change", requestId })).status).toBe(403);
    const listed = text((await author.get("/studio/catalogs")).html);
    expect(listed).toContain("A new version of catalog mini-standards");
    await writer.get("/studio/catalogs");
    expect((await writer.post("/studio/catalogs", { intent: "approve-change", requestId })).status).toBe(403);
    await checker.get("/studio/catalogs");
    page = await checker.post("/studio/catalogs", { intent: "approve-change", requestId });
    expect([page.status, page.location]).toEqual([302, "/studio/catalogs?decided=approved"]);
    page = await upload(
      admin,
      "/studio/catalogs",
      "mini-standards.json",
      miniCatalog.replace('"code": "1.2"', '"code": "1.1"'),
    );
    expect(page.status).toBe(400);
    expect(text(page.html)).toMatch(
      /mini-standards\.json:\d+:\d+: \/items\/0\/items\/1\/code: code "1.1" is used twice/,
    );
    page = await author.get("/studio/catalogs/mini-standards?version=1");
    expect(text(page.html)).toContain("Contact personnel");
    expect((await author.get("/studio/catalogs/mini-standards/versions/2/source")).html).toContain('"version": "2"');
  });
});

describe("looking at a case", () => {
  it("previews a version from the URL without creating attempts, and scores the path", async () => {
    const attempts = await count("Attempt");
    const completions = await count("Completion");
    let page = await author.get("/studio/cases/mini-case/versions/1/preview");
    expect(page.status).toBe(200);
    expect(page.html).toContain("preview?at=q1");
    page = await author.get("/studio/cases/mini-case/versions/1/preview?at=q2&path=q1.decline");
    expect(text(page.html)).toContain("You chose");
    page = await author.get("/studio/cases/mini-case/versions/1/preview?at=end-good&path=q1.decline,q2.explain");
    expect(text(page.html)).toContain("✓ Passed");
    page = await author.get("/studio/cases/mini-case/versions/1/preview?simulate=1&c.q1=accept&c.q2=explain");
    expect(text(page.html)).toContain("A critical choice was taken: Accept");
    expect(text(page.html)).toContain("Expert path");
    expect(await count("Attempt")).toBe(attempts);
    expect(await count("Completion")).toBe(completions);
  });

  it("draws the decision tree as accessible SVG with a legend and a text list", async () => {
    const page = await author.get("/studio/cases/mini-case/versions/1/graph");
    expect(page.status).toBe(200);
    expect(page.html).toMatch(/<svg class="case-graph"[^>]*role="img"/);
    expect(text(page.html)).toContain("Legend");
    expect(text(page.html)).toContain("✕ critical");
    expect(page.html).not.toMatch(/\sstyle="/);
  });

  it("shows every text in English and French, flagging a missing translation in a draft", async () => {
    const url = await newDraft(
      author,
      caseSource("studio-translate", (v) => delete v.nodes.q1.choices[0].feedback.fr),
    );
    const page = await author.get(`${url}/translations`);
    expect(page.status).toBe(200);
    expect(text(page.html)).toContain("1 text is missing a translation.");
    // And the editor shows the engine's error for it, pinned to its line.
    expect(text((await author.get(url)).html)).toMatch(
      /studio-translate\.json:\d+:\d+: \/nodes\/q1\/choices\/0\/feedback: missing the "fr" text/,
    );
  });
});
