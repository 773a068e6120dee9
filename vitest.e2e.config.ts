// Browser end-to-end suite: Chromium (playwright-core) against the real production server.
// Kept apart from vitest.config.ts, whose include never reaches tests/e2e/.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "~": fileURLToPath(new URL("./app", import.meta.url)) } },
  test: {
    include: ["tests/e2e/**/*.e2e.test.ts"],
    setupFiles: ["tests/support/fail-on-console-error.ts"],
    globalSetup: ["tests/support/global-setup.ts"],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // One browser and one production server at a time: the CI machine has two cores.
    fileParallelism: false,
  },
});
