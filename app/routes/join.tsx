import {
  data,
  redirect,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { EmailField } from "~/components/auth-fields";
import { Field, FormAlert, SelectField } from "~/components/field";
import { joinSchema } from "~/forms/auth";
import { parseForm, type FieldErrors } from "~/forms/parse";
import { locales } from "~/i18n";
import { useTranslation } from "~/i18n/react";
import { findInvitation, invitationPath } from "~/models/cohort-invitation.server";
import { findCohortByInvite } from "~/models/cohort.server";
import { queueJoinVerification } from "~/models/email-change.server";
import { listRegulators, regulatorDisplayName } from "~/models/regulator.server";
import { reserveJoin } from "~/models/throttle.server";
import { createUser, findUserByEmail, hashPassword } from "~/models/user.server";
import { requestAddress, retryAfterHeaders } from "~/utils/auth.server";
import { assertSameOrigin } from "~/utils/csrf.server";
import { getEnv } from "~/utils/env.server";
import { readForm } from "~/utils/form.server";
import { requestI18n } from "~/utils/i18n.server";
import { accountRef, logEvent } from "~/utils/log.server";
import { getCurrentSession } from "~/utils/session.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: "/educator.css" }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Vignette" }];

// Lets the action's Retry-After reach the browser when an address has made too many sign-ups.
export const headers: HeadersFunction = retryAfterHeaders;

// A cohort's link (/invite/CODE) sends signed-out people here with ?invite=CODE, a mailed invitation
// (/invitations/TOKEN) with ?invitation=TOKEN. Either is carried through sign-up and sign-in back to
// its page, where the person reads what the educator will see and accepts or not: creating an
// account joins no cohort.
const inviteSchema = z.object({
  invite: z.string().trim().max(64).optional(),
  invitation: z.string().trim().max(64).optional(),
});

/** Where the new person goes after signing in: the page that asks them to accept. */
const answerPath = (invite: string | undefined, invitation: string | undefined) =>
  invitation ? invitationPath(invitation) : invite ? `/invite/${encodeURIComponent(invite)}` : null;

export async function loader({ request }: LoaderFunctionArgs) {
  const query = new URL(request.url).searchParams;
  const invite = query.get("invite")?.trim() ?? "";
  const invitationToken = query.get("invitation")?.trim() ?? "";
  if (await getCurrentSession(request)) throw redirect(answerPath(invite, invitationToken) ?? "/cases");
  const { t, locale } = await requestI18n(request);
  const cohort = invite ? await findCohortByInvite(invite) : null;
  const invitation = invitationToken ? await findInvitation(invitationToken) : null;
  const regulators = (await listRegulators()).map((r) => ({ id: r.id, name: regulatorDisplayName(r, r.id, locale) }));
  return {
    title: `${t("auth.joinTitle")} · Vignette`,
    locale,
    regulators,
    invite: cohort ? { code: invite, cohortName: cohort.name } : null,
    invalidInvite: (Boolean(invite) && !cohort) || (Boolean(invitationToken) && invitation?.status !== "pending"),
    // The holder of the link read it in their mail: the address and the cohort are theirs to see.
    invitation:
      invitation?.status === "pending"
        ? {
            token: invitationToken,
            cohortName: invitation.cohortName,
            educatorName: invitation.educatorName,
            email: invitation.email,
          }
        : null,
  };
}

export async function action({ request }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const form = await readForm(request);
  const { t } = await requestI18n(request);
  const parsed = parseForm(z.intersection(joinSchema(await listRegulators()), inviteSchema), form);
  if (!parsed.data) {
    return data(
      { formError: t("auth.formErrors"), fieldErrors: parsed.errors, values: parsed.values },
      { status: 400 },
    );
  }
  const { password: _password, invite, invitation, ...values } = parsed.data;
  // Counted before anything else, taken email or not, so the limit itself tells nothing either.
  const address = requestAddress(request);
  const waitMs = await reserveJoin(address, getEnv().JOIN_LIMIT_PER_HOUR);
  if (waitMs > 0) {
    const retryAfterSeconds = Math.ceil(waitMs / 1000);
    logEvent("auth.join_throttled", { ip: address, retryAfterSeconds });
    return data(
      {
        formError: t("auth.joinThrottled", { minutes: Math.ceil(retryAfterSeconds / 60) }),
        fieldErrors: {} as FieldErrors,
        values: { ...values, invite: invite ?? "", invitation: invitation ?? "" },
      },
      { status: 429, headers: { "Retry-After": String(retryAfterSeconds) } },
    );
  }
  // The same answer whether or not the email is registered (docs/decisions/012-login-throttling.md):
  // nobody is signed in here, and both branches hash the password, so the timing matches too. A
  // taken email creates nothing; its owner signs in as always. Nobody joins a cohort here: both
  // come back, signed in, to the invitation's page to accept it (or not).
  if (await findUserByEmail(parsed.data.email)) {
    await hashPassword(parsed.data.password);
    logEvent("auth.join_existing", { account: accountRef(parsed.data.email) });
  } else {
    // The address is used at once; a link to prove it goes there (ADR 024: unverified blocks nothing).
    await queueJoinVerification(await createUser(parsed.data));
  }
  const next = new URLSearchParams({ joined: "1", redirectTo: answerPath(invite, invitation) ?? "/cases" });
  return redirect(`/login?${next}`);
}

