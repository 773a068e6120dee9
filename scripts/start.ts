// `npm start`: what a new person runs after `npm install`. Builds when the build is missing or older
// than the sources, migrates, publishes the demo content when the database has no cases, seeds the
// demo accounts outside production, then serves with remix-serve (PORT, default 3000).
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { databaseFilePath, getEnv } from "../app/utils/env.server";
import { migrate } from "../app/utils/migrate.server";
import { seedIfEmpty } from "./lib/seed";

const require = createRequire(import.meta.url);

function newestMtime(target: string): number {
  const stat = fs.statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of fs.readdirSync(target)) {
    if (entry === "generated") continue;
    newest = Math.max(newest, newestMtime(path.join(target, entry)));
  }
  return newest;
}

function buildIfNeeded(): void {
  const output = path.resolve("build/index.js");
  const inputs = ["app", "remix.config.js", "package.json", "public/styles.css"].filter((p) => fs.existsSync(p));
  const stale = !fs.existsSync(output) || inputs.some((input) => newestMtime(input) > fs.statSync(output).mtimeMs);
  if (!stale) return;
  console.log("Building the app…");
  const remix = require.resolve("@remix-run/dev/dist/cli.js");
  const result = spawnSync(process.execPath, [remix, "build"], {
    stdio: "inherit",
    env: { ...process.env, NODE_ENV: "production" },
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

async function main() {
  const env = getEnv();
  buildIfNeeded();
  const file = databaseFilePath(env.DATABASE_URL);
  const migrated = migrate(file);
  console.log(`Database ${file}: ${migrated.applied.length} migration(s) applied.`);
  await seedIfEmpty(file, { demoAccounts: env.NODE_ENV !== "production" });

  const serve = require.resolve("@remix-run/serve/dist/cli.js");
  const child = spawn(process.execPath, [serve, "./build/index.js"], {
    stdio: "inherit",
    env: { ...process.env, PORT: String(env.PORT), NODE_ENV: process.env.NODE_ENV ?? "production" },
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
  child.on("exit", (code) => process.exit(code ?? 0));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
