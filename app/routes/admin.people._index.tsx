// /admin/people: operators and regulator admins find accounts related to their regulators by email,
// name or registration number (models/admin.server.ts searchPeople). A GET form, paginated by links:
// it works without JavaScript.
import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { TableScroll } from "~/components/analytics/table-scroll";
import { Field } from "~/components/field";
import { grantLabel } from "~/components/grant-label";
import { peopleSearchSchema } from "~/forms/people";
import { isTranslationKey, localized } from "~/i18n";
import { useTranslation } from "~/i18n/react";
import { adminScope, searchPeople } from "~/models/admin.server";
import { listRegulators } from "~/models/regulator.server";
import { requestI18n } from "~/utils/i18n.server";
import { requireRole } from "~/utils/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Vignette" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const session = await requireRole(request, "admin");
  const { t, locale } = await requestI18n(request, session);
  const url = new URL(request.url);
  const parsed = peopleSearchSchema.safeParse(Object.fromEntries(url.searchParams));
  const q = parsed.success ? parsed.data.q : "";
  const after = parsed.success ? (parsed.data.after ?? null) : null;
  const names = new Map((await listRegulators()).map((r) => [r.id, localized(r.name, locale)]));
  const scope = adminScope(session.user);
  const page = parsed.success ? await searchPeople(session.user, q, after) : { people: [], next: null };
  const message = parsed.success ? null : parsed.error.issues[0]?.message;
  const body = {
    title: `${t("people.title")} · Vignette`,
    q: parsed.success ? q : (url.searchParams.get("q") ?? "").slice(0, 100),
    searchError: message && isTranslationKey(message) ? message : null,
    scope: scope.all
      ? t("people.scopeAll")
      : t("people.scopeSome", {
          regulators: [...scope.regulators].map((id) => names.get(id) ?? id).join(", "),
        }),
    paged: Boolean(after),
    next: page.next ? `?${new URLSearchParams({ ...(q ? { q } : {}), after: page.next })}` : null,
    first: q ? `?${new URLSearchParams({ q })}` : "?",
    people: page.people.map((p) => ({
      id: p.id,
      name: p.name,
      email: p.email,
      registrationNumber: p.registrationNumber,
      status: t(`people.status.${p.status}`),
      roles: p.grants.map((g) => grantLabel(t, g, names)),
    })),
  };
  return data(body, { status: parsed.success ? 200 : 400 });
}

export default function AdminPeople() {
  const { t } = useTranslation();
  const d = useLoaderData<typeof loader>();
  return (
    <section>
      <h1>{t("people.title")}</h1>
      <p>{t("people.intro")}</p>
      <p>{d.scope}</p>
      <Form method="get" className="range-form" role="search">
        <Field
          name="q"
          type="search"
          label={t("people.search")}
          hint={t("people.searchHint")}
          defaultValue={d.q}
          maxLength={100}
          error={d.searchError ?? undefined}
        />
        <button type="submit">{t("people.find")}</button>
      </Form>
      {d.people.length === 0 ? (
        <p role="status">{t("people.noResults")}</p>
      ) : (
        <TableScroll label={t("people.title")}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t("people.columns.name")}</th>
                <th scope="col">{t("people.columns.email")}</th>
                <th scope="col">{t("people.columns.registrationNumber")}</th>
                <th scope="col">{t("people.columns.roles")}</th>
                <th scope="col">{t("people.columns.status")}</th>
              </tr>
            </thead>
            <tbody>
              {d.people.map((p) => (
                <tr key={p.id}>
                  <td>
                    <Link to={`/admin/people/${p.id}`}>{p.name}</Link>
                  </td>
                  <td>{p.email}</td>
                  <td>{p.registrationNumber}</td>
                  <td>{p.roles.length > 0 ? p.roles.join("; ") : t("people.noRoles")}</td>
                  <td>{p.status}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <p>
        {d.paged ? <Link to={d.first}>{t("people.first")}</Link> : null}{" "}
        {d.next ? <Link to={d.next}>{t("people.next")}</Link> : null}
      </p>
    </section>
  );
}
