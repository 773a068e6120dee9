import path from "node:path";
import { z } from "zod";
import { parseOidcProviders, type OidcProvider } from "./oidc-config";

/** Where the database lives when DATABASE_URL is not set. */
export const DEFAULT_DATABASE_URL = "file:./data/vignette.db";

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z
    .string()
    .regex(
      /^(file:.+|postgres(ql)?:\/\/.+)/,
      'must be a SQLite file URL such as "file:./data/vignette.db" or a PostgreSQL URL such as "postgresql://user:password@host:5432/vignette"',
    )
    .default(DEFAULT_DATABASE_URL),
  // 0 asks the OS for a free port (tests, benchmarks).
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Comma-separated; the first signs new cookies, the others still verify (rotation). */
  SESSION_SECRET: z.string().optional(),
  /** Public origin used in certificate links and QR codes, e.g. https://vignette.example.org. */
  PUBLIC_URL: z.url().optional(),
  /** A session unused for this long is signed out (fractions allowed, for tests). */
  SESSION_IDLE_MINUTES: z.coerce.number().positive().default(60),
  /** Sign-ups accepted per client address per hour. */
  JOIN_LIMIT_PER_HOUR: z.coerce.number().int().min(1).default(20),
  /** Mail server, e.g. smtp://user:pass@mail.example.org:587 (smtps:// for TLS from the start). */
  SMTP_URL: z
    .url()
    .refine((u) => /^smtps?:\/\//.test(u), 'must start with smtp:// or smtps://, e.g. "smtp://mail.example.org:587"')
    .optional(),
  /** The sender of every message, e.g. "Vignette <no-reply@vignette.example.org>". */
  MAIL_FROM: z.string().trim().min(3).max(320).optional(),
  /**
   * "1": without SMTP_URL, write mail to data/outbox/ even though the server runs the production build.
   * The local `npm start` sets it (scripts/start.ts): its server is NODE_ENV=production, its mail a developer's.
   */
  MAIL_OUTBOX: z.enum(["0", "1"]).optional(),
});

const developmentSecret = "vignette-development-secret-not-for-production";

export type Env = z.infer<typeof envSchema> & {
  sessionSecrets: string[];
  /** Registrant portals for single sign-on, by regulator id (OIDC_PROVIDERS; ADR 019). */
  oidcProviders: Map<string, OidcProvider>;
};

/**
 * Parses the environment, failing with a message a person can act on: a misconfigured deployment stops at
 * start-up, naming the variable, instead of failing on its first request.
 */
export function parseEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  const secrets = (result.data.SESSION_SECRET ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (secrets.length === 0) {
    if (result.data.NODE_ENV === "production") {
      throw new Error(
        "Invalid environment:\n  SESSION_SECRET: required in production (a long random string; comma-separate to rotate)",
      );
    }
    secrets.push(developmentSecret);
  }
  // Links in mail must point at the deployment, never at a Host header a client chose.
  if (result.data.NODE_ENV === "production" && result.data.SMTP_URL && !result.data.PUBLIC_URL) {
    throw new Error(
      "Invalid environment:\n  PUBLIC_URL: required in production when SMTP_URL is set (the origin of the links in mail)",
    );
  }
  if (secrets.some((s) => s.length < 32)) {
    throw new Error("Invalid environment:\n  SESSION_SECRET: each secret must be at least 32 characters");
  }
  const oidc = parseOidcProviders(source);
  if (!oidc.ok) throw new Error(`Invalid environment:\n${oidc.errors.map((line) => `  ${line}`).join("\n")}`);
  return { ...result.data, sessionSecrets: secrets, oidcProviders: oidc.value };
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
/** The two database engines Vignette runs on (ADR 017). */
export type Engine = "sqlite" | "postgresql";

/** Which engine a DATABASE_URL (or a bare SQLite file path, as tests and scripts pass) names. */
export function databaseEngine(databaseUrl: string): Engine {
  return /^postgres(ql)?:\/\//.test(databaseUrl) ? "postgresql" : "sqlite";
}
