// Every path to a document under docs/ that the code and the docs mention names a file that exists,
// so a comment's "see docs/decisions/…" or a markdown link never points at nothing (renamed ADRs
// left two such links behind once).
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const scanned = ["app", "scripts", "tests", "docs", "prisma", "README.md", "remix.config.js"];
// Generated code and test output are not ours to fix (and are git-ignored).
const skipped = new Set(["app/generated", "node_modules", "test-results"]);
const textFile = /\.(ts|tsx|js|mjs|cjs|md|prisma|sql|json)$/;
// A repository-relative path: not preceded by a path character, so "public/docs/x.md" is not one.
const rootPath = /(?<![\w/.-])docs\/[\w/.-]*[\w-]\.md/g;
// A relative markdown link in a document: [text](other.md) or [text](../x.md#part).
const markdownLink = /\]\((?!\w+:)([^)\s#]+\.md)(?:#[^)\s]*)?\)/g;

function files(relative: string): string[] {
  if (skipped.has(relative)) return [];
  const full = path.join(root, relative);
  const stat = fs.statSync(full);
  if (!stat.isDirectory()) return textFile.test(relative) ? [relative] : [];
  return fs.readdirSync(full).flatMap((name) => files(path.posix.join(relative, name)));
}

function references(): { from: string; target: string }[] {
  return scanned.flatMap((start) =>
    files(start).flatMap((file) => {
      const lines = fs.readFileSync(path.join(root, file), "utf8").split("\n");
      return lines.flatMap((line, index) => {
        const from = `${file}:${index + 1}`;
        const found = [...line.matchAll(rootPath)].map((match) => ({ from, target: match[0] }));
        if (file.endsWith(".md")) {
          for (const match of line.matchAll(markdownLink)) {
            found.push({ from, target: path.posix.join(path.posix.dirname(file), match[1]!) });
          }
        }
        return found;
      });
    }),
  );
}

describe("links to docs/", () => {
  it("name files that exist", () => {
    const all = references();
    // The scan itself works: the tree cites its ADRs in many places.
    expect(all.length).toBeGreaterThan(15);
    const dangling = all
      .filter(({ target }) => !fs.existsSync(path.join(root, target)))
      .map(({ from, target }) => `${from}: ${target}`);
    expect(dangling).toEqual([]);
  });
});
