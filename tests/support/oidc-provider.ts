// A regulator's registrant portal for tests (ADR 019): a real OpenID Connect provider (oidc-provider,
// with its development login page that takes any password) on 127.0.0.1, in the test process. It
// listens before the app starts, so that the app can be told its issuer (env()); its client is
// registered once the app's own address, the redirect URI, is known (attach()).
import http from "node:http";
import type { AddressInfo } from "node:net";
import Provider from "oidc-provider";

export const PORTAL_CLIENT_ID = "vignette";
export const PORTAL_CLIENT_SECRET = "portal-client-secret-for-tests-0123456789";
export const PORTAL_LABEL = {
  en: "Sign in with the COTO registrant portal",
  fr: "Se connecter avec le portail des membres de l'OEO",
};

export type Portal = {
  issuer: string;
  /** The portal's registrants by subject: the claims it releases about each. */
  registrants: Map<string, Record<string, unknown>>;
  /** OIDC_PROVIDERS and the client secret that configure the app with this portal for `regulator`. */
  env: () => Record<string, string>;
  /** Registers the app at `appUrl` as the portal's client and starts answering as the provider. */
  attach: (appUrl: string) => void;
  /** Answers with `listener` instead of the provider (for "the portal is down"); null goes back to the provider. */
  answerWith: (listener: http.RequestListener | null) => void;
  stop: () => Promise<void>;
};

export async function startPortal(regulator = "coto"): Promise<Portal> {
  const registrants = new Map<string, Record<string, unknown>>();
  // Until attach(), the portal's port answers 503, as a portal not ready would.
  let providerHandler: http.RequestListener = (_req, res) => res.writeHead(503).end();
  let override: http.RequestListener | null = null;
  const server = http.createServer((req, res) => (override ?? providerHandler)(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    issuer,
    registrants,
    env: () => ({
      OIDC_PROVIDERS: JSON.stringify({
        [regulator]: {
          issuer,
          clientId: PORTAL_CLIENT_ID,
          scopes: "openid email profile registration",
          label: PORTAL_LABEL,
        },
      }),
      [`OIDC_${regulator.toUpperCase().replace(/-/g, "_")}_CLIENT_SECRET`]: PORTAL_CLIENT_SECRET,
    }),
    attach: (appUrl) => {
      const provider = new Provider(issuer, {
        clients: [
          {
            client_id: PORTAL_CLIENT_ID,
            client_secret: PORTAL_CLIENT_SECRET,
            redirect_uris: [`${appUrl}/auth/oidc/${regulator}/callback`],
            grant_types: ["authorization_code"],
            response_types: ["code"],
          },
        ],
        claims: {
          openid: ["sub"],
          email: ["email", "email_verified"],
          profile: ["name"],
          registration: ["registration_number"],
        },
        scopes: ["openid", "email", "profile", "registration"],
        cookies: { keys: ["portal-cookie-key-for-tests-0123456789"] },
        findAccount: (_ctx, sub) => ({ accountId: sub, claims: () => ({ sub, ...registrants.get(sub) }) }),
        // A first-party portal: the registrant is not asked to consent to sharing with their regulator's CE site.
        loadExistingGrant: async (ctx) => {
          const grant = new ctx.oidc.provider.Grant({
            clientId: ctx.oidc.client!.clientId,
            accountId: ctx.oidc.session!.accountId!,
          });
          grant.addOIDCScope("openid email profile registration");
          await grant.save();
          return grant;
        },
      });
      const callback = provider.callback();
      providerHandler = (req, res) => void callback(req, res);
    },
    answerWith: (listener) => {
      override = listener;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
