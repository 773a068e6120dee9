import { describe, expect, it } from "vitest";
import { parseEnv } from "./env.server";
import { clientSecretVariable, parseOidcProviders } from "./oidc-config";

const coto = { issuer: "https://portal.coto.example", clientId: "vignette" };

describe("parseOidcProviders", () => {
  it("is empty without OIDC_PROVIDERS", () => {
    expect(parseOidcProviders({})).toEqual({ ok: true, value: new Map() });
  });

  it("takes the public part from OIDC_PROVIDERS and the secret from the regulator's own variable", () => {
    const parsed = parseOidcProviders({
      OIDC_PROVIDERS: JSON.stringify({
        coto,
        "demo-psychotherapy": { ...coto, claims: { registrationNumber: "licence" } },
      }),
      OIDC_COTO_CLIENT_SECRET: "s1",
      OIDC_DEMO_PSYCHOTHERAPY_CLIENT_SECRET: "s2",
    });
    if (!parsed.ok) throw new Error(parsed.errors.join("\n"));
    expect(parsed.value.get("coto")).toEqual({
      regulator: "coto",
      issuer: "https://portal.coto.example",
      clientId: "vignette",
      clientSecret: "s1",
      tokenAuth: "client_secret_basic",
      scopes: "openid email profile",
      claims: { name: "name", email: "email", registrationNumber: "registration_number" },
    });
    expect(parsed.value.get("demo-psychotherapy")?.claims.registrationNumber).toBe("licence");
    expect(clientSecretVariable("demo-psychotherapy")).toBe("OIDC_DEMO_PSYCHOTHERAPY_CLIENT_SECRET");
  });

  it("says which variable is wrong, and what to write", () => {
    const errors = (env: Record<string, string>) => {
      const parsed = parseOidcProviders(env);
      return parsed.ok ? [] : parsed.errors;
    };
    expect(errors({ OIDC_PROVIDERS: "{coto" })[0]).toMatch(/^OIDC_PROVIDERS: must be JSON/);
    expect(errors({ OIDC_PROVIDERS: JSON.stringify({ coto }) })).toEqual([
      'OIDC_COTO_CLIENT_SECRET: required for the portal of "coto" in OIDC_PROVIDERS (the client secret)',
    ]);
    // The secret has its own variable: the JSON, often kept in a config repository, may not hold it.
    expect(
      errors({
        OIDC_PROVIDERS: JSON.stringify({ coto: { ...coto, clientSecret: "x" } }),
        OIDC_COTO_CLIENT_SECRET: "s",
      })[0],
    ).toMatch(/^OIDC_PROVIDERS: \/coto: .*clientSecret/);
    expect(
      errors({
        OIDC_PROVIDERS: JSON.stringify({ coto: { ...coto, issuer: "http://portal.example" } }),
        OIDC_COTO_CLIENT_SECRET: "s",
      }),
    ).toEqual([
      "OIDC_PROVIDERS: /coto/issuer: issuer must start with https:// (plain http only for 127.0.0.1 or localhost)",
    ]);
    expect(
      errors({
        OIDC_PROVIDERS: JSON.stringify({ coto: { ...coto, scopes: "email profile" } }),
        OIDC_COTO_CLIENT_SECRET: "s",
      }),
    ).toEqual(['OIDC_PROVIDERS: /coto/scopes: scopes must include "openid"']);
  });

  it("allows plain http to a portal on this machine only", () => {
    const parsed = parseOidcProviders({
      OIDC_PROVIDERS: JSON.stringify({ coto: { ...coto, issuer: "http://127.0.0.1:4000" } }),
      OIDC_COTO_CLIENT_SECRET: "s",
    });
    expect(parsed.ok).toBe(true);
  });

  it("stops the start-up through parseEnv, naming the variable", () => {
    expect(() => parseEnv({ NODE_ENV: "test", OIDC_PROVIDERS: JSON.stringify({ coto }) })).toThrow(
      /Invalid environment:\n {2}OIDC_COTO_CLIENT_SECRET: required/,
    );
  });
});
