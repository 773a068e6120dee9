// Before a catalog version is published, over real HTTP: the person who uploads it and the person
// who approves it see every case and open draft that scores a clause it removes or changes, with
// the choices; cases of other regulators are counted, never named. "demo" owns mini-case and
// mini-standards (tests/fixtures/valid); "coto" owns the cases in cases/.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/utils/db.server";
import { type Client, text } from "../support/client";
import { postFile, signedInAs } from "../support/people";
import { startServer, type TestServer } from "../support/server";

let server: TestServer;
const fixtures = path.resolve("tests/fixtures/valid");
const miniCase = fs.readFileSync(path.join(fixtures, "mini-case.json"), "utf8");
const miniCatalog = fs.readFileSync(path.join(fixtures, "standards/mini-standards.json"), "utf8");

/** mini-standards with 1.2 removed and 1.1 retitled in English. */
const changedCatalog = (() => {
  const value = JSON.parse(miniCatalog);
  value.version = "2";
  value.items[0].items = [{ code: "1.1", title: { en: "Personal contact and gifts", fr: "Contact personnel" } }];
  return `${JSON.stringify(value, null, 2)}\n`;
})();

const signedIn = (regulator: string, locale: "en" | "fr" = "en") =>
  signedInAs(server, { roles: ["author"], regulator, locale });

const upload = (client: Client, url: string, fileName: string, content: string) =>
  postFile(server, client, url, fileName, content);

async function newDraft(client: Client, source: string): Promise<string> {
  await client.get("/studio/drafts/new");
  const page = await client.post("/studio/drafts/new", { source });
  expect(page.status).toBe(302);
  return page.location!.replace(/\?.*$/, "");
}

let demoAuthor: Client;
let demoReviewer: Client;
let demoFrench: Client;
let cotoAuthor: Client;
let demoDraftUrl: string;

beforeAll(async () => {
  server = await startServer({ content: [fixtures, path.resolve("cases")] });
  demoAuthor = await signedIn("demo");
  demoReviewer = await signedInAs(server, { roles: ["author", "reviewer"], regulator: "demo" });
  demoFrench = await signedIn("demo", "fr");
  cotoAuthor = await signedIn("coto");
  // An open draft of demo's case, and a coto draft scored against demo's catalog (a warning, not an error).
  const edited = JSON.parse(miniCase);
  edited.summary = { en: "Edited.", fr: "Modifié." };
  demoDraftUrl = await newDraft(demoAuthor, JSON.stringify(edited, null, 2));
  const borrowed = JSON.parse(miniCase);
  borrowed.slug = "coto-borrows-mini";
  borrowed.regulator = "coto";
  await newDraft(cotoAuthor, JSON.stringify(borrowed, null, 2));
});
afterAll(async () => {
  await getDb().$disconnect();
  await server?.stop();
});

/** What the impact list must say about mini-case, in English. */
function expectEnglishImpact(page: string) {
  expect(page).toContain("What this version changes for cases");
  expect(page).toContain("2 clauses removed or changed:");
  expect(page).toContain("1.1 Title changed: “Personal contact” → “Personal contact and gifts”.");
  expect(page).toContain("1.2 ⚠ Removed (was “Communication channels”).");
  expect(page).toContain("A case scores a removed clause");
  expect(page).toContain("2 cases or open drafts score them:");
  expect(page).toContain("mini-case, version 1");
  expect(page).toContain("mini-case, draft");
  expect(page).toContain(
    "Decision q1, choice decline “Decline” · +2 on mini-standards:1.1 · Title changed: “Personal contact” → “Personal contact and gifts”.",
  );
  expect(page).toContain("Decision q1, choice accept “Accept” · -2 on mini-standards:1.1");
  expect(page).toContain(
    "Decision q2, choice explain “Explain the office channels” · +1 on mini-standards:1.2 · ⚠ Removed (was “Communication channels”).",
  );
  // The coto draft is counted, not named.
  expect(page).toContain("1 more case or draft in other regulators scores these clauses.");
  expect(page).not.toContain("coto-borrows-mini");
}

