import { describe, expect, it } from "vitest";
import { caseImageHashes, caseImageRefs, imageHash, imageSrc, localizedImage } from "./images";
import { caseFileSchema, caseJsonSchema } from "./schema";
import { baseCase, catalogMap, mutateCase, t } from "./test-fixtures";
import { validateCase } from "./validate";

const FILE = "cases/social-media-boundaries.json";
const A = "a".repeat(64);
const B = "b".repeat(64);

const withImage = (nodeId: string, image: unknown) => mutateCase((c) => (c.nodes[nodeId].image = image));
const check = (value: unknown) => validateCase({ file: FILE, value }, catalogMap());
const errors = (value: unknown) => check(value).diagnostics.filter((d) => d.severity === "error");

describe("images in the case format", () => {
  it("leave format 1 files without images valid", () => {
    expect(check(baseCase()).diagnostics).toEqual([]);
  });

  it("accept an image on a scene, a decision and an outcome, with caption and variant", () => {
    const value = mutateCase((c) => {
      c.nodes.context.image = { src: imageSrc(A), alt: t("A ward at night") };
      c.nodes.q1.image = { src: imageSrc(A), alt: t("A friend request"), variants: { fr: imageSrc(B) } };
      c.nodes.end.image = { src: imageSrc(B), alt: t("A closed file"), caption: t("Six months later") };
    });
    const result = check(value);
    expect(result.diagnostics).toEqual([]);
    expect(result.caseFile?.nodes.q1).toMatchObject({ image: { variants: { fr: imageSrc(B) } } });
    expect(caseFileSchema.parse(value)).toEqual(value);
  });

  it("refuse an image on a reflection (it has nothing to show it with)", () => {
    const found = errors(withImage("reflect", { src: imageSrc(A), alt: t("x") }));
    expect(found.map((d) => [d.path, d.message])).toEqual([["/nodes/reflect/image", 'unknown field "image"']]);
  });

  it("require alt text in every locale of the case, pinpointed", () => {
    const found = errors(withImage("context", { src: imageSrc(A), alt: { en: "A ward" } }));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ path: "/nodes/context/image/alt" });
    expect(found[0]!.message).toContain('missing the "fr" text');
    const missing = errors(withImage("context", { src: imageSrc(A) }));
    expect(missing.map((d) => d.path)).toEqual(["/nodes/context/image/alt"]);
    expect(missing[0]!.message).toContain('missing required field "alt"');
  });

  it("check a caption's locales and raw HTML in alt text like any plain text", () => {
    const found = errors(
      withImage("end", { src: imageSrc(A), alt: { en: "A <b>ward</b>", fr: "Un service" }, caption: { en: "Later" } }),
    );
    expect(found.map((d) => d.path).sort()).toEqual(["/nodes/end/image/alt/en", "/nodes/end/image/caption"]);
    expect(found.find((d) => d.path.endsWith("/alt/en"))!.message).toContain("raw HTML");
  });

  it("report a bad src and a variant for a locale the case does not list", () => {
    const bad = errors(withImage("context", { src: "ward.png", alt: t("A ward") }));
    expect(bad.map((d) => d.path)).toEqual(["/nodes/context/image/src"]);
    expect(bad[0]!.message).toContain('"sha256:" and 64 hex digits');

    const english = mutateCase((c) => {
      c.locales = ["en"];
      for (const node of Object.values(c.nodes) as any[]) {
        for (const v of Object.values(node)) if (v && typeof v === "object" && "fr" in v) delete (v as any).fr;
        for (const choice of node.choices ?? []) for (const f of ["label", "feedback"]) delete choice[f]?.fr;
      }
      delete c.title.fr;
      delete c.summary.fr;
      c.nodes.context.image = { src: imageSrc(A), alt: { en: "A ward" }, variants: { fr: imageSrc(B) } };
    });
    const found = errors(english);
    expect(found.map((d) => d.path)).toEqual(["/nodes/context/image/variants/fr"]);
    expect(found[0]!.message).toContain('"fr" is not in the file\'s locales (en)');

    const unknown = errors(withImage("context", { src: imageSrc(A), alt: t("A ward"), variants: { de: imageSrc(B) } }));
    expect(unknown.map((d) => d.path)).toEqual(["/nodes/context/image/variants/de"]);
  });

  it("pinpoints the line of an image error in the source text", () => {
    const text = JSON.stringify(withImage("context", { src: imageSrc(A), alt: { en: "A ward" } }), null, 2);
    const [found] = validateCase({ file: FILE, text }, catalogMap()).diagnostics;
    expect(found?.path).toBe("/nodes/context/image/alt");
    expect(text.split("\n")[found!.line! - 1]).toContain('"alt"');
  });

  it("appear in the generated JSON Schema", () => {
    const json = JSON.stringify(caseJsonSchema());
    expect(json).toContain("^sha256:[0-9a-f]{64}$");
    expect(json).toContain("required in every locale of the case");
  });
});

describe("image helpers", () => {
  it("list every well-formed src with its pointer, variants included", () => {
    const value = mutateCase((c) => {
      c.nodes.context.image = { src: imageSrc(A), alt: t("x"), variants: { fr: imageSrc(B) } };
      c.nodes.end.image = { src: imageSrc(A), alt: t("y") };
      c.nodes.q1.image = { src: "not-a-hash", alt: t("z") };
    });
    expect(caseImageRefs(value)).toEqual([
      { hash: A, path: "/nodes/context/image/src" },
      { hash: B, path: "/nodes/context/image/variants/fr" },
      { hash: A, path: "/nodes/end/image/src" },
    ]);
    expect(caseImageHashes(value)).toEqual([A, B]);
    expect(caseImageRefs("not a case")).toEqual([]);
  });

  it("pick the locale's variant, alt and caption", () => {
    const image = { src: imageSrc(A), alt: t("A ward", "Un service"), variants: { fr: imageSrc(B) } };
    expect(localizedImage(image, "en")).toEqual({ hash: A, alt: "A ward", caption: null });
    expect(localizedImage({ ...image, caption: t("Night") }, "fr")).toEqual({
      hash: B,
      alt: "Un service",
      caption: "Night (fr)",
    });
    expect(imageHash(imageSrc(A))).toBe(A);
  });
});
