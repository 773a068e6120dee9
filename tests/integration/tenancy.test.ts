// Two regulators on one deployment, over real HTTP: the staff of one never see, change, review or
// read analytics of the other's cases, drafts, versions or catalogs, by any route or any id.
// "demo" owns mini-case and mini-standards (tests/fixtures/valid); "coto" owns social-media-
// boundaries and coto-boundaries (cases/).
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/utils/db.server";
import type { Grant, Role } from "~/utils/roles";
import { Client, text } from "../support/client";
import { postFile, signedInAs } from "../support/people";
import { startServer, type TestServer } from "../support/server";

let server: TestServer;
const fixtures = path.resolve("tests/fixtures/valid");
const miniCase = fs.readFileSync(path.join(fixtures, "mini-case.json"), "utf8");
const miniCatalog = fs.readFileSync(path.join(fixtures, "standards/mini-standards.json"), "utf8");
/** The mini case with another summary: a change worth reviewing. */
const edited = (() => {
  const value = JSON.parse(miniCase);
  value.summary = { en: "Edited for review.", fr: "Modifié pour révision." };
  return `${JSON.stringify(value, null, 2)}\n`;
})();
const PASSWORD = "correct horse battery staple";

const signedIn = (regulator: string, roles: Role[], grants: Grant[] = []) =>
  signedInAs(server, { regulator, roles, grants });

const upload = (client: Client, url: string, fileName: string, content: string) =>
  postFile(server, client, url, fileName, content);

/** The status and source of the draft at `url`. */
const draftRow = (url: string) =>
  getDb().caseDraft.findUnique({ where: { id: url.split("/").at(-1) }, select: { status: true, source: true } });

let demoAuthor: Client;
let demoReviewer: Client;
let cotoAuthor: Client;
let cotoAdmin: Client;
let bothAuthor: Client;
let operator: Client;
let draftUrl: string;

beforeAll(async () => {
  server = await startServer({ content: [fixtures, path.resolve("cases")] });
  demoAuthor = await signedIn("demo", ["author"]);
  demoReviewer = await signedIn("demo", ["author", "reviewer"]);
  cotoAuthor = await signedIn("coto", ["author"]);
  cotoAdmin = await signedIn("coto", ["admin"]);
  bothAuthor = await signedIn("coto", ["author"], [{ role: "author", regulator: "demo" }]);
  operator = await signedIn("coto", ["operator"]);
  // A draft of demo's case, by demo's author.
  await demoAuthor.get("/studio/drafts/new");
  const created = await demoAuthor.post("/studio/drafts/new", { source: edited });
  expect(created.status).toBe(302);
  draftUrl = created.location!.replace(/\?.*$/, "");
});
afterAll(async () => {
  await getDb().$disconnect();
  await server?.stop();
});

