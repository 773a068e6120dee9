// `npm run test:pg`: the model and integration suites with the app's database on PostgreSQL
// (TEST_DATABASE_ENGINE=postgresql; TEST_POSTGRES_URL names a role that may create databases).
// Each test file gets its own database (tests/support/postgres.ts). The schema test's PostgreSQL
// half runs in `npm test` whenever TEST_POSTGRES_URL is set.
import { fileURLToPath } from "node:url";
import { configDefaults, defineConfig } from "vitest/config";

/**
 * Suites that are SQLite's by nature (the backup and restore of a database file, a crash of the
 * process on a file, the SQLite connection's lock) or that check rows by opening the SQLite file
 * with better-sqlite3 beside the app; the behaviour they test through the app runs in the others.
 */
export const sqliteOnly = [
  // A SQLite file by nature.
  "tests/integration/backup.test.ts",
  "tests/integration/crash.test.ts",
  "tests/integration/operations.test.ts",
  // Read or write rows through better-sqlite3 on the test's SQLite file.
  "app/models/account-closure.test.ts",
  "app/models/analytics.test.ts",
  "app/models/attempt.test.ts",
  "app/models/certificate-reissue.test.ts",
  "tests/integration/account-closure.test.ts",
  "tests/integration/analytics.test.ts",
  "tests/integration/bad-input.test.ts",
  "tests/integration/certificates.test.ts",
  "tests/integration/educator.test.ts",
  "tests/integration/learner.test.ts",
  "tests/integration/password-reset.test.ts",
  "tests/integration/registrar.test.ts",
  "tests/integration/studio.test.ts",
  "tests/integration/tenancy.test.ts",
  "tests/integration/throttle.test.ts",
  "tests/integration/two-factor.test.ts",
  "tests/integration/users-create.test.ts",
];

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
