// /admin/regulators/<id>: a regulator's current profile as learners and certificates see it, its
// versions, and a new version waiting for a second admin with what it changes field by field, to
// approve or send back (models/change-request.server.ts, the same four eyes as catalogs).
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { FormAlert } from "~/components/field";
import { DiagnosticList } from "~/components/studio/diagnostics";
import { studioLinks } from "~/components/studio/links";
import { DecisionNotice, PendingChanges } from "~/components/studio/pending-change";
import type { Diagnostic } from "~/engine";
import { localized } from "~/i18n";
import { useTranslation } from "~/i18n/react";
import { adminScope } from "~/models/admin.server";
import { decideFromForm, listPendingChanges, pendingProfiles, PROFILE_CHANGES } from "~/models/change-request.server";
import { listProfilesInScope, listProfileVersions, profileChangeSummary } from "~/models/regulator-profile.server";
import { getRegulatorLogo } from "~/models/regulator.server";
import { onlyRegulator } from "~/models/studio.server";
import { assertCsrf } from "~/utils/csrf.server";
import { readForm } from "~/utils/form.server";
import { formatZonedDateTime } from "~/utils/format";
import { notFound } from "~/utils/http.server";
import { requestI18n } from "~/utils/i18n.server";
import { requireRole } from "~/utils/session.server";

export const links = studioLinks;
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Vignette" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const session = await requireRole(request, "admin");
  const { t, locale } = await requestI18n(request, session);
  const id = params.id ?? "";
  const scope = adminScope(session.user);
  const [current] = (await listProfilesInScope(scope)).filter((r) => r.id === id);
  if (!current) throw notFound(t);
  const { profile } = current;
  const zone = profile.timeZone;
  const logo = await getRegulatorLogo(id);
  const versions = await listProfileVersions(id);
  const changes = await listPendingChanges(onlyRegulator(id), session.user.id, "regulator_profile");
  const [waiting] = await pendingProfiles(scope, id);
  const summary = waiting?.checked ? await profileChangeSummary(waiting.checked) : null;
  const name = localized(profile.name, locale);
  const latest = versions[0];
  return {
    title: `${t("regulators.profileTitle", { name })} · Vignette`,
    id,
    name,
    current: latest
      ? {
          version: latest.sequence,
          date: formatZonedDateTime(latest.importedAt, locale, zone),
          by: latest.publishedBy,
        }
      : null,
    fields: {
      shortName: profile.shortName ? localized(profile.shortName, locale) : null,
      nameEn: profile.name.en,
      nameFr: profile.name.fr,
      timeZone: zone,
      colour: profile.colour ?? null,
      contact: [profile.contact?.email, profile.contact?.url].filter(Boolean).join(" · ") || null,
      registration: [
        profile.registration?.label ? localized(profile.registration.label, locale) : null,
        profile.registration?.pattern ? `/${profile.registration.pattern}/` : null,
      ]
        .filter(Boolean)
        .join(" · "),
      ce: profile.ce
        ? t("regulators.fields.ceValue", {
            hours: profile.ce.requiredHours,
            years: profile.ce.cycleYears,
            start: profile.ce.cycleStart,
          })
        : null,
      retention: t("regulators.fields.retentionValue", { years: profile.retentionYears }),
    },
    logo: logo ? { url: logo.url, width: logo.width, height: logo.height } : null,
    versions: versions.map((v) => ({
      sequence: v.sequence,
      date: formatZonedDateTime(v.importedAt, locale, zone),
      by: v.publishedBy,
    })),
    changes: changes.map((c) => ({ ...c, requestedAt: formatZonedDateTime(c.requestedAt, locale, zone) })),
    waiting: waiting ? { broken: !waiting.checked, summary } : null,
  };
}

type Answer = { change: string; message?: string; diagnostics: Diagnostic[] };

export async function action({ request, params }: ActionFunctionArgs) {
  const session = await requireRole(request, "admin");
  const form = await readForm(request);
  assertCsrf(request, form, session);
  const id = params.id ?? "";
  const decided = await decideFromForm(form, session.user.id, adminScope(session.user), PROFILE_CHANGES);
  if (!decided) return data<Answer>({ change: "not-found", diagnostics: [] }, { status: 400 });
  if (decided.ok) throw redirect(`/admin/regulators/${encodeURIComponent(id)}?decided=${decided.value.status}`);
  const status =
    decided.code === "not-found"
      ? 404
      : decided.code === "own-request"
        ? 403
        : decided.code === "note-required"
          ? 400
          : 409;
  return data<Answer>(
    {
      change: decided.code,
      message: decided.code === "failed" ? decided.message : undefined,
      diagnostics: decided.code === "failed" ? (decided.diagnostics ?? []) : [],
    },
    { status },
  );
}

