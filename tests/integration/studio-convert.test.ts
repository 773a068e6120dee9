// Imports from H5P and Twine in the studio, over real HTTP against the production server: the
// upload becomes a draft even before it validates, and the draft page lists what could not be
// carried over, by kind and with where it was, beside the diagnostics of what is left to fill in.
import fs from "node:fs";
import path from "node:path";
import { strToU8, zipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "~/models/user.server";
import { getDb } from "~/utils/db.server";
import { Client, text } from "../support/client";
import { startServer, type TestServer } from "../support/server";

const fixtures = path.resolve("app/engine/convert/fixtures");
const PASSWORD = "correct horse battery staple";
let server: TestServer;
let author: Client;

function h5pPackage(change: (files: Record<string, any>) => void = () => {}): Uint8Array {
  const files = JSON.parse(fs.readFileSync(path.join(fixtures, "branching-scenario.h5p.json"), "utf8"));
  change(files);
  return zipSync(Object.fromEntries(Object.entries(files).map(([name, v]) => [name, strToU8(JSON.stringify(v))])));
}

async function upload(fileName: string, content: Uint8Array | string, type = "application/octet-stream") {
  await author.get("/studio/upload");
  const form = new FormData();
  form.append("csrf", author.csrf!);
  form.append("file", new Blob([typeof content === "string" ? content : new Uint8Array(content)], { type }), fileName);
  return author.request("/studio/upload", {
    method: "POST",
    body: form,
    headers: { Origin: new URL(server.url).origin },
  });
}

/** The page's text, without the spaces text() leaves at element boundaries ("( 6 )", "where : what"). */
const words = (html: string) => text(html).replace(/\( /g, "(").replace(/ \)/g, ")").replace(/ :/g, ":");

// Rows through Prisma, so the same checks run on SQLite and PostgreSQL (npm run test:pg).
const counts = async () => ({ drafts: await getDb().caseDraft.count(), audit: await getDb().auditEntry.count() });

beforeAll(async () => {
  server = await startServer({ content: [path.resolve("tests/fixtures/valid")] });
  await createUser({
    email: "importer@studio.test",
    name: "Importer",
    password: PASSWORD,
    registrationNumber: "R-1",
    regulator: "demo",
    locale: "en",
    roles: ["author"],
  });
  author = new Client(server.url);
  expect((await author.login("importer@studio.test", PASSWORD)).status).toBe(302);
});
afterAll(async () => {
  await getDb().$disconnect();
  await server?.stop();
});

describe("studio imports", () => {
  it("offers the import formats on the upload page", async () => {
    const page = await author.get("/studio/upload");
    expect(page.html).toContain('accept=".json,application/json,.zip,.h5p,.html,.htm,.twee,.tw"');
    expect(text(page.html)).toContain("H5P Branching Scenario");
  });

  it("turns an H5P Branching Scenario into a draft and lists what was not carried over on it", async () => {
    const page = await upload("scenario.h5p", h5pPackage());
    expect(page.status).toBe(302);
    expect(page.location).toMatch(/^\/studio\/drafts\/\w+\?converted=1$/);
    const draftPage = await author.get(page.location!);
    expect(draftPage.status).toBe(200);
    const body = words(draftPage.html);
    expect(body).toContain("Imported: the story is now a draft.");
    expect(body).toContain("Imported from scenario.h5p: what was not carried over");
    expect(body).toContain("Scoring to add (6)");
    expect(body).toContain(
      "content 4 (content.json /branchingScenario/content/4/type/params/branchingQuestion/alternatives/1): this goes back to “Contexte”",
    );
    // The diagnostics say what is left: the English texts, and the placeholders.
    expect(body).toMatch(/\/nodes\/contexte\/body: missing the "en" text/);
    expect(body).toMatch(/\/release: release is a month written "YYYY-MM"/);
    const url = page.location!.replace(/\?.*$/, "");
    const source = JSON.parse((await author.get(`${url}/source`)).html);
    expect(source).toMatchObject({ slug: "limites-a-la-clinique", regulator: "demo", locales: ["fr", "en"] });
    // Shown again later, without the notice.
    const again = text((await author.get(url)).html);
    expect(again).toContain("Imported from scenario.h5p");
    expect(again).not.toContain("Imported: the story is now a draft.");
  });

  it("turns a published Twine story into a draft, under a slug no other case or draft has", async () => {
    const html = fs.readFileSync(path.join(fixtures, "harlowe-story.html"));
    const first = await upload("friend.html", html, "text/html");
    const second = await upload("friend.html", html, "text/html");
    expect([first.status, second.status]).toEqual([302, 302]);
    const slugs = await Promise.all(
      [first, second].map(async (page) => {
        const url = page.location!.replace(/\?.*$/, "");
        return JSON.parse((await author.get(`${url}/source`)).html).slug;
      }),
    );
    expect(slugs).toEqual(["the-friend-request", "the-friend-request-2"]);
    const body = words((await author.get(second.location!)).html);
    expect(body).toContain('passage "Ignore", line 2: this goes back to “Start”');
    expect(body).toContain('passage "Think it over", line 2: the macro (set:) cannot be carried over');
    expect(body).toMatch(/\/nodes\/start\/body: missing the "fr" text/);
  });

  it("refuses a package that is not a Branching Scenario with the reason, and saves nothing", async () => {
    const before = await counts();
    const page = await upload(
      "video.h5p",
      h5pPackage((files) => {
        files["h5p.json"].mainLibrary = "H5P.InteractiveVideo";
      }),
    );
    expect(page.status).toBe(400);
    expect(text(page.html)).toContain("video.h5p could not be imported: the package is not an H5P Branching Scenario.");
    expect(await counts()).toEqual(before);
    const notZip = await upload("broken.h5p", "not a zip");
    expect(notZip.status).toBe(400);
    expect(text(notZip.html)).toContain("it is not a readable .h5p package");
  });

  it("still takes case files as before: a JSON file over the case limit is 413", async () => {
    const page = await upload("big.json", " ".repeat(1_100_000), "application/json");
    expect(page.status).toBe(413);
  });
});