describe("the studio of two regulators", () => {
  it("lists only the cases, drafts and catalogs of the person's regulators", async () => {
    const demo = text((await demoAuthor.get("/studio")).html);
    expect(demo).toContain("mini-case");
    expect(demo).not.toContain("social-media-boundaries");
    const coto = text((await cotoAuthor.get("/studio")).html);
    expect(coto).toContain("social-media-boundaries");
    expect(coto).not.toContain("mini-case");
    const both = text((await bothAuthor.get("/studio")).html);
    expect([both.includes("mini-case"), both.includes("social-media-boundaries")]).toEqual([true, true]);

    const catalogs = text((await cotoAuthor.get("/studio/catalogs")).html);
    expect(catalogs).toContain("coto-boundaries");
    expect(catalogs).not.toContain("mini-standards");
  });

  it("answers 404 for every page and download of another regulator's case, version, draft and catalog", async () => {
    const foreign = [
      "/studio/cases/mini-case",
      "/studio/cases/mini-case/versions/1/source",
      "/studio/cases/mini-case/versions/1/graph",
      "/studio/cases/mini-case/versions/1/preview",
      "/studio/cases/mini-case/versions/1/translations",
      draftUrl,
      `${draftUrl}/source`,
      `${draftUrl}/graph`,
      `${draftUrl}/preview`,
      `${draftUrl}/translations`,
      "/studio/catalogs/mini-standards",
      "/studio/catalogs/mini-standards/versions/1/source",
      "/analytics/mini-case/1",
      "/analytics/mini-case/1.csv",
    ];
    for (const url of foreign) {
      expect([url, (await cotoAuthor.get(url)).status]).toEqual([url, 404]);
      // A regulator admin is staff of their own regulator only.
      expect([url, (await cotoAdmin.get(url)).status]).toEqual([url, 404]);
      // Their own staff and the operator reach them.
      expect([url, (await demoAuthor.get(url)).status]).toEqual([url, 200]);
      expect([url, (await operator.get(url)).status]).toEqual([url, 200]);
    }
    expect(text((await cotoAuthor.get("/analytics")).html)).not.toContain("mini-case");
  });

  it("refuses every change to another regulator's draft or case as not found, changing nothing", async () => {
    const before = await draftRow(draftUrl);
    expect(before).not.toBeNull();
    await cotoAuthor.get("/studio");
    for (const intent of ["save", "submit", "withdraw", "approve", "reject"]) {
      const page = await cotoAuthor.post(draftUrl, {
        intent,
        source: miniCase,
        note: "no",
        publishMode: "publish_now",
      });
      expect([intent, page.status]).toEqual([intent, 404]);
    }
    expect((await cotoAuthor.post("/studio/cases/mini-case", { intent: "edit", version: "1" })).status).toBe(404);
    expect((await cotoAuthor.post("/studio/cases/mini-case", { intent: "retire", confirm: "yes" })).status).toBe(404);
    const after = await draftRow(draftUrl);
    expect(after).toEqual(before);
    expect(await getDb().caseVersion.count({ where: { status: "retired" } })).toBe(0);
  });

  it("refuses to create, upload or publish content of a regulator one does not work for, with the reason", async () => {
    const drafts = await getDb().caseDraft.count();
    await cotoAuthor.get("/studio/drafts/new");
    const typed = await cotoAuthor.post("/studio/drafts/new", { source: miniCase });
    expect(typed.status).toBe(400);
    expect(text(typed.html)).toContain("You do not author cases of the regulator “demo” named in this file.");

    const uploaded = await upload(cotoAuthor, "/studio/upload", "mini-case.json", miniCase);
    expect(uploaded.status).toBe(400);
    expect(text(uploaded.html)).toMatch(/\/regulator: this case must be of regulator "coto", not "demo"/);

    const catalog = await upload(cotoAuthor, "/studio/catalogs", "mini-standards.json", miniCatalog);
    expect(catalog.status).toBe(400);
    expect(text(catalog.html)).toContain('you do not publish catalogs of regulator "demo"');
    expect(await getDb().caseDraft.count()).toBe(drafts);
  });

  it("keeps a draft its regulator's for life: a source naming another one cannot be submitted", async () => {
    await demoAuthor.get(draftUrl);
    const moved = edited.replace('"regulator": "demo"', '"regulator": "coto"');
    expect(moved).not.toBe(edited);
    expect((await demoAuthor.post(draftUrl, { intent: "save", source: moved })).status).toBe(302);
    const submitted = await demoAuthor.post(draftUrl, { intent: "submit" });
    expect(submitted.status).toBe(400);
    expect(text(submitted.html)).toContain('this case must be of regulator "demo", not "coto"');
    // Put back, it goes to review, and another demo author may approve it; a coto author never sees it.
    expect((await demoAuthor.post(draftUrl, { intent: "save", source: edited })).status).toBe(302);
    expect((await demoAuthor.post(draftUrl, { intent: "submit" })).status).toBe(302);
    expect(text((await cotoAuthor.get("/studio")).html)).not.toContain("Review");
    expect(text((await demoReviewer.get("/studio")).html)).toContain("mini-case");
  });

  it("gives a reviewer of one regulator 404 on another's content and 403 on every change to their own", async () => {
    const reviewer = await signedIn("demo", ["reviewer"]);
    // A draft of each regulator, in review.
    const draftOf = async (author: Client, source: string) => {
      await author.get("/studio/drafts/new");
      const created = await author.post("/studio/drafts/new", { source });
      expect(created.status).toBe(302);
      const url = created.location!.replace(/\?.*$/, "");
      expect((await author.post(url, { intent: "submit" })).status).toBe(302);
      return url;
    };
    const demoDraft = await draftOf(demoAuthor, edited.replace("Edited for review.", "Edited for the reviewer."));
    const coto = JSON.parse(fs.readFileSync(path.resolve("cases/social-media-boundaries.json"), "utf8"));
    coto.summary = { en: "Edited for coto's review.", fr: "Modifié pour la révision de coto." };
    const cotoDraft = await draftOf(cotoAuthor, `${JSON.stringify(coto, null, 2)}\n`);

    const studio = text((await reviewer.get("/studio")).html);
    expect(studio).toContain("mini-case");
    expect(studio).not.toContain("social-media-boundaries");
    for (const url of [
      demoDraft,
      `${demoDraft}/preview`,
      "/studio/cases/mini-case",
      "/studio/catalogs/mini-standards",
    ]) {
      expect([url, (await reviewer.get(url)).status]).toEqual([url, 200]);
    }
    const foreign = [
      cotoDraft,
      `${cotoDraft}/source`,
      `${cotoDraft}/preview`,
      "/studio/cases/social-media-boundaries",
      "/studio/cases/social-media-boundaries/versions/1/source",
      "/studio/cases/social-media-boundaries/versions/1/preview",
      "/studio/catalogs/coto-boundaries",
    ];
    for (const url of foreign) expect([url, (await reviewer.get(url)).status]).toEqual([url, 404]);
    for (const intent of ["approve", "reject"]) {
      const page = await reviewer.post(cotoDraft, { intent, note: "no", publishMode: "publish_now" });
      expect([intent, page.status]).toEqual([intent, 404]);
    }

    const drafts = () =>
      getDb().caseDraft.findMany({ orderBy: { id: "asc" }, select: { id: true, status: true, source: true } });
    const before = await drafts();
    const requests = await getDb().changeRequest.count();
    for (const intent of ["save", "autosave", "submit", "withdraw"]) {
      const page = await reviewer.post(demoDraft, { intent, source: miniCase });
      expect([intent, page.status]).toEqual([intent, 403]);
    }
    const changes: Array<Record<string, string>> = [
      { intent: "edit", version: "1" },
      { intent: "retire", confirm: "yes" },
    ];
    for (const fields of changes) {
      const page = await reviewer.post("/studio/cases/mini-case", fields);
      expect([fields.intent, page.status]).toEqual([fields.intent, 403]);
    }
    expect((await reviewer.post("/studio/drafts/new", { source: miniCase })).status).toBe(403);
    expect((await upload(reviewer, "/studio/upload", "mini-case.json", edited)).status).toBe(403);
    expect((await upload(reviewer, "/studio/catalogs", "mini-standards.json", miniCatalog)).status).toBe(403);
    expect(await drafts()).toEqual(before);
    expect(await getDb().changeRequest.count()).toBe(requests);

    // What a reviewer is for: approving the demo draft, which an author who is not one may not.
    expect((await cotoAuthor.post(demoDraft, { intent: "approve", publishMode: "publish_now" })).status).toBe(404);
    const approved = await reviewer.post(demoDraft, { intent: "approve", publishMode: "publish_now" });
    expect(approved.status).toBe(302);
    expect(approved.location).toMatch(/^\/studio\/cases\/mini-case\?approved=\d+$/);
  });
});

