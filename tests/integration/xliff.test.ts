// Translators' files in the studio over real HTTP, as a browser without JavaScript uses them: the
// XLIFF download of a version and of a draft, the import of a translated file as a new draft (never
// over the version), the baseline that marks changed sources on the next export, the refusals,
// and the regulator scope (ADR 020).
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/utils/db.server";
import { type Client, text } from "../support/client";
import { signedInAs } from "../support/people";
import { startServer, type TestServer } from "../support/server";

let server: TestServer;
const fixtures = path.resolve("tests/fixtures/valid");
const miniCase = JSON.parse(fs.readFileSync(path.join(fixtures, "mini-case.json"), "utf8"));
const VERSION = "/studio/cases/mini-case/versions/1";

const signedIn = (regulator: string, locale: "en" | "fr" = "en") =>
  signedInAs(server, { roles: ["author"], regulator, locale });

async function upload(client: Client, url: string, fileName: string, content: string, csrf = true) {
  if (!client.csrf) await client.get("/studio");
  const form = new FormData();
  if (csrf) form.append("csrf", client.csrf!);
  form.append("file", new Blob([content], { type: "application/xliff+xml" }), fileName);
  return client.request(url, { method: "POST", body: form, headers: { Origin: new URL(server.url).origin } });
}

// Rows through Prisma, so the same checks run on SQLite and PostgreSQL (npm run test:pg).
const audits = (action: string) => getDb().auditEntry.count({ where: { action } });
const drafts = () => getDb().caseDraft.count();

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

