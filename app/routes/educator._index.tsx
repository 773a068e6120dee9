import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { CsrfField } from "~/components/csrf-field";
import { Field, FormAlert } from "~/components/field";
import { cohortName } from "~/forms/educator.server";
import { parseForm } from "~/forms/parse";
import { useTranslation } from "~/i18n/react";
import { createCohort, isOperator, listCohorts, runsCohorts } from "~/models/cohort.server";
import { cohortClocks } from "~/models/regulator-brand.server";
import { assertCsrf } from "~/utils/csrf.server";
import { readForm } from "~/utils/form.server";
import { formatDate } from "~/utils/format";
import { requestI18n } from "~/utils/i18n.server";
import { requireRole } from "~/utils/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Vignette" }];

const createCohortSchema = z.object({ name: cohortName });

export async function loader({ request }: LoaderFunctionArgs) {
  const session = await requireRole(request, "educator", "author", "admin");
  const { t, locale } = await requestI18n(request, session);
  const cohortsRun = runsCohorts(session.user);
  const cohorts = cohortsRun ? await listCohorts(session.user) : [];
  // Each cohort's dates on its regulator's clock.
  const clockOf = await cohortClocks(cohorts.map((c) => c.id));
  return {
    title: `${t("educator.cohorts.title")} · Vignette`,
    runsCohorts: cohortsRun,
    isOperator: isOperator(session.user),
    cohorts: cohorts.map((c) => ({
      id: c.id,
      name: c.name,
      educatorName: c.educatorName,
      memberCount: c.memberCount,
      assignmentCount: c.assignmentCount,
      created: formatDate(c.createdAt, locale, clockOf(c.id)),
    })),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const session = await requireRole(request, "educator", "admin");
  const form = await readForm(request);
  assertCsrf(request, form, session);
  const { t } = await requestI18n(request, session);
  const parsed = parseForm(createCohortSchema, form);
  if (!parsed.data)
    return data(
      { formError: t("educator.formErrors"), fieldErrors: parsed.errors, values: parsed.values },
      { status: 400 },
    );
  const cohort = await createCohort(session.user, parsed.data.name);
  return redirect(`/educator/cohorts/${cohort.id}`);
}

export default function EducatorHome() {
  const { t } = useTranslation();
  const d = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  if (!d.runsCohorts) {
    return (
      <section>
        <h1>{t("educator.title")}</h1>
        <p>{t("educator.cohorts.authorsOnly")}</p>
        <p>
          <Link to="/educator/modules">{t("educator.nav.modules")}</Link>
        </p>
      </section>
    );
  }
  return (
    <section>
      <h1>{t("educator.cohorts.title")}</h1>
      <p>{t("educator.cohorts.intro")}</p>
      {d.cohorts.length === 0 ? (
        <p>{t("educator.cohorts.empty")}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t("educator.cohorts.name")}</th>
              {d.isOperator ? <th scope="col">{t("educator.cohorts.educator")}</th> : null}
              <th scope="col" className="num">
                {t("educator.cohorts.learners")}
              </th>
              <th scope="col" className="num">
                {t("educator.cohorts.assignments")}
              </th>
              <th scope="col">{t("educator.cohorts.created")}</th>
            </tr>
          </thead>
          <tbody>
            {d.cohorts.map((c) => (
              <tr key={c.id}>
                <th scope="row">
                  <Link to={`/educator/cohorts/${c.id}`}>{c.name}</Link>
                </th>
                {d.isOperator ? <td>{c.educatorName}</td> : null}
                <td className="num">{c.memberCount}</td>
                <td className="num">{c.assignmentCount}</td>
                <td>{c.created}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2 id="create-cohort">{t("educator.cohorts.createTitle")}</h2>
      <FormAlert message={actionData?.formError} />
      <Form method="post" className="edu-form" aria-labelledby="create-cohort" noValidate>
        <CsrfField />
        <Field
          name="name"
          required
          maxLength={120}
          label={t("educator.cohorts.name")}
          defaultValue={actionData?.values?.name}
          error={actionData?.fieldErrors?.name}
        />
        <button type="submit">{t("educator.cohorts.createSubmit")}</button>
      </Form>
    </section>
  );
}
