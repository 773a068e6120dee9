// The link that proves an address (/verify-email?token=…), mailed after /join, by "send again", or
// to the new address of a change (app/models/email-change.server.ts, ADR 024). Opening it changes
// nothing (mail scanners fetch links): the page asks, and the button's post uses the link, once.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { CsrfField } from "~/components/csrf-field";
import { i18nKey } from "~/i18n";
import { useTranslation } from "~/i18n/react";
import { checkEmailToken, redeemEmailToken, type EmailTokenRefusal } from "~/models/email-change.server";
import { assertCsrf, assertSameOrigin } from "~/utils/csrf.server";
import { readForm } from "~/utils/form.server";
import { requestI18n } from "~/utils/i18n.server";
import { secretUrlMeta } from "~/utils/meta";
import { getCurrentSession } from "~/utils/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => secretUrlMeta(data?.title);

const PROBLEMS = {
  invalid: i18nKey("profile.verify.invalid"),
  expired: i18nKey("profile.verify.expired"),
  used: i18nKey("profile.verify.used"),
  taken: i18nKey("profile.verify.taken"),
  stale: i18nKey("profile.verify.stale"),
} as const;

/** Gone for good (410), or refused because of the account's state now (409). */
const statusOf = (code: EmailTokenRefusal) => (code === "taken" || code === "stale" ? 409 : 410);

export async function loader({ request }: LoaderFunctionArgs) {
  const query = new URL(request.url).searchParams;
  const session = await getCurrentSession(request);
  const { t } = await requestI18n(request, session);
  const done = query.get("done");
  const signedIn = session !== null;
  if (done === "verified" || done === "changed") {
    return data({ title: `${t("profile.verify.title")} · Vignette`, done, signedIn, problem: null, ask: null });
  }
  const token = query.get("token") ?? "";
  const check = await checkEmailToken(token);
  const change = check.ok && check.value.purpose === "change";
  return data(
    {
      title: `${t(change ? "profile.verify.changeTitle" : "profile.verify.title")} · Vignette`,
      done: null,
      signedIn,
      problem: check.ok ? null : PROBLEMS[check.code],
      ask: check.ok ? { token, change, masked: check.value.masked } : null,
    },
    { status: check.ok ? 200 : statusOf(check.code), headers: { "Cache-Control": "no-store" } },
  );
}

export async function action({ request }: ActionFunctionArgs) {
  const session = await getCurrentSession(request);
  const form = await readForm(request);
  if (session) assertCsrf(request, form, session);
  else assertSameOrigin(request);
  const token = String(form.get("token") ?? "");
  const used = await redeemEmailToken(token, session ? { sessionId: session.id, userId: session.user.id } : null);
  if (!used.ok) {
    return data({ problem: PROBLEMS[used.code] }, { status: statusOf(used.code) });
  }
  throw redirect(`/verify-email?done=${used.value.purpose === "change" ? "changed" : "verified"}`);
}

export default function VerifyEmail() {
  const { t } = useTranslation();
  const { ask, done, problem, signedIn } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const shownProblem = actionData?.problem ?? problem;
  const next = signedIn ? (
    <Link to="/me/account">{t("profile.verify.toAccount")}</Link>
  ) : (
    <Link to="/login">{t("profile.verify.toLogin")}</Link>
  );
  return (
    <section className="narrow">
      <h1>{t(ask?.change ? "profile.verify.changeTitle" : "profile.verify.title")}</h1>
      {done ? (
        <>
          <p role="status">{t(done === "changed" ? "profile.verify.changed" : "profile.verify.verified")}</p>
          <p>{next}</p>
        </>
      ) : shownProblem || !ask ? (
        <>
          <div role="alert" className="notice">
            <p>{t(shownProblem ?? "profile.verify.invalid")}</p>
          </div>
          <p>{next}</p>
        </>
      ) : (
        <>
          <p>{t(ask.change ? "profile.verify.introChange" : "profile.verify.intro", { masked: ask.masked })}</p>
          <Form method="post">
            {signedIn ? <CsrfField /> : null}
            <input type="hidden" name="token" value={ask.token} />
            <button type="submit">{t("profile.verify.submit")}</button>
          </Form>
        </>
      )}
    </section>
  );
}
