// A catalog's translators' files in the studio over real HTTP, as a browser without JavaScript uses
// them: the download is the file the CLI writes for that version; the import applies the translation
// to the latest version and asks for a new version, which a second person approves like any catalog
// change. An untranslated file changes nothing; a bad file is refused with its reason and writes
// nothing; another regulator's staff get 404 (ADR 020).
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportXliff, type Catalog } from "~/engine";
import { getDb } from "~/utils/db.server";
import { type Client, text } from "../support/client";
import { postFile, signedInAs } from "../support/people";
import { startServer, type TestServer } from "../support/server";

let server: TestServer;
const fixtures = path.resolve("tests/fixtures/valid");
const catalogFile = path.join(fixtures, "standards", "mini-standards.json");
const PAGE = "/studio/catalogs/mini-standards";
const EXPORT = `${PAGE}/versions/1/xliff`;

const signedIn = (regulator: string, locale: "en" | "fr" = "en", roles: Array<"author" | "reviewer"> = ["author"]) =>
  signedInAs(server, { roles, regulator, locale });
const upload = (client: Client, fileName: string, content: string) =>
  postFile(server, client, `${PAGE}?index`, fileName, content, "application/xliff+xml");
const exported = async (client: Client, query = "?target=fr") =>
  new TextDecoder().decode((await client.download(`${EXPORT}${query}`)).body);

// Rows through Prisma, so the same checks run on SQLite and PostgreSQL.
const requests = () => getDb().changeRequest.count({ where: { kind: "catalog_publish", subject: "mini-standards" } });
const audits = (action: string) => getDb().auditEntry.count({ where: { action, subject: "catalog:mini-standards" } });
const written = async () => ({
  requests: await requests(),
  imported: await audits("catalog_translation_imported"),
  baselines: await getDb().translationBaseline.count({ where: { slug: "catalog:mini-standards" } }),
  versions: await getDb().catalogVersion.count({ where: { catalogId: "mini-standards" } }),
});

let author: Client;
let other: Client;

beforeAll(async () => {
  server = await startServer({ content: [fixtures, path.resolve("cases")] });
  [author, other] = await Promise.all([signedIn("demo"), signedIn("coto")]);
});
afterAll(async () => {
  await getDb().$disconnect();
  await server?.stop();
});

