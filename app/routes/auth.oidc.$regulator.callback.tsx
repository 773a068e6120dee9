// /auth/oidc/<regulator>/callback: where the registrant portal sends the browser back. The answer
// is checked (state from our cookie, then the code exchanged with PKCE, the ID token's signature,
// issuer, audience and nonce by openid-client), the claims mapped, the account found, linked or
// created (models/oidc-identity.server.ts), and the person signed in as after a right password:
// staff with two-factor sign-in still give their code (afterPassword). Anything else is a page
// saying why, never a session (docs/decisions/019-oidc-sign-in.md).
import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { SsoError } from "~/components/sso-error";
import { signInWithPortal } from "~/models/oidc-identity.server";
import { getRegulator } from "~/models/regulator.server";
import { encryptSecret } from "~/models/two-factor.server";
import { requestI18n } from "~/utils/i18n.server";
import { logEvent } from "~/utils/log.server";
import { ssoAnswers, type SsoStopCode } from "~/utils/oidc-answers";
import { claimAt, mapClaims } from "~/utils/oidc-claims";
import { clearPendingAuthorization, completeAuthorization, oidcProvider } from "~/utils/oidc.server";
import { afterPassword } from "~/utils/pending-login.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.title ?? "Vignette" },
  // The URL carries a one-time code: no referrer to other sites, no search engine.
  { name: "referrer", content: "same-origin" },
  { name: "robots", content: "noindex" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const provider = oidcProvider(params.regulator);
  const profile = provider ? await getRegulator(provider.regulator) : null;
  if (!provider || !profile) throw new Response("Not found", { status: 404 });
  const { t, locale } = await requestI18n(request);
  const clear = await clearPendingAuthorization();
  const regulator = provider.regulator;

  /** The page saying why; `number` is what the portal sent, shown back when it is malformed. */
  const stop = (code: SsoStopCode, number = "") => {
    logEvent("auth.sso_refused", { regulator, reason: code, step: "callback" });
    const answer = ssoAnswers[code];
    const headers = new Headers({ "Cache-Control": "no-store" });
    headers.append("Set-Cookie", clear);
    return data(
      {
        title: `${t("sso.errorTitle")} · Vignette`,
        message: code === "registration-pattern" ? t("sso.errors.registration-pattern", { number }) : t(answer.message),
        retry: `/auth/oidc/${encodeURIComponent(regulator)}`,
      },
      { status: answer.status, headers },
    );
  };

  const completed = await completeAuthorization(provider, request);
  if (!completed.ok) return stop(completed.code);
  const mapped = mapClaims(completed.value.claims, provider.claims, profile);
  if (!mapped.ok) {
    const number = claimAt(completed.value.claims, provider.claims.registrationNumber);
    return stop(
      mapped.code,
      typeof number === "string" || typeof number === "number" ? String(number).slice(0, 60) : "",
    );
  }
  const signedIn = await signInWithPortal({
    regulatorId: regulator,
    issuer: completed.value.issuer,
    claims: mapped.value,
    locale,
  });
  if (!signedIn.ok) return stop(signedIn.code);
  logEvent("auth.sso_signed_in", { userId: signedIn.value.userId, regulator, created: signedIn.value.created });
  // A new session id, as on every sign-in (or the second step first, for staff who use it).
  // The portal and its ID token go with the session (encrypted), to sign out there too at /logout;
  // the portal's session id, for the portal to end ours (back-channel logout).
  const response = await afterPassword(signedIn.value.userId, completed.value.redirectTo, {
    portal: regulator,
    portalIdToken: encryptSecret(completed.value.idToken),
    portalSid: completed.value.sid,
  });
  response.headers.append("Set-Cookie", clear);
  return response;
}

export default function PortalCallback() {
  const { message, retry } = useLoaderData<typeof loader>();
  return <SsoError message={message} retry={retry} />;
}
