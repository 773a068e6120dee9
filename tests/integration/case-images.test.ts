// Images in cases over real HTTP against the production server: an author uploads one for a draft
// (a page without JavaScript, JSON for the visual editor), it is served only to the regulator's
// staff until a published case names it, then to anyone with year-long immutable caching; the
// learner's page shows it with alt text, caption, the French variant and its size.
import fs from "node:fs";
import path from "node:path";
import { strFromU8, strToU8, unzipSync, zipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { photo, svg } from "../support/case-images";
import { Client, text } from "../support/client";
import { postFile, signedInAs } from "../support/people";
import { publish, startServer, type TestServer } from "../support/server";
import { makeTempDir } from "../support/temp-db";

let server: TestServer;
const fixtures = path.resolve("tests/fixtures/valid");
const miniCase = fs.readFileSync(path.join(fixtures, "mini-case.json"), "utf8");

const signedIn = (roles: Array<"learner" | "author">, locale: "en" | "fr" = "en", regulator = "demo") =>
  signedInAs(server, { roles, locale, regulator });

/** An upload to the draft's JSON endpoint (the visual editor's), or with json false to its page. */
async function uploadImage(client: Client, draft: string, bytes: Uint8Array, name: string, json = true) {
  const url = json ? `${draft}/images.json` : `${draft}/images`;
  if (!client.csrf) await client.get("/studio");
  const form = new FormData();
  form.append("csrf", client.csrf!);
  form.append("file", new Blob([Buffer.from(bytes)], { type: "application/octet-stream" }), name);
  return client.request(url, {
    method: "POST",
    body: form,
    headers: { Origin: new URL(server.url).origin },
  });
}

let author: Client;
let draftUrl: string;

beforeAll(async () => {
  server = await startServer({ content: [fixtures] });
  author = await signedIn(["author"]);
  await author.get("/studio/drafts/new");
  const value = JSON.parse(miniCase);
  value.slug = "images-draft";
  const created = await author.post("/studio/drafts/new", { source: JSON.stringify(value) });
  expect(created.status).toBe(302);
  draftUrl = created.location!.replace(/\?.*$/, "");
});
afterAll(async () => {
  await server?.stop();
});

describe("images in cases", () => {
  let hash = "";
  let frHash = "";

  it("are uploaded for a draft: JSON for the editor, a page otherwise, refused by content", async () => {
    const page = await author.get(`${draftUrl}/images`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('accept="image/png,image/jpeg,image/webp"');

    const uploaded = await uploadImage(author, draftUrl, await photo(2400, 1600), "ward.jpg");
    expect(uploaded.status).toBe(200);
    expect(uploaded.headers.get("Content-Type")).toContain("application/json");
    const answer = JSON.parse(uploaded.html) as { src: string; width: number; height: number; url: string };
    expect(answer).toMatchObject({ ok: true, width: 1600, height: 1067 });
    expect(answer.src).toMatch(/^sha256:[0-9a-f]{64}$/);
    hash = answer.src.slice("sha256:".length);
    expect(answer.url).toBe(`/images/${hash}.webp`);

    const viaPage = await uploadImage(author, draftUrl, await photo(500, 300, "png"), "sign.png", false);
    expect(viaPage.status).toBe(200);
    const src = /<code>(sha256:[0-9a-f]{64})<\/code>/.exec(viaPage.html);
    expect(src).not.toBeNull();
    frHash = src![1]!.slice("sha256:".length);
    expect(viaPage.html).toContain(`src="/images/${frHash}.webp"`);

    // An SVG named .png, and text: refused whatever their names say.
    const refusedSvg = await uploadImage(author, draftUrl, svg, "innocent.png");
    expect(refusedSvg.status).toBe(415);
    expect(JSON.parse(refusedSvg.html)).toMatchObject({ error: "not-image" });
    const refusedPage = await uploadImage(author, draftUrl, Buffer.from("hello"), "a.webp", false);
    expect(refusedPage.status).toBe(415);
    expect(refusedPage.html).toContain("not a PNG, JPEG or WebP image");

    // No CSRF token: refused before anything is read into the store.
    const form = new FormData();
    form.append("file", new Blob([new Uint8Array(await photo(50, 50))]), "x.jpg");
    const forged = await author.request(`${draftUrl}/images.json`, {
      method: "POST",
      body: form,
      headers: { Origin: new URL(server.url).origin },
    });
    expect(forged.status).toBe(403);

    // A learner and another regulator's author cannot upload.
    const learner = await signedIn(["learner"]);
    expect((await uploadImage(learner, draftUrl, await photo(50, 50), "x.jpg")).status).toBe(403);
    const outsider = await signedIn(["author"], "en", "coto");
    expect((await uploadImage(outsider, draftUrl, await photo(50, 50), "x.jpg")).status).toBe(404);
  });

  it("are the regulator's staff's only until a published case names them", async () => {
    const anonymous = new Client(server.url);
    expect((await anonymous.get(`/images/${hash}.webp`)).status).toBe(404);
    const outsider = await signedIn(["author"], "en", "coto");
    expect((await outsider.download(`/images/${hash}.webp`)).status).toBe(404);
    const mine = await author.download(`/images/${hash}.webp`);
    expect(mine.status).toBe(200);
    // A staff-only answer to a signed-in request is no-store (scripts/serve.js).
    expect(mine.headers.get("Cache-Control")).toBe("no-store");
    expect(mine.headers.get("Content-Type")).toBe("image/webp");
    expect(Buffer.from(mine.body.subarray(8, 12)).toString("latin1")).toBe("WEBP");
  });

  it("a published case shows them to its learners, cached for a year by anyone", async () => {
    const value = JSON.parse(miniCase);
    value.nodes.context.image = {
      src: `sha256:${hash}`,
      alt: { en: "A hospital ward at night", fr: "Un service hospitalier la nuit" },
      caption: { en: "Ward 4, 2 a.m.", fr: "Service 4, 2 h" },
      variants: { fr: `sha256:${frHash}` },
    };
    const { dir, cleanup } = makeTempDir("vignette-images-");
    try {
      fs.cpSync(fixtures, dir, { recursive: true });
      fs.writeFileSync(path.join(dir, "mini-case.json"), JSON.stringify(value, null, 2));
      await publish(server.dbFile, [dir]);
    } finally {
      cleanup();
    }

    const anonymous = new Client(server.url);
    const served = await anonymous.download(`/images/${hash}.webp`);
    expect(served.status).toBe(200);
    expect(served.headers.get("Cache-Control")).toBe("public, max-age=31536000, immutable");
    expect(served.headers.get("Content-Type")).toBe("image/webp");
    expect(served.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(served.headers.get("ETag")).toBe(`"${hash}"`);
    const again = await anonymous.get(`/images/${hash}.webp`, { "If-None-Match": `"${hash}"` });
    expect(again.status).toBe(304);
    expect((await anonymous.get(`/images/${"0".repeat(64)}.webp`)).status).toBe(404);
    expect((await anonymous.get(`/images/../etc.webp`)).status).toBe(404);

    for (const [locale, alt, caption, shown] of [
      ["en", "A hospital ward at night", "Ward 4, 2 a.m.", hash],
      ["fr", "Un service hospitalier la nuit", "Service 4, 2 h", frHash],
    ] as const) {
      const learner = await signedIn(["learner"], locale);
      await learner.get("/cases/mini-case");
      const started = await learner.post("/cases/mini-case", {});
      expect(started.status).toBe(302);
      const page = await learner.get(started.location!);
      expect(page.status).toBe(200);
      const img = /<img [^>]*src="\/images\/([0-9a-f]{64})\.webp"[^>]*>/.exec(page.html);
      expect(img, page.html.slice(0, 2000)).not.toBeNull();
      expect(img![1]).toBe(shown);
      expect(img![0]).toContain(`alt="${alt}"`);
      expect(img![0]).toMatch(locale === "en" ? /width="1600"/ : /width="500"/);
      expect(img![0]).toMatch(locale === "en" ? /height="1067"/ : /height="300"/);
      expect(page.html).toContain(`<figcaption>${caption}</figcaption>`);
      // Public bytes stay cacheable for a signed-in learner too: serve.js keeps public, immutable answers.
      const cached = await learner.download(`/images/${shown}.webp`);
      expect(cached.headers.get("Cache-Control")).toBe("public, max-age=31536000, immutable");
      // The page's own CSP lets the image load.
      expect(page.headers.get("Content-Security-Policy")).toContain("img-src 'self'");
    }

    // The studio's download of the version with its images: the archive cases:import publishes again.
    const versions = await author.get("/studio/cases/mini-case");
    const link = /href="(\/studio\/cases\/mini-case\/versions\/(\d+)\/archive)"/.exec(versions.html);
    expect(link, "the case page links each version's archive").not.toBeNull();
    const archive = await author.download(link![1]!);
    expect(archive.status).toBe(200);
    expect(archive.headers.get("Content-Type")).toBe("application/zip");
    expect(archive.headers.get("Content-Disposition")).toBe(`attachment; filename="mini-case-v${link![2]}.zip"`);
    const entries = unzipSync(new Uint8Array(archive.body));
    expect(Object.keys(entries).sort()).toEqual(
      ["mini-case.json", `images/${hash}.webp`, `images/${frHash}.webp`].sort(),
    );
    expect(JSON.parse(strFromU8(entries["mini-case.json"]!)).nodes.context.image.src).toBe(`sha256:${hash}`);
    const outsider = await signedIn(["author"], "en", "coto");
    expect((await outsider.download(link![1]!)).status).toBe(404);

    // Uploaded again in the studio, the archive is the same version: nothing to draft.
    const zip = new Uint8Array(archive.body);
    const reuploaded = await postFile(server, author, "/studio/upload", "mini-case-v1.zip", zip, "application/zip");
    expect(reuploaded.status).toBe(200);
    expect(text(reuploaded.html)).toContain("mini-case-v1.zip is identical to version");
    // Changed, it becomes a draft whose images are found; another regulator's author is refused.
    const entries2 = unzipSync(zip);
    const changed = JSON.parse(strFromU8(entries2["mini-case.json"]!));
    changed.summary = { en: "Changed in the archive.", fr: "Modifié dans l'archive." };
    entries2["mini-case.json"] = strToU8(JSON.stringify(changed, null, 2));
    const drafted = await postFile(
      server,
      author,
      "/studio/upload",
      "changed.zip",
      zipSync(entries2),
      "application/zip",
    );
    expect(drafted.status).toBe(302);
    const draftPage = await author.get(drafted.location!);
    expect(draftPage.html).not.toContain("is stored for regulator");
    const refused = await postFile(
      server,
      outsider,
      "/studio/upload",
      "changed.zip",
      zipSync(entries2),
      "application/zip",
    );
    expect(refused.status).toBe(400);
    expect(text(refused.html)).toContain('regulator "demo"');
  });
});