describe("a catalog's XLIFF in the studio", () => {
  it("offers the download and the import on the catalog's page, in English and French", async () => {
    const page = await author.get(PAGE);
    expect(page.status).toBe(200);
    expect(page.html).toContain(`action="${EXPORT}"`);
    expect(text(page.html)).toContain("Translation file (XLIFF)");
    expect(text(page.html)).toContain("Import for review");
    expect(page.html).toMatch(/enc[tT]ype="multipart\/form-data"/);
    const french = await signedIn("demo", "fr");
    expect(text((await french.get(PAGE)).html)).toContain("Importer pour révision");
    // A reviewer downloads, but asks for no change.
    const reviewer = await signedIn("demo", "en", ["reviewer"]);
    const seen = await reviewer.get(PAGE);
    expect(seen.html).toContain(`action="${EXPORT}"`);
    expect(text(seen.html)).not.toContain("Import for review");
  });

  it("downloads the version's texts as the CLI writes them, in 2.1 or 1.2, audited", async () => {
    const before = await audits("translation_exported");
    const file = await author.download(`${EXPORT}?target=fr&xliff=2.1`);
    expect(file.status).toBe(200);
    expect(file.headers.get("Content-Type")).toContain("application/xliff+xml");
    expect(file.headers.get("Content-Disposition")).toBe('attachment; filename="mini-standards-v1.fr.xlf"');
    const xml = new TextDecoder().decode(file.body);
    // What `npm run cases:xliff -- export tests/fixtures/valid/standards/mini-standards.json --target fr` writes.
    const cli = exportXliff(JSON.parse(fs.readFileSync(catalogFile, "utf8")) as Catalog, {
      sourceLocale: "en",
      targetLocale: "fr",
      version: "2.1",
      original: "mini-standards.json",
    });
    expect(xml).toBe(cli);
    expect(xml).toContain('id="catalog.mini-standards"');
    expect(await exported(author, "?target=fr&xliff=1.2")).toContain('version="1.2"');
    expect(await audits("translation_exported")).toBe(before + 2);
    expect((await author.get(`${EXPORT}?target=de`)).status).toBe(400);
    expect((await author.get(`${EXPORT}?target=fr&xliff=3.0`)).status).toBe(400);
    expect((await author.get(`${PAGE}/versions/9/xliff?target=fr`)).status).toBe(404);
  });

  it("imports an untranslated file back as the same catalog: nothing to submit, nothing written", async () => {
    const before = await written();
    const page = await upload(author, "mini-standards.fr.xlf", await exported(author));
    expect(page.status).toBe(200);
    expect(text(page.html)).toContain("0 text(s) changed");
    expect(text(page.html)).toContain(
      "Nothing to submit: with these translations the catalog is identical to version 1",
    );
    expect(await written()).toEqual(before);
  });

  it("refuses a bad file with its reason and line, and writes nothing", async () => {
    const before = await written();
    const xml = await exported(author);
    const broken = await upload(author, "broken.xlf", "<xliff version='2.1'>\n<file>");
    expect(broken.status).toBe(400);
    expect(text(broken.html)).toContain("broken.xlf was not imported: the file is not well-formed XML.");
    expect(text(broken.html)).toMatch(/Details: line \d+:/);

    const otherCatalog = await upload(
      author,
      "x.xlf",
      xml.replace('id="catalog.mini-standards"', 'id="catalog.coto-boundaries"'),
    );
    expect(otherCatalog.status).toBe(422);
    expect(text(otherCatalog.html)).toContain("it is the translation of another catalog or of a case.");
    expect(text(otherCatalog.html)).toContain(
      "the translation is for catalog.coto-boundaries, not catalog.mini-standards",
    );

    const aCase = await upload(author, "x.xlf", xml.replace('id="catalog.mini-standards"', 'id="case.mini-case"'));
    expect(aCase.status).toBe(422);

    const version = await upload(author, "x.xlf", xml.replace('version="2.1"', 'version="3.0"'));
    expect(version.status).toBe(400);
    expect(text(version.html)).toContain("this XLIFF version is not supported");

    // Raw HTML a translator typed: the catalog would not validate, so no change is asked for.
    const html = await upload(
      author,
      "x.xlf",
      xml.replace(">Limites</target>", ">&lt;b&gt;Limites&lt;/b&gt;</target>"),
    );
    expect(html.status).toBe(422);
    expect(text(html.html)).toContain("with these translations the catalog has errors.");
    expect(text(html.html)).toContain("/items/0/title/fr");

    // Units that name no text of the catalog: listed with their id and line, never applied.
    const unknown = await upload(
      author,
      "x.xlf",
      xml
        .replace('name="/items/0/title"', 'name="/items/9/title"')
        .replace(">Limites</target>", ">Frontières</target>"),
    );
    expect(unknown.status).toBe(200);
    expect(text(unknown.html)).toMatch(
      /Not applied .*items\.0\.title.*\/items\/9\/title \(line \d+\)\s*: not a text of this catalog/s,
    );
    expect(text(unknown.html)).toContain("Nothing to submit");

    expect((await upload(author, "empty.xlf", "")).status).toBe(400);
    const form = new FormData();
    form.append("file", new Blob([xml], { type: "application/xliff+xml" }), "x.xlf");
    const noCsrf = await author.request(`${PAGE}?index`, {
      method: "POST",
      body: form,
      headers: { Origin: new URL(server.url).origin },
    });
    expect(noCsrf.status).toBe(403);
    expect(await written()).toEqual(before);
  });

  it("imports a French translation as a new version waiting for a second person, who publishes it", async () => {
    const before = await written();
    const xml = await exported(author);
    const translated = xml
      .replace(">Limites</target>", ">Limites professionnelles</target>")
      .replace(">Contact personnel</target>", ">Contact d'ordre personnel</target>");
    const page = await upload(author, "mini-standards.fr.xlf", translated);
    expect(page.status).toBe(200);
    expect(text(page.html)).toContain("applied to version 1: 2 text(s) changed");
    expect(text(page.html)).toContain("The new version waits for another person of the regulator to approve it.");
    expect(await written()).toEqual({
      requests: before.requests + 1,
      imported: before.imported + 1,
      baselines: 1,
      versions: before.versions,
    });
    const request = await getDb().changeRequest.findFirstOrThrow({
      where: { kind: "catalog_publish", subject: "mini-standards", status: "pending" },
    });
    const asked = JSON.parse(JSON.parse(request.payload).text) as Catalog;
    expect(asked.items[0]!.title).toEqual({ en: "Boundaries", fr: "Limites professionnelles" });
    expect(asked.items[0]!.items![0]!.title).toEqual({ en: "Personal contact", fr: "Contact d'ordre personnel" });

    // One change at a time, as for an uploaded catalog.
    const again = await upload(author, "mini-standards.fr.xlf", translated);
    expect(again.status).toBe(409);
    expect(text(again.html)).toContain("already waiting for a second person");
    expect(await requests()).toBe(before.requests + 1);

    // The second person approves on the catalogs page: version 2 holds the French texts.
    const reviewer = await signedIn("demo", "en", ["author", "reviewer"]);
    await reviewer.get("/studio/catalogs");
    const approved = await reviewer.post("/studio/catalogs", { intent: "approve-change", requestId: request.id });
    expect(approved.status).toBe(302);
    const v2 = await getDb().catalogVersion.findFirstOrThrow({ where: { catalogId: "mini-standards", sequence: 2 } });
    expect((JSON.parse(v2.source) as Catalog).items[0]!.title.fr).toBe("Limites professionnelles");

    // A file translated from a source that has changed since (the v1 file: its targets come back too):
    // applied to the latest version, that text listed to review.
    const stale = xml
      .replace(">Communication channels</source>", ">Channels</source>")
      .replace(">Canaux de communication</target>", ">Canaux</target>");
    const review = await upload(author, "old.fr.xlf", stale);
    expect(review.status).toBe(200);
    expect(text(review.html)).toContain("applied to version 2: 3 text(s) changed");
    expect(text(review.html)).toMatch(
      /To review: translated from a source that has changed since .*\/items\/0\/items\/1\/title.*Translated from Channels Source now Communication channels/s,
    );
  });

  it("answers 404 to another regulator's staff for the page, the download and the import", async () => {
    const before = await written();
    expect((await other.get(PAGE)).status).toBe(404);
    expect((await other.get(`${EXPORT}?target=fr`)).status).toBe(404);
    const xml = await exported(author);
    await other.get("/studio");
    expect((await upload(other, "x.xlf", xml)).status).toBe(404);
    expect(await written()).toEqual(before);
  });
});
