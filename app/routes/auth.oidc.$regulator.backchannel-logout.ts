// /auth/oidc/<regulator>/backchannel-logout: where the regulator's registrant portal, server to
// server, says that a registrant signed out there (OpenID Connect Back-Channel Logout 1.0; ADR 019).
// The form's logout_token is checked (utils/oidc-logout-token.server.ts), used once, and every
// session of ours from that portal sign-in ends (models/portal-logout.server.ts). 200 with no body
// when done (also when nothing was signed in), 400 with an OAuth-style JSON error for a token we
// refuse, 502 when the portal's keys could not be fetched to check it; never a 500. There is no
// session and no form token here: the token's signature is what authenticates the request, and the
// same-origin rule lets this one path through (utils/same-origin.ts, crossSitePostAllowed).
import type { ActionFunctionArgs } from "@remix-run/node";
import { endPortalSignIns } from "~/models/portal-logout.server";
import { mediaType } from "~/utils/form.server";
import { logEvent } from "~/utils/log.server";
import { verifyLogoutToken, type LogoutTokenProblem } from "~/utils/oidc-logout-token.server";
import { oidcProvider } from "~/utils/oidc.server";

const NO_STORE = { "Cache-Control": "no-store" };

/** What the portal's logs get to read for each refusal (machine-facing, as OAuth error descriptions are). */
const descriptions: Record<LogoutTokenProblem | "replayed" | "missing" | "not-a-form", string> = {
  missing: "logout_token is required",
  "not-a-form": "the body must be application/x-www-form-urlencoded with a logout_token",
  malformed: "logout_token is not a signed JWT with the claims of a logout token",
  "bad-signature": "logout_token is not signed with one of the issuer's published keys",
  "wrong-issuer": "logout_token was not issued by this regulator's portal",
  "wrong-audience": "logout_token is not addressed to this client",
  stale: "logout_token is too old, expired, or issued in the future",
  "not-logout-token": "logout_token lacks the back-channel logout event or has another type",
  "has-nonce": "logout_token must not contain a nonce",
  "no-subject": "logout_token names neither a sid nor a sub",
  replayed: "logout_token was used already (jti)",
  unavailable: "the portal's keys could not be fetched to check logout_token",
};

function refuse(regulator: string, reason: keyof typeof descriptions): Response {
  logEvent("auth.sso_refused", { regulator, reason, step: "backchannel-logout" });
  const status = reason === "unavailable" ? 502 : 400;
  const error = reason === "unavailable" ? "temporarily_unavailable" : "invalid_request";
  return Response.json({ error, error_description: descriptions[reason] }, { status, headers: NO_STORE });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const provider = oidcProvider(params.regulator);
  if (!provider) return Response.json({ error: "not_found" }, { status: 404, headers: NO_STORE });
  const regulator = provider.regulator;
  if (request.method !== "POST") {
    return Response.json({ error: "invalid_request" }, { status: 405, headers: { ...NO_STORE, Allow: "POST" } });
  }
  if (mediaType(request) !== "application/x-www-form-urlencoded") return refuse(regulator, "not-a-form");
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    return refuse(regulator, "not-a-form");
  }
  const token = form.get("logout_token");
  if (typeof token !== "string" || token === "") return refuse(regulator, "missing");

  const verified = await verifyLogoutToken(provider, token);
  if (!verified.ok) return refuse(regulator, verified.code);
  const ended = await endPortalSignIns(regulator, verified.value);
  if (!ended.ok) return refuse(regulator, ended.code);
  const { sid, sub } = verified.value;
  logEvent("auth.sso_backchannel_logout", {
    regulator,
    by: sid && sub ? "sid+sub" : sid ? "sid" : "sub",
    userIds: ended.value.userIds,
    sessions: ended.value.sessions,
    pending: ended.value.pending,
  });
  return new Response(null, { status: 200, headers: NO_STORE });
}

export function loader() {
  return Response.json({ error: "invalid_request" }, { status: 405, headers: { ...NO_STORE, Allow: "POST" } });
}
