// An educator's invitation link (the cohort's code, shared by the educator). Signed out: the join
// form, with the invitation carried through (or sign in and come back here). Signed in: what the
// educator will see of the learner's work, and a button to accept; nobody joins by opening the link.
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
import { findCohortByInvite, isMember, joinCohortByInvite } from "~/models/cohort.server";
import { assertCsrf } from "~/utils/csrf.server";
import { readForm } from "~/utils/form.server";
import { notFound } from "~/utils/http.server";
import { requestI18n } from "~/utils/i18n.server";
import { secretUrlMeta } from "~/utils/meta";
import { getCurrentSession, requireSession } from "~/utils/session.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: "/educator.css" }];

export const meta: MetaFunction<typeof loader> = ({ data }) => secretUrlMeta(data?.title);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const code = params.code ?? "";
  const cohort = await findCohortByInvite(code);
  if (!cohort) throw notFound();
  const session = await getCurrentSession(request);
  if (!session) throw redirect(`/join?invite=${encodeURIComponent(code)}`);
  const { t } = await requestI18n(request, session);
  return data(
    {
      title: `${t("educator.invite.title", { name: cohort.name })} · Vignette`,
      code,
      cohortName: cohort.name,
      educatorName: cohort.educatorName,
      alreadyMember: await isMember(cohort.id, session.user.id),
    },
    { headers: { "Cache-Control": "no-store" } },
  );
}

export async function action({ request, params }: ActionFunctionArgs) {
  const session = await requireSession(request);
  assertCsrf(request, await readForm(request), session);
  const result = await joinCohortByInvite(session.user.id, params.code ?? "");
  if (!result.ok) throw notFound();
  return redirect(`/me/cohorts?joined=${encodeURIComponent(result.value.cohortId)}`);
}

export default function Invite() {
  const { t } = useTranslation();
  const d = useLoaderData<typeof loader>();
  return (
    <section className="narrow">
      <h1>{t("educator.invite.title", { name: d.cohortName })}</h1>
      <p>{t("educator.invite.intro", { name: d.cohortName, educator: d.educatorName })}</p>
      {d.alreadyMember ? (
        <>
          <p role="status">{t("educator.invite.alreadyMember")}</p>
          <p>
            <Link to="/">{t("educator.invite.goHome")}</Link>
          </p>
        </>
      ) : (
        <>
          <ConsentText />
          <Form method="post">
            <CsrfField />
            <button type="submit">{t("educator.invite.accept")}</button>{" "}
            <Link to="/">{t("educator.invite.notNow")}</Link>
          </Form>
        </>
      )}
    </section>
  );
}
