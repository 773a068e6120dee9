// Builds the Remix app when build/ is missing or older than its sources (npm start, test setup).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(import.meta.url);

function newestMtime(target: string): number {
  const stat = fs.statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of fs.readdirSync(target)) {
    if (entry === "generated" || entry.endsWith(".test.ts") || entry.endsWith(".test.tsx")) continue;
    newest = Math.max(newest, newestMtime(path.join(target, entry)));
  }
  return newest;
}

export function buildIfNeeded(root = process.cwd()): void {
  const output = path.join(root, "build/index.js");
  const inputs = ["app", "remix.config.js", "package.json", "public/styles.css"]
    .map((p) => path.join(root, p))
    .filter((p) => fs.existsSync(p));
  const stale = !fs.existsSync(output) || inputs.some((input) => newestMtime(input) > fs.statSync(output).mtimeMs);
  if (!stale) return;
  console.log("Building the app…");
  const remix = require.resolve("@remix-run/dev/dist/cli.js");
  const result = spawnSync(process.execPath, [remix, "build"], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, NODE_ENV: "production" },
  });
  if (result.status !== 0) throw new Error(`remix build failed (exit ${result.status})`);
}
