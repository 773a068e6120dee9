import { describe, expect, it } from "vitest";
import { acceptedRequestId, logLevel, redactPath } from "./log.server";

describe("redactPath", () => {
  it("drops the query string and replaces invitation and certificate codes", () => {
    expect(redactPath("/cases?token=abc")).toBe("/cases");
    expect(redactPath("/invite/K7Q2ZX")).toBe("/invite/[code]");
    expect(redactPath("/invitations/RUmGjCj-s826az2HlRJkQZaQS60FN6zmSEosHBd_1-g")).toBe("/invitations/[code]");
    expect(redactPath("/certificates/K7Q2ZX?download=1")).toBe("/certificates/[code]");
    expect(redactPath("/certificates/K7Q2ZX/pdf")).toBe("/certificates/[code]/pdf");
    expect(redactPath("/certificates/K7Q2ZX.data")).toBe("/certificates/[code]");
    expect(redactPath("/admin/certificates")).toBe("/admin/certificates");
  });

  it("redacts what the router would match: escaped, upper-case or doubled slashes", () => {
    expect(redactPath("/%69nvite/K7Q2ZX")).toBe("/invite/[code]");
    expect(redactPath("/INVITE/K7Q2ZX")).toBe("/invite/[code]");
    expect(redactPath("//certificates//K7Q2ZX")).toBe("//certificates//[code]");
    expect(redactPath("/invite/%E0%A4%A")).toBe("/invite/[code]");
  });

  it("caps a very long path", () => {
    expect(redactPath(`/${"a".repeat(5000)}`).length).toBeLessThan(520);
  });
});

describe("acceptedRequestId", () => {
  it("keeps a short token and refuses anything that could forge or bloat a line", () => {
    expect(acceptedRequestId("lb-7f3a.92:1")).toBe("lb-7f3a.92:1");
    expect(acceptedRequestId(undefined)).toBeUndefined();
    expect(acceptedRequestId("")).toBeUndefined();
    expect(acceptedRequestId('a"}\n{"level":"error')).toBeUndefined();
    expect(acceptedRequestId("a b")).toBeUndefined();
    expect(acceptedRequestId("x".repeat(65))).toBeUndefined();
  });
});

describe("logLevel", () => {
  it("defaults to info, is silent in unit tests, and refuses a level pino does not know", () => {
    expect(logLevel({ NODE_ENV: "production" })).toBe("info");
    expect(logLevel({ NODE_ENV: "test" })).toBe("silent");
    expect(logLevel({ NODE_ENV: "production", LOG_LEVEL: "Debug" })).toBe("debug");
    expect(() => logLevel({ NODE_ENV: "production", LOG_LEVEL: "verbose" })).toThrow(/LOG_LEVEL must be one of/);
  });
});