export default function RegulatorProfilePage() {
  const { t } = useTranslation();
  const d = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const [search] = useSearchParams();
  const decided = search.get("decided");
  const row = (label: string, value: string | null) => (
    <>
      <dt>{label}</dt>
      <dd>{value ?? t("regulators.fields.none")}</dd>
    </>
  );
  return (
    <section>
      <p className="breadcrumbs">
        <Link to="/admin/regulators">{t("regulators.title")}</Link>
      </p>
      <h1>{t("regulators.profileTitle", { name: d.name })}</h1>
      {d.current ? (
        <p>
          {d.current.by
            ? t("regulators.current", { version: d.current.version, date: d.current.date, name: d.current.by })
            : t("regulators.currentCli", { version: d.current.version, date: d.current.date })}
        </p>
      ) : null}
      {search.get("requested") === "1" && !answer ? (
        <p role="status" className="notice">
          ✓ {t("regulators.upload.requested", { id: d.id })}
        </p>
      ) : null}
      <DecisionNotice decided={decided} />
      <FormAlert
        message={
          answer
            ? t(`studio.changes.errors.${answer.change as "failed"}`, { message: answer.message ?? "", version: "" })
            : null
        }
      />
      {answer && answer.diagnostics.length > 0 ? <DiagnosticList diagnostics={answer.diagnostics} /> : null}

      {d.waiting ? (
        <section aria-labelledby="waiting-heading" className="panel">
          <h2 id="waiting-heading">{t("regulators.pending.heading")}</h2>
          {d.waiting.broken || !d.waiting.summary ? (
            <p role="alert">{t("regulators.pending.broken")}</p>
          ) : (
            <>
              {d.waiting.summary.fields.length === 0 ? (
                <p>{t("regulators.pending.noFields")}</p>
              ) : (
                <table className="studio-table">
                  <caption className="visually-hidden">{t("regulators.pending.heading")}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t("regulators.pending.field")}</th>
                      <th scope="col">{t("regulators.pending.before")}</th>
                      <th scope="col">{t("regulators.pending.after")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {d.waiting.summary.fields.map((f) => (
                      <tr key={f.path}>
                        <th scope="row">
                          <code>{f.path}</code>
                        </th>
                        <td>{f.before ?? t("regulators.fields.none")}</td>
                        <td>{f.after ?? t("regulators.fields.none")}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
              <p>{t(`regulators.pending.logo.${d.waiting.summary.logo}`)}</p>
            </>
          )}
        </section>
      ) : null}
      <PendingChanges changes={d.changes} />

      <dl className="profile-facts">
        {row(t("regulators.fields.id"), d.id)}
        {row(t("regulators.fields.name"), `${d.fields.nameEn} / ${d.fields.nameFr}`)}
        {row(t("regulators.fields.shortName"), d.fields.shortName)}
        {row(t("regulators.fields.timeZone"), d.fields.timeZone)}
        <dt>{t("regulators.fields.logo")}</dt>
        <dd>
          {d.logo ? (
            <img
              src={d.logo.url}
              alt={t("regulators.logoAlt", { name: d.name })}
              width={d.logo.width}
              height={d.logo.height}
              className="profile-logo"
            />
          ) : (
            t("regulators.fields.none")
          )}
        </dd>
        <dt>{t("regulators.fields.colour")}</dt>
        <dd>
          {d.fields.colour ? (
            <>
              <span className="profile-swatch" aria-hidden="true" style={{ background: d.fields.colour }} />{" "}
              <code>{d.fields.colour}</code>
            </>
          ) : (
            t("regulators.fields.none")
          )}
        </dd>
        {row(t("regulators.fields.contact"), d.fields.contact)}
        {row(t("regulators.fields.registration"), d.fields.registration || null)}
        {row(t("regulators.fields.ce"), d.fields.ce)}
        {row(t("regulators.fields.retention"), d.fields.retention)}
      </dl>

      <section aria-labelledby="versions-heading">
        <h2 id="versions-heading">{t("regulators.versions")}</h2>
        <ul className="plain-list">
          {d.versions.map((v) => (
            <li key={v.sequence}>
              {t("regulators.versionShort", { version: v.sequence })} · {v.date}
              {v.by ? ` · ${v.by}` : ""} ·{" "}
              <a href={`/admin/regulators/${encodeURIComponent(d.id)}/versions/${v.sequence}/source`} download>
                {t("regulators.download")}
              </a>
            </li>
          ))}
        </ul>
      </section>
      <p>
        <Link to={`/admin/regulators/upload?regulator=${encodeURIComponent(d.id)}`} className="button">
          {t("regulators.upload.heading")}
        </Link>
      </p>
    </section>
  );
}
