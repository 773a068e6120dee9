// Storing a case's images through the real sharp and database: types told by content, limits,
// bombs refused before they expand, re-encoding that strips metadata and is deterministic, one
// row per regulator and hash, and who may see an image before and after a version names it.
import { createHash } from "node:crypto";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { getDb } from "~/utils/db.server";
import { gif, pngBomb, photo, svg } from "../../tests/support/case-images";
import { setupModelDb } from "../../tests/support/model-db";
import {
  findServedImage,
  IMAGE_LIMITS,
  imageSizes,
  importArchiveImage,
  missingImages,
  reencodeImage,
  sniffImageType,
  storeCaseImage,
} from "./case-image.server";

setupModelDb();

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
const only = (regulator: string) => ({ all: false as const, regulators: new Set([regulator]) });

describe("storeCaseImage", () => {
  it("takes PNG, JPEG and WebP by their bytes and stores a WebP within 1600 px, without metadata", async () => {
    for (const format of ["png", "jpeg", "webp"] as const) {
      const input = await photo(2400, 1200, format);
      const stored = await storeCaseImage(input, "demo", "author-1");
      expect(stored.ok, format).toBe(true);
      if (!stored.ok) continue;
      expect(stored.value.src).toBe(`sha256:${stored.value.hash}`);
      expect([stored.value.width, stored.value.height]).toEqual([1600, 800]);
      const row = await getDb().caseImage.findUniqueOrThrow({
        where: { regulator_sha256: { regulator: "demo", sha256: stored.value.hash } },
      });
      expect(sha256(row.bytes)).toBe(stored.value.hash);
      expect(row).toMatchObject({ mime: "image/webp", width: 1600, height: 800, createdById: "author-1" });
      const meta = await sharp(row.bytes).metadata();
      expect(meta.format).toBe("webp");
      expect(meta.exif).toBeUndefined();
    }
  });

  it("gives the same upload the same address, once per regulator", async () => {
    const input = await photo(800, 600);
    const first = await storeCaseImage(input, "demo", "a");
    const again = await storeCaseImage(input, "demo", "b");
    const other = await storeCaseImage(input, "coto", "c");
    expect(first.ok && again.ok && other.ok).toBe(true);
    if (!first.ok || !again.ok || !other.ok) return;
    expect(again.value).toEqual(first.value);
    expect(other.value.hash).toBe(first.value.hash);
    const rows = await getDb().caseImage.findMany({
      where: { sha256: first.value.hash },
      orderBy: { regulator: "asc" },
    });
    expect(rows.map((r) => [r.regulator, r.createdById])).toEqual([
      ["coto", "c"],
      ["demo", "a"],
    ]);
    // Small images are not enlarged.
    expect([first.value.width, first.value.height]).toEqual([800, 600]);
  });

  it("refuses what is not a PNG, JPEG or WebP whatever it is called, and what is too big", async () => {
    const count = await getDb().caseImage.count();
    const cases: Array<[Uint8Array, string]> = [
      [new Uint8Array(), "empty"],
      [svg, "not-image"],
      [gif, "not-image"],
      [Buffer.from("<html><body>hello</body></html>"), "not-image"],
      [new Uint8Array(IMAGE_LIMITS.bytes + 1).fill(0xff), "too-large"],
      // A PNG signature on what is not a PNG.
      [
        Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from("junk")]),
        "unreadable",
      ],
    ];
    for (const [bytes, code] of cases) {
      expect(await storeCaseImage(bytes, "demo", "a")).toEqual({ ok: false, code });
    }
    const jpeg = await photo(400, 300);
    expect(await storeCaseImage(jpeg.subarray(0, jpeg.length / 2), "demo", "a")).toEqual({
      ok: false,
      code: "unreadable",
    });
    expect(await getDb().caseImage.count()).toBe(count);
  });

  it("refuses a decompression bomb from its header, before decoding it", async () => {
    const bomb = await pngBomb(10_000);
    expect(bomb.length).toBeLessThan(200_000);
    expect(sniffImageType(bomb)).toBe("png");
    expect(await reencodeImage(bomb)).toEqual({ ok: false, code: "too-many-pixels" });
  });

  it("re-encodes deterministically", async () => {
    const input = await photo(2000, 1500, "png");
    const a = await reencodeImage(input);
    const b = await reencodeImage(input);
    expect(a.ok && b.ok && sha256(a.value.bytes) === sha256(b.value.bytes)).toBe(true);
  });
});

describe("archive images", () => {
  it("are stored as they are when they hash to their name and are what an upload stores", async () => {
    const encoded = await reencodeImage(await photo(640, 480, "png"));
    if (!encoded.ok) throw new Error("fixture");
    const hash = sha256(encoded.value.bytes);
    expect(await importArchiveImage(encoded.value.bytes, "0".repeat(64), "arch")).toEqual({
      ok: false,
      code: "hash-mismatch",
    });
    const png = await photo(640, 480, "png");
    expect(await importArchiveImage(png, sha256(png), "arch")).toEqual({ ok: false, code: "not-image" });
    const stored = await importArchiveImage(encoded.value.bytes, hash, "arch");
    expect(stored).toEqual({ ok: true, value: { src: `sha256:${hash}`, hash, width: 640, height: 480 } });
    expect(await missingImages("arch", [hash, "f".repeat(64)])).toEqual(new Set(["f".repeat(64)]));
    expect((await imageSizes([hash])).get(hash)).toEqual({ width: 640, height: 480 });
  });
});

describe("who sees an image", () => {
  it("only the regulator's staff before a published version names it; anyone after", async () => {
    const stored = await storeCaseImage(await photo(300, 200), "vis", "a");
    if (!stored.ok) throw new Error("fixture");
    const { hash, src } = stored.value;
    expect(await findServedImage(hash, null)).toBeNull();
    expect(await findServedImage(hash, only("other"))).toBeNull();
    expect(await findServedImage(hash, only("vis"))).toMatchObject({ public: false, mime: "image/webp" });
    expect(await findServedImage("e".repeat(64), { all: true })).toBeNull();

    const db = getDb();
    const record = await db.case.create({ data: { slug: "vis-case", regulator: "vis" } });
    const version = (at: Date, n: number) => ({
      caseId: record.id,
      version: n,
      contentHash: `h${n}`,
      content: JSON.stringify({ nodes: { a: { image: { src } } } }),
      source: "{}",
      title: "{}",
      summary: "{}",
      locales: "en",
      profession: "p",
      release: "2026-12",
      creditHours: 1,
      creditCategory: "c",
      passMark: 0.5,
      bestTotal: 1,
      decisionCount: 1,
      publishedAt: at,
    });
    // Scheduled for later: still the staff's only.
    await db.caseVersion.create({ data: version(new Date(Date.now() + 86_400_000), 1) });
    expect(await findServedImage(hash, null)).toBeNull();
    await db.caseVersion.create({ data: version(new Date(Date.now() - 1000), 2) });
    const served = await findServedImage(hash, null);
    expect(served).toMatchObject({ public: true, hash });
    expect(sha256(served!.bytes)).toBe(hash);
    const row = await db.caseImage.findUniqueOrThrow({
      where: { regulator_sha256: { regulator: "vis", sha256: hash } },
    });
    expect(row.publishedAt).not.toBeNull();
  });
});