export default function Join() {
  const { t } = useTranslation();
  const { locale, invite, invitation, invalidInvite, regulators } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const errors: FieldErrors = actionData?.fieldErrors ?? {};
  const values: Record<string, string> = actionData?.values ?? {};
  return (
    <section className="narrow">
      <h1>{t("auth.joinTitle")}</h1>
      {invite ? (
        <p role="status" className="notice">
          {t("educator.invite.joinNotice", { name: invite.cohortName })}
        </p>
      ) : null}
      {invitation ? (
        <p role="status" className="notice">
          {t("educator.invite.invitedNotice", { name: invitation.cohortName, educator: invitation.educatorName })}
        </p>
      ) : null}
      {invalidInvite ? (
        <p role="status" className="notice">
          {t("educator.invite.invalid")}
        </p>
      ) : null}
      <FormAlert message={actionData?.formError} />
      <Form method="post" noValidate>
        {invite ? <input type="hidden" name="invite" value={invite.code} /> : null}
        {invitation ? <input type="hidden" name="invitation" value={invitation.token} /> : null}
        <Field
          name="name"
          autoComplete="name"
          required
          label={t("auth.name")}
          defaultValue={values.name}
          error={errors.name}
        />
        <EmailField defaultValue={values.email ?? invitation?.email} error={errors.email} />
        <Field
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={12}
          label={t("auth.password")}
          hint={t("auth.passwordHint")}
          error={errors.password}
        />
        <Field
          name="registrationNumber"
          required
          label={t("auth.registrationNumber")}
          defaultValue={values.registrationNumber}
          error={errors.registrationNumber}
        />
        <SelectField
          name="regulator"
          label={t("auth.regulator")}
          placeholder={t("auth.regulatorPlaceholder")}
          defaultValue={values.regulator}
          error={errors.regulator}
        >
          {regulators.map((r) => (
            <option key={r.id} value={r.id}>
              {r.name}
            </option>
          ))}
        </SelectField>
        <fieldset className="field">
          <legend>{t("auth.preferredLanguage")}</legend>
          {locales.map((l) => (
            <label key={l} className="radio">
              <input type="radio" name="locale" value={l} defaultChecked={(values.locale ?? locale) === l} />{" "}
              <span lang={l}>{t(`locales.${l}`)}</span>
            </label>
          ))}
        </fieldset>
        <button type="submit" disabled={busy}>
          {t("auth.submitJoin")}
        </button>
      </Form>
      <p>
        {invitation ? (
          <Link to={`/login?redirectTo=${encodeURIComponent(`/invitations/${invitation.token}`)}`}>
            {t("educator.invite.signInToAnswer")}
          </Link>
        ) : invite ? (
          <Link to={`/login?redirectTo=${encodeURIComponent(`/invite/${invite.code}`)}`}>
            {t("educator.invite.signIn")}
          </Link>
        ) : (
          <>
            {t("auth.haveAccount")} <Link to="/login">{t("nav.login")}</Link>
          </>
        )}
      </p>
      {invitation ? (
        <Form method="post" action={`/invitations/${invitation.token}`} className="inline-form">
          <input type="hidden" name="intent" value="decline" />
          <p>
            {t("educator.invite.declineSignedOut")}{" "}
            <button type="submit" className="secondary">
              {t("educator.invite.decline")}
            </button>
          </p>
        </Form>
      ) : null}
    </section>
  );
}
