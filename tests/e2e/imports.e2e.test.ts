// Translators' files and imports in Chromium: an author downloads a published case's XLIFF and
// imports it back untouched (a new draft with the same canonical case), sends a catalog's file back
// with one French text revised (a catalog change waiting for a second person), then imports an H5P
// Branching Scenario package and a Twine story through the studio's upload page, each becoming a
// draft that lists what was not carried over. axe checks the pages on the way.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { strToU8, zipSync } from "fflate";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { canonicalJson } from "~/engine";
import { getDb } from "~/utils/db.server";
import type { TestServer } from "../support/server";
import { audit, download } from "./support/browser";
import { closeAll, startSignedIn } from "./support/suite";

const PASSWORD = "correct horse battery staple";
const AUTHOR = { email: "imports-author@staff.test", name: "Ines Imports", roles: ["author" as const] };
const CASE = "social-media-boundaries";
const FIXTURES = path.resolve("app/engine/convert/fixtures");

let server: TestServer;
let browser: Browser;
let context: BrowserContext;
let errors: string[];
let page: Page;
let dir: string;

beforeAll(async () => {
  ({ server, browser, context, errors, page } = await startSignedIn(AUTHOR, {
    password: PASSWORD,
    registrationNumber: "IMP-1",
    landing: "/studio",
    context: { acceptDownloads: true },
  }));
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "vignette-imports-"));
});

afterAll(async () => {
  await closeAll({ contexts: [context], browser, server });
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const url = (p: string) => new URL(p, server.url).href;

async function uploadStory(file: string) {
  await page.goto(url("/studio/upload"));
  await page.getByLabel(/^Case file \(JSON\), or a story to import/).setInputFiles(file);
  await page.getByRole("button", { name: "Upload and check" }).click();
  await page.waitForURL(/\/studio\/drafts\/\w+\?converted=1$/);
  await page.locator("#conversion-heading").waitFor();
}

describe("translators' files and imports in Chromium", () => {
  test("an XLIFF file downloaded and imported back untouched gives the same case in a new draft", async () => {
    const version = await getDb().caseVersion.findFirstOrThrow({
      where: { case: { slug: CASE } },
      orderBy: { version: "desc" },
    });
    await page.goto(url(`/studio/cases/${CASE}/versions/${version.version}/translations`));
    await page.locator("#xliff-heading").waitFor();
    await audit(page, "the translations page with its XLIFF panel");
    await page.getByLabel("Translate into").selectOption("fr");
    const file = await download(page, () =>
      page.getByRole("button", { name: "Download the translation file" }).click(),
    );
    expect(file.name).toMatch(/\.xlf$/);
    expect(file.bytes.toString("utf8")).toContain('xmlns="urn:oasis:names:tc:xliff:document:2.0"');
    const saved = path.join(dir, file.name);
    fs.writeFileSync(saved, file.bytes);

    const drafts = await getDb().caseDraft.count();
    await page.getByLabel("Translated file (.xlf, .xliff)").setInputFiles(saved);
    await page.getByRole("button", { name: "Import as a new draft" }).click();
    await page.getByRole("link", { name: "Open the new draft" }).waitFor();
    await audit(page, "the XLIFF import's result");
    expect(await getDb().caseDraft.count()).toBe(drafts + 1);
    const draft = await getDb().caseDraft.findFirstOrThrow({ orderBy: { createdAt: "desc" } });
    expect(canonicalJson(JSON.parse(draft.source))).toBe(canonicalJson(JSON.parse(version.source)));
    expect(errors).toEqual([]);
  });

  test("a catalog's XLIFF, translated, comes back as a new version that waits for a second person", async () => {
    const CATALOG = "coto-boundaries";
    await page.goto(url(`/studio/catalogs/${CATALOG}`));
    await page.locator("#xliff-heading").waitFor();
    await audit(page, "a catalog's page with its XLIFF panel");
    await page.getByLabel("Translate into").selectOption("fr");
    const file = await download(page, () =>
      page.getByRole("button", { name: "Download the translation file" }).click(),
    );
    expect(file.name).toMatch(new RegExp(`^${CATALOG}-v\\d+\\.fr\\.xlf$`));
    // The agency revises one French text.
    const xml = file.bytes.toString("utf8");
    const translated = xml.replace(/(<target[^>]*>)([^<]+)(<\/target>)/, "$1$2 (révisé)$3");
    expect(translated).not.toBe(xml);
    const saved = path.join(dir, file.name);
    fs.writeFileSync(saved, translated);

    const waiting = () => getDb().changeRequest.count({ where: { kind: "catalog_publish", subject: CATALOG } });
    const before = await waiting();
    await page.getByLabel("Translated file (.xlf, .xliff)").setInputFiles(saved);
    await page.getByRole("button", { name: "Import for review" }).click();
    await page.getByText("The new version waits for another person of the regulator to approve it.").waitFor();
    await expect(page.locator("#xliff-heading").locator("..").innerText()).resolves.toContain("1 text(s) changed");
    await audit(page, "the catalog XLIFF import's result");
    expect(await waiting()).toBe(before + 1);
    expect(errors).toEqual([]);
  });

  test("an H5P Branching Scenario package becomes a draft that lists what was not carried over", async () => {
    const files = JSON.parse(fs.readFileSync(path.join(FIXTURES, "branching-scenario.h5p.json"), "utf8")) as Record<
      string,
      unknown
    >;
    const h5p = path.join(dir, "boundaries.h5p");
    fs.writeFileSync(
      h5p,
      zipSync(Object.fromEntries(Object.entries(files).map(([name, value]) => [name, strToU8(JSON.stringify(value))]))),
    );
    await uploadStory(h5p);
    await expect(page.locator("#conversion-heading").innerText()).resolves.toContain("boundaries.h5p");
    await page.locator(".diag-summary").waitFor();
    await audit(page, "a draft imported from H5P");
    expect(errors).toEqual([]);
  });

  test("a Twine 2 story becomes a draft the visual editor opens", async () => {
    await uploadStory(path.join(FIXTURES, "harlowe-story.html"));
    await expect(page.locator("#conversion-heading").innerText()).resolves.toContain("harlowe-story.html");
    await page.getByRole("tab", { name: "Visual editor", selected: true }).waitFor();
    await expect(page.locator(".node-list li").count()).resolves.toBeGreaterThan(2);
    await audit(page, "a draft imported from Twine");
    expect(errors).toEqual([]);
  });
});
