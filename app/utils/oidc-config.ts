// Single sign-on through a regulator's registrant portal (OpenID Connect; docs/decisions/019-oidc-sign-in.md):
// the deployment's configuration, read from the environment and checked at start-up by parseEnv.
// `OIDC_PROVIDERS` holds the public part, one entry per regulator id; each client secret comes from
// its own variable, `OIDC_<REGULATOR_ID>_CLIENT_SECRET`, never from a content file or that JSON.
// Pure: parses what it is given, reads no file and no network.
import { z } from "zod";

/** Where each of our fields is read from in the portal's claims (a dotted path for nested claims). */
export type ClaimMapping = { name: string; email: string; registrationNumber: string };

export type OidcProvider = {
  /** The regulator whose registrants sign in this way (its profile names the portal on /login). */
  regulator: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** How the client authenticates at the token endpoint. */
  tokenAuth: "client_secret_basic" | "client_secret_post";
  /** Space-separated, "openid" included. */
  scopes: string;
  /** The button's text, per locale; without it "Sign in with <regulator's short name> portal". */
  label?: { en: string; fr: string };
  claims: ClaimMapping;
};

export const DEFAULT_CLAIMS: ClaimMapping = { name: "name", email: "email", registrationNumber: "registration_number" };
export const DEFAULT_SCOPES = "openid email profile";

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** Whether plain http may be spoken to this issuer: only on this machine (tests, a local portal). */
export function isLoopbackIssuer(issuer: string): boolean {
  return LOOPBACK.has(new URL(issuer).hostname);
}

const claimPath = z
  .string()
  .regex(/^[A-Za-z0-9_:/.-]{1,100}$/, "a claim name (letters, digits, _ : / . -), dots for nested claims");

const entrySchema = z.strictObject({
  issuer: z
    .url("issuer must be the portal's issuer URL, e.g. https://portal.example.org")
    .refine(
      (u) => u.startsWith("https://") || (u.startsWith("http://") && isLoopbackIssuer(u)),
      "issuer must start with https:// (plain http only for 127.0.0.1 or localhost)",
    ),
  clientId: z.string().trim().min(1, "clientId is required").max(200),
  tokenAuth: z.enum(["client_secret_basic", "client_secret_post"]).default("client_secret_basic"),
  scopes: z
    .string()
    .trim()
    .regex(/^[\x21\x23-\x5B\x5D-\x7E]+( [\x21\x23-\x5B\x5D-\x7E]+)*$/, "scopes are separated by single spaces")
    .refine((s) => s.split(" ").includes("openid"), 'scopes must include "openid"')
    .default(DEFAULT_SCOPES),
  label: z.strictObject({ en: z.string().trim().min(1).max(80), fr: z.string().trim().min(1).max(80) }).optional(),
  claims: z
    .strictObject({ name: claimPath.optional(), email: claimPath.optional(), registrationNumber: claimPath.optional() })
    .default({}),
});

const providersSchema = z.record(
  z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "each key is a regulator id (lower-case slug)"),
  entrySchema,
);

/** `coto` → `OIDC_COTO_CLIENT_SECRET`, `demo-psychotherapy` → `OIDC_DEMO_PSYCHOTHERAPY_CLIENT_SECRET`. */
export function clientSecretVariable(regulator: string): string {
  return `OIDC_${regulator.toUpperCase().replace(/[^A-Z0-9]/g, "_")}_CLIENT_SECRET`;
}

/**
 * The portals configured for this deployment, by regulator id. Errors are lines "VARIABLE: what to
 * do", as parseEnv prints them; none configured is an empty map.
 */
export function parseOidcProviders(
  source: Readonly<Record<string, string | undefined>>,
): { ok: true; value: Map<string, OidcProvider> } | { ok: false; errors: string[] } {
  const raw = source.OIDC_PROVIDERS?.trim();
  if (!raw) return { ok: true, value: new Map() };
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return {
      ok: false,
      errors: ['OIDC_PROVIDERS: must be JSON, e.g. {"coto": {"issuer": "https://…", "clientId": "…"}}'],
    };
  }
  const parsed = providersSchema.safeParse(json);
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.map((issue) => `OIDC_PROVIDERS: ${["", ...issue.path].join("/")}: ${issue.message}`),
    };
  }
  const errors: string[] = [];
  const providers = new Map<string, OidcProvider>();
  for (const [regulator, entry] of Object.entries(parsed.data)) {
    const variable = clientSecretVariable(regulator);
    const clientSecret = source[variable]?.trim();
    if (!clientSecret) {
      errors.push(`${variable}: required for the portal of "${regulator}" in OIDC_PROVIDERS (the client secret)`);
      continue;
    }
    providers.set(regulator, {
      regulator,
      issuer: entry.issuer,
      clientId: entry.clientId,
      clientSecret,
      tokenAuth: entry.tokenAuth,
      scopes: entry.scopes,
      ...(entry.label ? { label: entry.label } : {}),
      claims: { ...DEFAULT_CLAIMS, ...entry.claims },
    });
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: providers };
}
