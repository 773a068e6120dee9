// Runs `prisma generate` without the native schema engine, which Prisma 7's CLI would otherwise try
// to download (impossible on machines with no network beyond the npm registry). Generation itself
// does not execute that engine; it only needs the variable to name an existing file.
// See docs/decisions/003-migrations-without-schema-engine.md.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const cli = require.resolve("prisma/build/index.js");
const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
  PRISMA_HIDE_UPDATE_MESSAGE: "1",
  CHECKPOINT_DISABLE: "1",
};
const result = spawnSync(process.execPath, [cli, "generate"], { stdio: "inherit", env });
process.exit(result.status ?? 1);
