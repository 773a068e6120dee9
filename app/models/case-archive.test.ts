// A case and its images as one archive, through the real exporter, importer, sharp and databases:
// the archive holds the case as authored and the stored images, exporting twice gives the same
// bytes, and importing it (on the same deployment or another) gives the same content hash. A
// changed image or a missing one is refused with nothing written.
import fs from "node:fs";
import path from "node:path";
import { strToU8, unzipSync, zipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "~/utils/db.server";
import { publishFiles } from "../../scripts/lib/publish";
import { photo } from "../../tests/support/case-images";
import { makeMigratedDb, makeTempDir } from "../../tests/support/temp-db";
import { exportCaseArchive, importCaseArchive } from "./case-archive.server";
import { storeCaseImage } from "./case-image.server";

const fixtures = path.resolve("tests/fixtures/valid");
const cleanups: Array<() => void | Promise<void>> = [];
const dbs: Db[] = [];

async function freshDb(): Promise<Db> {
  const made = makeMigratedDb();
  cleanups.push(made.cleanup);
  const db = createDb(made.file);
  dbs.push(db);
  await publishFiles(db, [fixtures]);
  return db;
}

let source: Db;
let src: string;
let frSrc: string;

/** The fixtures' mini case with an image on its first scene (French variant) and on an outcome. */
function caseWithImages(mutate: (value: any) => void = () => {}): string {
  const value = JSON.parse(fs.readFileSync(path.join(fixtures, "mini-case.json"), "utf8"));
  value.nodes.context.image = {
    src,
    alt: { en: "A ward at night", fr: "Un service la nuit" },
    caption: { en: "Ward 4", fr: "Service 4" },
    variants: { fr: frSrc },
  };
  value.nodes["end-good"].image = { src, alt: { en: "The ward by day", fr: "Le service le jour" } };
  mutate(value);
  return `${JSON.stringify(value, null, 2)}\n`;
}

beforeAll(async () => {
  source = await freshDb();
  const a = await storeCaseImage(await photo(1200, 800), "demo", null, source);
  const b = await storeCaseImage(await photo(600, 400, "png"), "demo", null, source);
  if (!a.ok || !b.ok) throw new Error("fixture images");
  [src, frSrc] = [a.value.src, b.value.src];
  // Published from files, as cases:import does, beside the fixtures' catalogs.
  const { dir, cleanup } = makeTempDir("vignette-archive-");
  cleanups.push(cleanup);
  fs.cpSync(fixtures, dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "mini-case.json"), caseWithImages());
  await publishFiles(source, [dir]);
});

afterAll(async () => {
  for (const db of dbs) await db.$disconnect();
  for (const cleanup of cleanups) await cleanup();
});

const latest = (db: Db) =>
  db.caseVersion.findFirstOrThrow({ where: { case: { slug: "mini-case" } }, orderBy: { version: "desc" } });

describe("case archives", () => {
  it("hold the case as authored and its images, the same bytes each time", async () => {
    const first = await exportCaseArchive(source, "mini-case");
    const again = await exportCaseArchive(source, "mini-case");
    expect(first.ok && again.ok).toBe(true);
    if (!first.ok || !again.ok) return;
    expect(first.value).toMatchObject({ version: 2, images: 2 });
    expect(Buffer.from(again.value.zip).equals(Buffer.from(first.value.zip))).toBe(true);
    const entries = unzipSync(first.value.zip);
    const hashes = [src, frSrc].map((s) => s.slice("sha256:".length)).sort();
    expect(Object.keys(entries).sort()).toEqual([
      "images/" + hashes[0] + ".webp",
      "images/" + hashes[1] + ".webp",
      "mini-case.json",
    ]);
    expect(new TextDecoder().decode(entries["mini-case.json"])).toBe(caseWithImages());
    expect(await exportCaseArchive(source, "mini-case", 9)).toEqual({ ok: false, code: "not-found" });
  });

  it("import as the same version: unchanged here, the same content hash on another deployment", async () => {
    const archive = await exportCaseArchive(source, "mini-case");
    if (!archive.ok) throw new Error("export");
    const here = await importCaseArchive(source, "mini-case.zip", archive.value.zip);
    expect(here.ok && here.value.published).toEqual([
      { kind: "case", id: "mini-case", file: "mini-case.zip:mini-case.json", version: 2, status: "unchanged" },
    ]);

    const other = await freshDb();
    expect(await other.caseImage.count()).toBe(0);
    const there = await importCaseArchive(other, "mini-case.zip", archive.value.zip);
    expect(there.ok, JSON.stringify(there.diagnostics)).toBe(true);
    expect(there.ok && there.value.images).toBe(2);
    const [a, b] = [await latest(source), await latest(other)];
    expect(b.contentHash).toBe(a.contentHash);
    expect(b.source).toBe(a.source);
    const stored = await other.caseImage.findMany({ orderBy: { sha256: "asc" } });
    const original = await source.caseImage.findMany({ orderBy: { sha256: "asc" } });
    expect(stored.map((r) => [r.sha256, Buffer.from(r.bytes).toString("base64")])).toEqual(
      original.map((r) => [r.sha256, Buffer.from(r.bytes).toString("base64")]),
    );
    // Exported again from there, it holds the same files.
    const back = await exportCaseArchive(other, "mini-case");
    expect(back.ok && unzipSync(back.value.zip)).toEqual(unzipSync(archive.value.zip));
  });

  it("refuse a changed image, a missing one and stray files, writing nothing", async () => {
    const archive = await exportCaseArchive(source, "mini-case");
    if (!archive.ok) throw new Error("export");
    const entries = unzipSync(archive.value.zip);
    const target = await freshDb();
    const before = { images: await target.caseImage.count(), versions: await target.caseVersion.count() };
    const tryImport = async (files: Record<string, Uint8Array>) => {
      const result = await importCaseArchive(target, "x.zip", zipSync(files));
      return { ok: result.ok, diagnostics: result.diagnostics.filter((d) => d.severity === "error") };
    };

    const imageName = Object.keys(entries).find((n) => n.startsWith("images/"))!;
    const changed = { ...entries, [imageName]: Uint8Array.from(entries[imageName]!, (b, i) => (i === 40 ? b ^ 1 : b)) };
    const tampered = await tryImport(changed);
    expect(tampered.ok).toBe(false);
    expect(tampered.diagnostics[0]!.message).toContain("does not hash to its name");

    const { [imageName]: _dropped, ...without } = entries;
    const missing = await tryImport(without);
    expect(missing.ok).toBe(false);
    const paths = missing.diagnostics.map((d) => d.path);
    expect(paths.length).toBeGreaterThan(0);
    for (const d of missing.diagnostics) {
      expect(d.path).toMatch(/^\/nodes\/(context|end-good)\/image\/(src|variants\/fr)$/);
      expect(d.line).toBeGreaterThan(0);
      expect(d.message).toContain("neither in the archive");
    }

    const stray = await tryImport({ ...entries, "notes.txt": strToU8("hello") });
    expect(stray.diagnostics[0]!.message).toContain("unexpected file(s)");
    const garbage = await importCaseArchive(target, "x.zip", strToU8("not a zip"));
    expect(garbage.ok).toBe(false);

    expect({ images: await target.caseImage.count(), versions: await target.caseVersion.count() }).toEqual(before);
  });
});
