// A mailed invitation to a cohort (/invitations/<token>, from models/cohort-invitation.server.ts).
// Signed out and still open: the join form, carrying the invitation (sign in from there, or decline
// without an account). Signed in: what joining means, then accept or decline. Only the account with
// the invited address may accept; the educator learns nothing until someone does.
import {
  data,
  redirect,
  type ActionFunctionArgs,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { ConsentText } from "~/components/cohort-consent";
import { CsrfField } from "~/components/csrf-field";
import { useTranslation } from "~/i18n/react";
import { acceptInvitation, declineInvitation, findInvitation } from "~/models/cohort-invitation.server";
import { isMember } from "~/models/cohort.server";
import { cohortClocks } from "~/models/regulator-brand.server";
import { assertCsrf, assertSameOrigin } from "~/utils/csrf.server";
import { readForm } from "~/utils/form.server";
import { formatDate } from "~/utils/format";
import { notFound } from "~/utils/http.server";
import { requestI18n } from "~/utils/i18n.server";
import { logEvent } from "~/utils/log.server";
import { secretUrlMeta } from "~/utils/meta";
import { getCurrentSession, requireSession } from "~/utils/session.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: "/educator.css" }];

export const meta: MetaFunction<typeof loader> = ({ data }) => secretUrlMeta(data?.title);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const token = params.token ?? "";
  const invitation = await findInvitation(token);
  if (!invitation) throw notFound();
  const session = await getCurrentSession(request);
  if (!session && invitation.status === "pending") throw redirect(`/join?invitation=${encodeURIComponent(token)}`);
  const { t, locale } = await requestI18n(request, session);
  const mine = session ? session.user.email.toLowerCase() === invitation.email : false;
  return data(
    {
      title: `${t("educator.invite.title", { name: invitation.cohortName })} · Vignette`,
      token,
      signedIn: Boolean(session),
      cohortName: invitation.cohortName,
      educatorName: invitation.educatorName,
      status: invitation.status,
      validUntil: formatDate(
        invitation.expiresAt,
        locale,
        (await cohortClocks([invitation.cohortId]))(invitation.cohortId),
      ),
      // The address is shown only to a signed-in person whom it does not match (to say why not).
      wrongAccount: session && !mine ? { email: invitation.email, current: session.user.email } : null,
      member: session && mine ? await isMember(invitation.cohortId, session.user.id) : false,
    },
    { headers: { "Cache-Control": "no-store" } },
  );
}

export async function action({ request, params }: ActionFunctionArgs) {
  const token = params.token ?? "";
  const form = await readForm(request);
  const intent = form.get("intent");
  if (intent === "decline") {
    // Declining needs no account (the join page offers it): the same-origin check guards it then.
    const session = await getCurrentSession(request);
    if (session) assertCsrf(request, form, session);
    else assertSameOrigin(request);
    const result = await declineInvitation(token);
    if (!result.ok && result.code === "invalid") throw notFound();
    return redirect(`/invitations/${encodeURIComponent(token)}`);
  }
  if (intent !== "accept") return data({ error: "unknown intent" }, { status: 400 });
  const session = await requireSession(request);
  assertCsrf(request, form, session);
  const result = await acceptInvitation(session.user, token);
  if (result.ok) return redirect(`/me/cohorts?joined=${encodeURIComponent(result.value.cohortId)}`);
  if (result.code === "invalid") throw notFound();
  if (result.code === "wrong-account") logEvent("cohort.invitation_refused", { userId: session.user.id });
  // Expired, answered or another account's: the page says which.
  return redirect(`/invitations/${encodeURIComponent(token)}`);
}

export default function Invitation() {
  const { t } = useTranslation();
  const d = useLoaderData<typeof loader>();
  const open = d.status === "pending" || d.status === "declined";
  return (
    <section className="narrow">
      <h1>{t("educator.invite.title", { name: d.cohortName })}</h1>
      <p>{t("educator.invite.intro", { name: d.cohortName, educator: d.educatorName })}</p>
      {d.status === "expired" ? <p role="status">{t("educator.invite.expired")}</p> : null}
      {d.status === "declined" ? (
        <p role="status">
          {d.signedIn ? t("educator.invite.declined", { date: d.validUntil }) : t("educator.invite.declinedFinal")}
        </p>
      ) : null}
      {d.status === "accepted" ? (
        <>
          <p role="status">{d.member ? t("educator.invite.alreadyMember") : t("educator.invite.accepted")}</p>
          {d.signedIn ? (
            <p>
              <Link to="/me/cohorts">{t("educator.mine.title")}</Link>
            </p>
          ) : null}
        </>
      ) : null}
      {open && d.signedIn ? (
        <>
          <ConsentText />
          {d.status === "pending" ? <p>{t("educator.invite.validUntil", { date: d.validUntil })}</p> : null}
          {d.wrongAccount ? (
            <p role="alert" className="notice">
              {t("educator.invite.wrongAccount", d.wrongAccount)}
            </p>
          ) : (
            <Form method="post" className="inline-form">
              <CsrfField />
              <input type="hidden" name="intent" value="accept" />
              <button type="submit">{t("educator.invite.accept")}</button>
            </Form>
          )}
          {d.status === "pending" ? (
            <Form method="post" className="inline-form">
              <CsrfField />
              <input type="hidden" name="intent" value="decline" />
              <button type="submit" className="secondary">
                {t("educator.invite.decline")}
              </button>
            </Form>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
