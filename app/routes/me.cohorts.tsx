// The learner's cohorts (/me/cohorts): which educators see their work, since when, and a button to
// leave each. Leaving ends the membership: the educator sees nothing more of them (ADR 018). And
// the "Email me reminders of due dates" preference (models/reminder.server.ts, ADR 025).
import {
  data,
  type ActionFunctionArgs,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { CsrfField } from "~/components/csrf-field";
import { FormAlert } from "~/components/field";
import { RowAction } from "~/components/row-action";
import { parseForm } from "~/forms/parse";
import { useTranslation } from "~/i18n/react";
import { learnerCohorts, leaveCohort } from "~/models/cohort.server";
import { cohortClocks } from "~/models/regulator-brand.server";
import { dueDateRemindersOn, setDueDateReminders } from "~/models/reminder.server";
import { assertCsrf } from "~/utils/csrf.server";
import { readForm } from "~/utils/form.server";
import { formatDate } from "~/utils/format";
import { notFound } from "~/utils/http.server";
import { requestI18n } from "~/utils/i18n.server";
import { requireSession } from "~/utils/session.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: "/educator.css" }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Vignette" }];

const leaveSchema = z.object({ cohortId: z.string().min(1).max(64) });
// A checkbox: "on" when ticked, absent when not; anything else is a bad post.
const remindersSchema = z.object({ dueDateReminders: z.literal("on").optional() });

export async function loader({ request }: LoaderFunctionArgs) {
  const session = await requireSession(request);
  const { t, locale } = await requestI18n(request, session);
  const cohorts = await learnerCohorts(session.user.id);
  const clockOf = await cohortClocks(cohorts.map((c) => c.id));
  const joinedId = new URL(request.url).searchParams.get("joined");
  return {
    title: `${t("educator.mine.title")} · Vignette`,
    joinedName: cohorts.find((c) => c.id === joinedId)?.name ?? null,
    reminders: await dueDateRemindersOn(session.user.id),
    cohorts: cohorts.map((c) => ({
      id: c.id,
      name: c.name,
      educatorName: c.educatorName,
      joined: formatDate(c.joinedAt, locale, clockOf(c.id)),
    })),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const session = await requireSession(request);
  const form = await readForm(request);
  assertCsrf(request, form, session);
  const { t } = await requestI18n(request, session);
  if (form.get("intent") === "reminders") {
    const choice = parseForm(remindersSchema, form);
    if (!choice.data) return data({ ok: false, message: null, formError: t("educator.formErrors") }, { status: 400 });
    const on = choice.data.dueDateReminders === "on";
    await setDueDateReminders(session.user.id, on);
    return data({
      ok: true,
      message: t(on ? "educator.mine.remindersOn" : "educator.mine.remindersOff"),
      formError: null,
    });
  }
  const parsed = parseForm(leaveSchema, form);
  if (!parsed.data || form.get("intent") !== "leave")
    return data({ ok: false, message: null, formError: t("educator.formErrors") }, { status: 400 });
  const cohort = (await learnerCohorts(session.user.id)).find((c) => c.id === parsed.data.cohortId);
  // Not (or no longer) in it: nothing to leave, and nothing said about someone else's cohort.
  if (!cohort || !(await leaveCohort(session.user.id, cohort.id))) throw notFound();
  return data({ ok: true, message: t("educator.mine.left", { name: cohort.name }), formError: null });
}

export default function MyCohorts() {
  const { t } = useTranslation();
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  return (
    <section>
      <p className="breadcrumb">
        <Link to="/me/account">{t("auth.accountTitle")}</Link>
      </p>
      <h1>{t("educator.mine.title")}</h1>
      {a?.ok && a.message ? (
        <p role="status" className="notice">
          {a.message}
        </p>
      ) : d.joinedName ? (
        <p role="status" className="notice">
          {t("educator.mine.joinedNotice", { name: d.joinedName })}
        </p>
      ) : null}
      <FormAlert message={a?.ok === false ? a.formError : null} />
      <p>{t("educator.mine.intro")}</p>
      {d.cohorts.length === 0 ? (
        <p>{t("educator.mine.empty")}</p>
      ) : (
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">{t("educator.mine.cohort")}</th>
                <th scope="col">{t("educator.mine.educator")}</th>
                <th scope="col">{t("educator.mine.joined")}</th>
                <th scope="col">{t("educator.mine.actions")}</th>
              </tr>
            </thead>
            <tbody>
              {d.cohorts.map((c) => (
                <tr key={c.id}>
                  <th scope="row">{c.name}</th>
                  <td>{c.educatorName}</td>
                  <td>{c.joined}</td>
                  <RowAction
                    intent="leave"
                    fields={{ cohortId: c.id }}
                    label={t("educator.mine.leaveLabel", { name: c.name })}
                  >
                    {t("educator.mine.leave")}
                  </RowAction>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2 id="reminders">{t("educator.mine.remindersHeading")}</h2>
      <Form method="post" noValidate>
        <CsrfField />
        <input type="hidden" name="intent" value="reminders" />
        <p>
          <label>
            <input
              type="checkbox"
              name="dueDateReminders"
              defaultChecked={d.reminders}
              aria-describedby="reminders-hint"
            />{" "}
            {t("educator.mine.remindersLabel")}
          </label>
        </p>
        <p id="reminders-hint" className="hint">
          {t("educator.mine.remindersHint")}
        </p>
        <button type="submit" className="secondary">
          {t("educator.mine.remindersSave")}
        </button>
      </Form>
    </section>
  );
}
