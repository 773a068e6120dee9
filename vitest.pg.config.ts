// `npm run test:pg`: the model and integration suites with the app's database on PostgreSQL
// (TEST_DATABASE_ENGINE=postgresql; TEST_POSTGRES_URL names a role that may create databases).
// Each test file gets its own database (tests/support/postgres.ts). The schema test's PostgreSQL
// half runs in `npm test` whenever TEST_POSTGRES_URL is set.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { configDefaults, defineConfig } from "vitest/config";

/**
 * Suites that are SQLite's by nature: the backup and restore of a database file, a crash of the
 * process on a file, `npm start` and readiness on a file.
 */
const sqliteByNature = [
  "tests/integration/backup.test.ts",
  "tests/integration/crash.test.ts",
  "tests/integration/operations.test.ts",
];

/**
 * Suites that check rows by opening the test's SQLite file with better-sqlite3 beside the app, found
 * by that import (so a new one is left out rather than failing). What they test through the app
 * runs on PostgreSQL in the others (either-engine.test.ts, hot-path-sql.test.ts, the model suites).
 */
function readingTheSqliteFile(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.name.endsWith(".test.ts") && /from "better-sqlite3"/.test(fs.readFileSync(file, "utf8"))) {
        found.push(path.relative(root, file).split(path.sep).join("/"));
      }
    }
  };
  for (const dir of ["app/models", "tests/integration"]) walk(path.join(root, dir));
  return found.sort();
}

const root = fileURLToPath(new URL(".", import.meta.url));
export const sqliteOnly = [...new Set([...sqliteByNature, ...readingTheSqliteFile()])];

export default defineConfig({
  resolve: { alias: { "~": fileURLToPath(new URL("./app", import.meta.url)) } },
  test: {
    include: ["app/models/**/*.test.ts", "app/utils/hot-path-sql.test.ts", "tests/integration/**/*.test.ts"],
    exclude: [...configDefaults.exclude, ...sqliteOnly],
    env: { TEST_DATABASE_ENGINE: "postgresql" },
    setupFiles: ["tests/support/fail-on-console-error.ts"],
    globalSetup: ["tests/support/global-setup.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
