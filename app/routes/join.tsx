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
import { Field, FormAlert, SelectField } from "~/components/field";
import { joinSchema, parseForm, type FieldErrors } from "~/forms/auth";
import { locales } from "~/i18n";
import { useTranslation } from "~/i18n/react";
import { findCohortByInvite, joinCohortByInvite } from "~/models/cohort.server";
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

// An invitation link (/invite/CODE) sends signed-out people here with ?invite=CODE: the new
// account lands straight in the educator's cohort.
const inviteSchema = z.object({ invite: z.string().trim().max(64).optional() });

export async function loader({ request }: LoaderFunctionArgs) {
  const invite = new URL(request.url).searchParams.get("invite")?.trim() ?? "";
  if (await getCurrentSession(request)) throw redirect(invite ? `/invite/${encodeURIComponent(invite)}` : "/cases");
  const { t, locale } = await requestI18n(request);
  const cohort = invite ? await findCohortByInvite(invite) : null;
  const regulators = (await listRegulators()).map((r) => ({ id: r.id, name: regulatorDisplayName(r, r.id, locale) }));
  return {
    title: `${t("auth.joinTitle")} · Vignette`,
    locale,
    regulators,
    invite: cohort ? { code: invite, cohortName: cohort.name } : null,
    invalidInvite: Boolean(invite) && !cohort,
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
  const { password: _password, invite, ...values } = parsed.data;
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
        values: { ...values, invite: invite ?? "" },
      },
      { status: 429, headers: { "Retry-After": String(retryAfterSeconds) } },
    );
  }
  // The same answer whether or not the email is registered (docs/decisions/012-login-throttling.md):
  // nobody is signed in here, and both branches hash the password, so the timing matches too. A
  // taken email creates nothing and joins nothing; its owner signs in as always.
  const cohort = invite ? await findCohortByInvite(invite) : null;
  if (await findUserByEmail(parsed.data.email)) {
    await hashPassword(parsed.data.password);
    logEvent("auth.join_existing", { account: accountRef(parsed.data.email) });
  } else {
    const user = await createUser(parsed.data);
    // An invitation replaced since the form was shown still creates the account, without the cohort.
    if (invite && cohort) await joinCohortByInvite(user.id, invite);
  }
  const next = new URLSearchParams({ joined: "1", redirectTo: cohort ? "/" : "/cases" });
  return redirect(`/login?${next}`);
}

export default function Join() {
  const { t } = useTranslation();
  const { locale, invite, invalidInvite, regulators } = useLoaderData<typeof loader>();
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
      {invalidInvite ? (
        <p role="status" className="notice">
          {t("educator.invite.invalid")}
        </p>
      ) : null}
      <FormAlert message={actionData?.formError} />
      <Form method="post" noValidate>
        {invite ? <input type="hidden" name="invite" value={invite.code} /> : null}
        <Field
          name="name"
          autoComplete="name"
          required
          label={t("auth.name")}
          defaultValue={values.name}
          error={errors.name}
        />
        <Field
          name="email"
          type="email"
          autoComplete="email"
          required
          label={t("auth.email")}
          defaultValue={values.email}
          error={errors.email}
        />
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
        {invite ? (
          <Link to={`/login?redirectTo=${encodeURIComponent(`/invite/${invite.code}`)}`}>
            {t("educator.invite.signIn")}
          </Link>
        ) : (
          <>
            {t("auth.haveAccount")} <Link to="/login">{t("nav.login")}</Link>
          </>
        )}
      </p>
    </section>
  );
}