describe("a catalog version that removes and retitles clauses", () => {
  it("lists the cases and choices it affects on the upload's result and on the change the approver sees", async () => {
    const uploaded = await upload(demoAuthor, "/studio/catalogs", "mini-standards.json", changedCatalog);
    expect(uploaded.status).toBe(200);
    // The result of the upload lists it under the request it made.
    const result = text(uploaded.html);
    expect(result).toContain("Version asked for: catalog mini-standards");
    expectEnglishImpact(result);
    expect(uploaded.html).toContain(`href="${demoDraftUrl}"`);
    expect(uploaded.html).toContain('href="/studio/cases/mini-case"');

    // The second person sees the same list beside the approve button, before anything is published.
    const pending = await demoReviewer.get("/studio/catalogs");
    expect(pending.status).toBe(200);
    const listed = text(pending.html);
    expect(listed).toContain("A new version of catalog mini-standards");
    expect(listed).toContain("Approve");
    expectEnglishImpact(listed);
    // Rows through Prisma, so the same checks run on SQLite and PostgreSQL (npm run test:pg).
    expect(await getDb().catalogVersion.count({ where: { catalogId: "mini-standards" } })).toBe(1);

    // The catalog's own page shows it too, and where to decide.
    const catalogPage = text((await demoReviewer.get("/studio/catalogs/mini-standards")).html);
    expect(catalogPage).toContain("A new version waits for a second person");
    expect(catalogPage).toContain("Approve or send it back on the catalogs page");
    expectEnglishImpact(catalogPage);

    // In French, with the French clause titles.
    const french = text((await demoFrench.get("/studio/catalogs")).html);
    expect(french).toContain("Ce que cette version change pour les cas");
    expect(french).toContain("1.2 ⚠ Retirée (c'était « Canaux de communication »).");
    // Only the English title of 1.1 changed: French readers are told so, with both English titles.
    expect(french).toContain("1.1 Titre en anglais modifié : « Personal contact » → « Personal contact and gifts ».");
    expect(french).not.toContain("« Contact personnel » → « Contact personnel »");
    expect(french).toContain(
      "Décision q2, choix explain « Expliquer les canaux du bureau » · +1 sur mini-standards:1.2",
    );
    expect(french).toContain("1 autre cas ou brouillon d'autres ordres est noté selon ces clauses.");

    // Another regulator's staff see neither the waiting version nor its list.
    const coto = text((await cotoAuthor.get("/studio/catalogs")).html);
    expect(coto).not.toContain("mini-standards");
    expect(coto).not.toContain("What this version changes for cases");

    // Approved, it is published; the list was shown, not a gate.
    const requestId = (
      await getDb().changeRequest.findFirstOrThrow({ where: { subject: "mini-standards", status: "pending" } })
    ).id;
    const approved = await demoReviewer.post("/studio/catalogs", { intent: "approve-change", requestId });
    expect([approved.status, approved.location]).toEqual([302, "/studio/catalogs?decided=approved"]);
    expect(text((await demoReviewer.get("/studio/catalogs")).html)).not.toContain("What this version changes");
    expect(text((await demoReviewer.get("/studio/catalogs/mini-standards")).html)).not.toContain(
      "A new version waits for a second person",
    );
  });

  it("says no case is affected when only the catalog's label changes", async () => {
    const current = (
      await getDb().catalogVersion.findFirstOrThrow({
        where: { catalogId: "mini-standards" },
        orderBy: { sequence: "desc" },
      })
    ).source;
    const relabelled = current.replace('"version": "2"', '"version": "3"');
    expect(relabelled).not.toBe(current);
    const page = await upload(demoAuthor, "/studio/catalogs", "mini-standards.json", relabelled);
    expect(page.status).toBe(200);
    expect(text(page.html)).toContain("No clause is removed or changed: no case is scored differently.");
  });
});
