// /auth/oidc/<regulator>: starts a sign-in at the regulator's registrant portal (OpenID Connect,
// authorization code + PKCE; docs/decisions/019-oidc-sign-in.md). A plain link from /login, so it
// works without JavaScript; it sets the state cookie and sends the browser to the portal.
import { data, redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { SsoError } from "~/components/sso-error";
import { requestI18n } from "~/utils/i18n.server";
import { logEvent } from "~/utils/log.server";
import { ssoAnswers } from "~/utils/oidc-answers";
import { beginAuthorization, oidcProvider } from "~/utils/oidc.server";
import { getCurrentSession, safeRedirect } from "~/utils/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.title ?? "Vignette" },
  { name: "robots", content: "noindex" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const redirectTo = safeRedirect(url.searchParams.get("redirectTo"), "/cases");
  const provider = oidcProvider(params.regulator);
  if (!provider) throw new Response("Not found", { status: 404 });
  if (await getCurrentSession(request)) throw redirect(redirectTo);
  const begun = await beginAuthorization(provider, request, redirectTo);
  if (begun.ok) {
    return redirect(begun.value.url, { headers: { "Set-Cookie": begun.value.cookie, "Cache-Control": "no-store" } });
  }
  logEvent("auth.sso_refused", { regulator: provider.regulator, reason: begun.code, step: "begin" });
  const { t } = await requestI18n(request);
  const answer = ssoAnswers[begun.code];
  return data(
    { title: `${t("sso.errorTitle")} · Vignette`, message: t(answer.message), retry: url.pathname + url.search },
    { status: answer.status, headers: { "Cache-Control": "no-store" } },
  );
}

export default function BeginPortalSignIn() {
  const { message, retry } = useLoaderData<typeof loader>();
  return <SsoError message={message} retry={retry} />;
}
