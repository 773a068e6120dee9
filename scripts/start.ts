// `npm start`: what a new person runs after `npm install`. Builds when the build is missing or older
// than the sources, migrates, publishes the demo content when the database has no cases, seeds the
// demo accounts outside production, then serves with scripts/serve.js (PORT, default 3000).
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { DEFAULT_DATABASE_URL, databaseFilePath, getEnv } from "../app/utils/env.server";
import { migrate } from "../app/utils/migrate.server";
import { getDb } from "../app/utils/db.server";
import { buildIfNeeded } from "./lib/build";
import { seed } from "./lib/seed";
import { SERVER_NODE_FLAGS } from "./lib/server-flags";

/** A random secret kept beside the database, so local sessions survive restarts. */
function localSessionSecret(databaseFile: string): string {
  const file = path.join(path.dirname(databaseFile), ".session-secret");
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, randomBytes(48).toString("base64url"), { mode: 0o600 });
  }
  return fs.readFileSync(file, "utf8").trim();
}

async function main() {
  // A person running `npm start` locally gets demo accounts; NODE_ENV=production means a real
  // deployment: no demo accounts, and SESSION_SECRET must be given.
  const production = process.env.NODE_ENV === "production";
  const databaseFile = databaseFilePath(process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL);
  if (!production && !process.env.SESSION_SECRET) process.env.SESSION_SECRET = localSessionSecret(databaseFile);
  const env = getEnv();
  buildIfNeeded();
  const migrated = migrate(databaseFile);
  console.log(`Database ${databaseFile}: ${migrated.applied.length} migration(s) applied.`);
  await seed({ demoAccounts: !production });
  await getDb().$disconnect();

  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, path.resolve("scripts/serve.js")], {
    stdio: "inherit",
    // The server always runs the production build in production mode; secure cookies need HTTPS,
    // which a local run does not have.
    env: {
      ...process.env,
      PORT: String(env.PORT),
      NODE_ENV: "production",
      ...(production ? {} : { VIGNETTE_INSECURE_COOKIES: "1" }),
    },
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
  child.on("exit", (code) => process.exit(code ?? 0));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
