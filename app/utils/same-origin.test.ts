import { describe, expect, it } from "vitest";
import { addressedHost, isCrossSite, trustsProxy, type OriginHeaders } from "./same-origin";

const on = (headers: Partial<OriginHeaders>): OriginHeaders => ({
  origin: null,
  secFetchSite: null,
  host: "vignette.example",
  forwardedHost: null,
  ...headers,
});

describe("isCrossSite", () => {
  it("lets same-origin posts and header-less clients through", () => {
    expect(isCrossSite(on({ origin: "https://vignette.example", secFetchSite: "same-origin" }), false)).toBe(false);
    expect(isCrossSite(on({ secFetchSite: "none" }), false)).toBe(false);
    expect(isCrossSite(on({}), false)).toBe(false);
  });

  it("refuses what a browser marks as another site's", () => {
    expect(isCrossSite(on({ secFetchSite: "cross-site" }), false)).toBe(true);
    expect(isCrossSite(on({ secFetchSite: "same-site" }), false)).toBe(true);
    expect(isCrossSite(on({ origin: "null" }), false)).toBe(true);
    expect(isCrossSite(on({ origin: "not a url" }), false)).toBe(true);
    expect(isCrossSite(on({ origin: "https://evil.example" }), false)).toBe(true);
    expect(isCrossSite(on({ origin: "https://vignette.example:8443" }), false)).toBe(true);
  });

  it("compares with the proxy's X-Forwarded-Host only behind a trusted proxy", () => {
    const proxied = on({
      origin: "https://vignette.example",
      host: "127.0.0.1:3000",
      forwardedHost: "vignette.example",
    });
    expect(isCrossSite(proxied, true)).toBe(false);
    expect(isCrossSite(proxied, false)).toBe(true);
    // A forged X-Forwarded-Host without a trusted proxy changes nothing.
    const forged = on({ origin: "https://evil.example", forwardedHost: "evil.example" });
    expect(isCrossSite(forged, false)).toBe(true);
  });

  it("takes the first of several forwarded hosts", () => {
    expect(addressedHost(on({ forwardedHost: "vignette.example, internal:3000" }), true)).toBe("vignette.example");
    expect(addressedHost(on({ forwardedHost: "" }), true)).toBe("vignette.example");
  });
});

describe("trustsProxy", () => {
  it("reads TRUST_PROXY as Express does: any value but empty, 0 or false", () => {
    expect([undefined, "", "0", "false"].map((v) => trustsProxy({ TRUST_PROXY: v }))).toEqual([
      false,
      false,
      false,
      false,
    ]);
    expect(["1", "loopback", "10.0.0.0/8"].map((v) => trustsProxy({ TRUST_PROXY: v }))).toEqual([true, true, true]);
  });
});