describe("XLIFF in the studio", () => {
  it("offers the download and the import on the translations page, in English and French", async () => {
    const page = await author.get(`${VERSION}/translations`);
    expect(page.status).toBe(200);
    expect(page.html).toContain(`action="${VERSION}/xliff"`);
    expect(text(page.html)).toContain("Translation file (XLIFF)");
    expect(page.html).toMatch(/enc[tT]ype="multipart\/form-data"/);
    const french = await signedIn("demo", "fr");
    expect(text((await french.get(`${VERSION}/translations`)).html)).toContain("Fichier de traduction (XLIFF)");
  });

  it("downloads a version's texts as XLIFF 2.1 or 1.2, audited", async () => {
    const before = await audits("translation_exported");
    const file = await author.download(`${VERSION}/xliff?target=fr&xliff=2.1`);
    expect(file.status).toBe(200);
    expect(file.headers.get("Content-Type")).toContain("application/xliff+xml");
    expect(file.headers.get("Content-Disposition")).toBe('attachment; filename="mini-case-v1.fr.xlf"');
    const xml = new TextDecoder().decode(file.body);
    expect(xml).toContain(
      '<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.1" srcLang="en" trgLang="fr">',
    );
    expect(xml).toContain('name="/nodes/q1/choices/0/feedback"');
    const old = new TextDecoder().decode((await author.download(`${VERSION}/xliff?target=fr&xliff=1.2`)).body);
    expect(old).toContain('version="1.2"');
    expect(await audits("translation_exported")).toBe(before + 2);
    expect((await author.get(`${VERSION}/xliff?target=de`)).status).toBe(400);
    expect((await author.get(`${VERSION}/xliff?target=fr&xliff=3.0`)).status).toBe(400);
  });

  it("imports a translated file as a new draft, leaves the version alone, and records the baseline", async () => {
    const xml = new TextDecoder().decode((await author.download(`${VERSION}/xliff?target=fr`)).body);
    const translated = xml.replace(`>${miniCase.title.fr}</target>`, ">Un titre retraduit</target>");
    expect(translated).not.toBe(xml);
    const versionSource = async () =>
      (await getDb().caseVersion.findFirstOrThrow({ where: { version: 1, case: { slug: "mini-case" } } })).source;
    const sourceBefore = await versionSource();
    const draftsBefore = await drafts();

    const page = await upload(author, `${VERSION}/translations`, "mini-case.fr.xlf", translated);
    expect(page.status).toBe(200);
    expect(text(page.html)).toContain("1 text(s) changed");
    const link = /href="(\/studio\/drafts\/[^"]+)"[^>]*>Open the new draft/.exec(page.html);
    expect(link).not.toBeNull();
    expect(await drafts()).toBe(draftsBefore + 1);
    expect(await versionSource()).toBe(sourceBefore);
    const draftUrl = link![1]!;
    const draftSource = new TextDecoder().decode((await author.download(`${draftUrl}/source`)).body);
    expect(JSON.parse(draftSource).title).toEqual({ en: miniCase.title.en, fr: "Un titre retraduit" });
    expect(await getDb().translationBaseline.count({ where: { slug: "mini-case", targetLocale: "fr" } })).toBe(1);
    expect(await audits("translation_imported")).toBe(1);

    // The draft's own download: nothing changed since the import, nothing to review.
    const fromDraft = new TextDecoder().decode((await author.download(`${draftUrl}/xliff?target=fr`)).body);
    expect(fromDraft).not.toContain('state="initial"');
    expect(fromDraft).toContain("Un titre retraduit");

    // An author rewrites the English title in a new draft: its export marks that one text for review.
    const rewritten = { ...JSON.parse(draftSource), title: { en: "A rewritten title", fr: "Un titre retraduit" } };
    await author.get("/studio/drafts/new");
    const created = await author.post("/studio/drafts/new", { source: JSON.stringify(rewritten, null, 2) });
    expect(created.status).toBe(302);
    const rewrittenUrl = created.location!.replace(/\?.*$/, "");
    const marked = new TextDecoder().decode((await author.download(`${rewrittenUrl}/xliff?target=fr`)).body);
    expect(marked.match(/state="initial"/g)).toHaveLength(1);
    expect(marked).toMatch(/name="\/title" canResegment="no">[^]*?<segment state="initial">/);

    // Importing the first translation into that draft lists the title for review.
    const review = await upload(author, `${rewrittenUrl}/translations`, "mini-case.fr.xlf", translated);
    expect(review.status).toBe(200);
    expect(text(review.html)).toContain("To review: translated from a source that has changed since");
  });

  it("refuses a file that is not XLIFF, of another case, or without the CSRF token, and writes nothing", async () => {
    const draftsBefore = await drafts();
    const broken = await upload(author, `${VERSION}/translations`, "broken.xlf", "<xliff version='2.1'><file>");
    expect(broken.status).toBe(400);
    expect(text(broken.html)).toContain("broken.xlf was not imported: the file is not well-formed XML.");
    const xml = new TextDecoder().decode((await author.download(`${VERSION}/xliff?target=fr`)).body);
    const otherCase = await upload(
      author,
      `${VERSION}/translations`,
      "x.xlf",
      xml.replace('id="case.mini-case"', 'id="case.someone-else"'),
    );
    expect(otherCase.status).toBe(422);
    expect(text(otherCase.html)).toContain("it is the translation of another case.");
    const nothing = await upload(author, `${VERSION}/translations`, "empty.xlf", "");
    expect(nothing.status).toBe(400);
    expect((await upload(author, `${VERSION}/translations`, "x.xlf", xml, false)).status).toBe(403);
    expect(await drafts()).toBe(draftsBefore);
  });

  it("answers 404 to another regulator's staff for both the download and the import", async () => {
    const draftsBefore = await drafts();
    expect((await other.get(`${VERSION}/xliff?target=fr`)).status).toBe(404);
    const xml = new TextDecoder().decode((await author.download(`${VERSION}/xliff?target=fr`)).body);
    await other.get("/studio");
    expect((await upload(other, `${VERSION}/translations`, "x.xlf", xml)).status).toBe(404);
    expect(await drafts()).toBe(draftsBefore);
  });
});
