// The visual editor's work per keystroke on the largest case (847 nodes): one edit through the
// engine's case-edit functions, writing the source back, and validating it (the editor does all
// three on every change, the validation on a deferred copy). Run by `npm run bench`.
import fs from "node:fs";
import path from "node:path";
import { caseSource, setText, validateCase, type Catalog, type CaseValue } from "~/engine";
import { largeCase } from "./graph-case";

export type EditorBench = { nodes: number; bytes: number; editMs: number; serializeMs: number; validateMs: number };

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export function benchEditor(runs = 15): EditorBench {
  const base = JSON.parse(fs.readFileSync(path.resolve("cases/social-media-boundaries.json"), "utf8"));
  const catalogDir = path.resolve("cases/standards");
  const catalogs = new Map<string, Catalog>(
    fs
      .readdirSync(catalogDir)
      .filter((f) => f.endsWith(".json"))
      .map((f) => {
        const catalog = JSON.parse(fs.readFileSync(path.join(catalogDir, f), "utf8")) as Catalog;
        return [catalog.id, catalog];
      }),
  );
  let value = largeCase(base) as CaseValue;
  const edit: number[] = [];
  const serialize: number[] = [];
  const validate: number[] = [];
  let text = caseSource(value);
  for (let i = 0; i < runs; i++) {
    let t = performance.now();
    value = setText(value, "/nodes/q100/prompt", "fr", `Que faites-vous ${i}?`);
    edit.push(performance.now() - t);
    t = performance.now();
    text = caseSource(value);
    serialize.push(performance.now() - t);
    t = performance.now();
    const result = validateCase({ file: `${String(value.slug)}.json`, text }, catalogs);
    validate.push(performance.now() - t);
    const error = result.diagnostics.find((d) => d.severity === "error");
    if (error) throw new Error(`the large case should be valid: ${error.path}: ${error.message}`);
  }
  return {
    nodes: Object.keys(value.nodes as object).length,
    bytes: Buffer.byteLength(text),
    editMs: median(edit),
    serializeMs: median(serialize),
    validateMs: median(validate),
  };
}