describe("the QA report of two regulators", () => {
  it("gives a registrar their own regulator only, and an operator any", async () => {
    const registrar = await signedIn("coto", ["registrar"]);
    expect((await registrar.get("/registrar")).status).toBe(200);
    expect((await registrar.get("/registrar?regulator=demo")).status).toBe(403);
    expect((await registrar.get("/registrar/export?regulator=demo&kind=registrants&format=csv")).status).toBe(403);
    expect((await operator.get("/registrar?regulator=demo")).status).toBe(200);
  });
});

describe("a learner of one regulator and another regulator's case", () => {
  async function play(client: Client) {
    await client.get("/cases/mini-case");
    const started = await client.post("/cases/mini-case", {});
    expect(started.status).toBe(302);
    const url = started.location!;
    for (const [from, fields] of [
      ["context", {}],
      ["q1", { choice: "decline" }],
      ["q2", { choice: "explain" }],
      ["reflect", { reflection: "What I would do next time." }],
    ] as const) {
      await client.get(url);
      expect((await client.post(url, { from, ...fields })).status).toBe(302);
    }
    return client.get(url);
  }

  it("plays it as practice, told so before and after; a registration added later earns the credit", async () => {
    const client = new Client(server.url);
    const email = `coto-learner-${Date.now()}@tenancy.test`;
    const joined = await client.join({
      name: "Cody Coto",
      email,
      password: PASSWORD,
      registrationNumber: "OT-777",
      regulator: "coto",
      locale: "en",
    });
    expect(joined.status).toBe(302);
    const overview = text((await client.get("/cases/mini-case")).html);
    expect(overview).toContain("This case is from Demo regulator, with which you have no registration");
    const practice = text((await play(client)).html);
    expect(practice).toContain("This was practice: you have no registration with Demo regulator");
    expect(practice).not.toContain("View your certificate");
    const userId = (await getDb().user.findUniqueOrThrow({ where: { email }, select: { id: true } })).id;
    expect(await getDb().completion.count({ where: { userId } })).toBe(0);
    // Their own regulator's case is not practice.
    expect(text((await client.get("/cases/social-media-boundaries")).html)).not.toContain("no registration");

    // A bad number is a field error; a good one is saved and audited.
    await client.get("/me/registrations");
    const bad = await client.post("/me/registrations", { regulator: "demo", registrationNumber: "no spaces" });
    expect(bad.status).toBe(400);
    expect(text(bad.html)).toContain("Enter your registration number");
    const added = await client.post("/me/registrations", { regulator: "demo", registrationNumber: "DM-42" });
    expect([added.status, added.location]).toEqual([302, "/me/registrations?saved=added"]);
    const list = text((await client.get("/me/registrations?saved=added")).html);
    expect(list).toContain("Demo regulator");
    expect(list).toContain("DM-42");
    expect(list).toContain("OT-777");
    const audit = await getDb().auditEntry.findMany({
      where: { subject: `account:${userId}` },
      orderBy: { id: "asc" },
      select: { action: true, detail: true },
    });
    expect(audit.map((a) => [a.action, JSON.parse(a.detail)])).toEqual([
      ["registration_added", { regulator: "demo", to: "DM-42" }],
    ]);

    expect(text((await client.get("/cases/mini-case")).html)).not.toContain("no registration");
    const credited = await play(client);
    const code = /\/certificates\/([a-z2-9]{26})/.exec(credited.html)?.[1];
    expect(code).toBeDefined();
    const certificate = text((await new Client(server.url).get(`/certificates/${code}`)).html);
    // The case's regulator, and the learner's number with it.
    expect(certificate).toContain("Demo regulator");
    expect(certificate).toContain("DM-42");
    expect(certificate).not.toContain("OT-777");
    expect(certificate).not.toContain("College of Occupational Therapists");

    // A corrected number is audited with the old one; the certificate keeps the number it was issued with.
    await client.post("/me/registrations", { regulator: "demo", registrationNumber: "DM-43" });
    const changed = await getDb().auditEntry.findFirstOrThrow({
      where: { subject: `account:${userId}`, action: "registration_changed" },
      orderBy: { id: "asc" },
      select: { detail: true },
    });
    expect(JSON.parse(changed.detail)).toEqual({ regulator: "demo", from: "DM-42", to: "DM-43" });
    expect(text((await new Client(server.url).get(`/certificates/${code}`)).html)).toContain("DM-42");
  });
});
