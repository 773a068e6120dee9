import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { decryptSecret } from "~/models/two-factor.server";
import { assertCsrf } from "~/utils/csrf.server";
import { readForm } from "~/utils/form.server";
import { logEvent } from "~/utils/log.server";
import { portalLogoutUrl } from "~/utils/oidc.server";
import { endSession, getCurrentSession } from "~/utils/session.server";

/**
 * Signs out: the session ends here first, whatever happens next. A sign-in that came through a
 * regulator's portal is then sent to the portal to end there too, when the portal offers that.
 */
export async function action({ request }: ActionFunctionArgs) {
  const session = await getCurrentSession(request);
  if (!session) return redirect("/");
  assertCsrf(request, await readForm(request), session);
  const { cookie, portal } = await endSession(request);
  const idToken = portal ? decryptSecret(portal.portalIdToken)?.plain : undefined;
  const portalUrl = portal && idToken ? await portalLogoutUrl(portal.portal, idToken, request) : null;
  if (portal)
    logEvent("auth.sso_signed_out", { userId: session.user.id, regulator: portal.portal, atPortal: !!portalUrl });
  return redirect(portalUrl ?? "/", { headers: { "Set-Cookie": cookie } });
}

export async function loader() {
  return redirect("/");
}
