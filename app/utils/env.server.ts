import path from "node:path";
import { z } from "zod";

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z
    .string()
    .regex(/^file:.+/, 'must be a SQLite file URL such as "file:./data/vignette.db"')
    .default("file:./data/vignette.db"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
});

export type Env = z.infer<typeof envSchema>;

/** Parses the environment, failing with a message a person can act on (house habit 3). */
export function parseEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  return result.data;
}

let cached: Env | undefined;
export function getEnv(): Env {
  cached ??= parseEnv();
  return cached;
}

/** `file:./data/vignette.db` → absolute path, relative paths taken from the working directory. */
export function databaseFilePath(databaseUrl: string, cwd: string = process.cwd()): string {
  const raw = databaseUrl.replace(/^file:/, "").replace(/\?.*$/, "");
  return path.resolve(cwd, raw);
}
