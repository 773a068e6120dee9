import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { CsrfField } from "~/components/csrf-field";
import { FormAlert } from "~/components/field";
import { IntentButton } from "~/components/intent-button";
import { AuditLog } from "~/components/studio/audit-log";
import { studioLinks } from "~/components/studio/links";
import { PendingChanges } from "~/components/studio/pending-change";
import { StatusBadge } from "~/components/studio/status";
import { localized } from "~/i18n";
import { useTranslation } from "~/i18n/react";
import { decideFromForm, listPendingChanges, requestRetire } from "~/models/change-request.server";
import { regulatorTimeZone } from "~/models/regulator-brand.server";
import { auditView } from "~/models/studio-audit.server";
import { draftFromVersion, getStudioCase, isRetired, requireStudio, requireStudioRight } from "~/models/studio.server";
import { assertCsrf } from "~/utils/csrf.server";
import { readForm } from "~/utils/form.server";
import { formatDate, formatMonth, formatPercent } from "~/utils/format";
import { notFound } from "~/utils/http.server";
import { requestI18n } from "~/utils/i18n.server";
import { inScope } from "~/utils/roles";

export const links = studioLinks;
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Vignette" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const session = await requireStudio(request);
  const { t, locale } = await requestI18n(request, session);
  const found = await getStudioCase(params.slug ?? "", session.readScope);
  if (!found) throw notFound();
  const zone = await regulatorTimeZone(found.regulator);
  const title = localized(found.title, locale) || found.slug;
  return {
    title: `${title} · ${t("studio.title")} · Vignette`,
    caseTitle: title,
    slug: found.slug,
    regulator: found.regulator,
    retired: isRetired(found.versions),
    // A reviewer reads the case; only its regulator's authors get "edit" and "retire".
    mayEdit: inScope(session.scope, found.regulator),
    versions: found.versions.map((v) => ({
      version: v.version,
      status: v.status,
      release: formatMonth(v.release, locale),
      publishedAt: v.publishedAt ? formatDate(v.publishedAt, locale, zone) : null,
      passMark: formatPercent(v.passMark, locale),
      bestTotal: v.bestTotal,
      decisionCount: v.decisionCount,
      catalogs: v.catalogs.join(", "),
      hash: v.contentHash.slice(0, 12),
    })),
    drafts: found.drafts.map((d) => ({
      id: d.id,
      status: d.status,
      updatedBy: d.updatedBy,
      updatedAt: formatDate(d.updatedAt, locale, zone),
    })),
    audit: auditView(found.audit, locale, zone),
    changes: (await listPendingChanges(session.readScope, session.user.id, "case_retire"))
      .filter((c) => c.subject === found.slug)
      .map((c) => ({
        ...c,
        requestedAt: formatDate(c.requestedAt, locale, zone),
        mayDecide: c.mayDecide && inScope(session.reviewScope, c.regulator),
      })),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const session = await requireStudio(request);
  const form = await readForm(request);
  assertCsrf(request, form, session);
  const slug = params.slug ?? "";
  const intent = form.get("intent");
  // Editing and asking to retire are an author's; deciding on a request a reviewer's (403 otherwise).
  if (intent === "edit" || intent === "retire") requireStudioRight(session, "edit");
  if (intent === "approve-change") requireStudioRight(session, "review");
  if (intent === "edit") {
    const draft = await draftFromVersion(slug, Number(form.get("version")), session.user.id, session.scope);
    if (!draft?.ok) throw notFound();
    return redirect(`/studio/drafts/${draft.value.id}?saved=1`);
  }
  const here = `/studio/cases/${encodeURIComponent(slug)}`;
  if (intent === "retire") {
    if (form.get("confirm") !== "yes") return data({ error: "confirmRetire" as const }, { status: 400 });
    // Four eyes: the request waits for another person (models/change-request.server.ts).
    const result = await requestRetire(slug, session.user.id, session.scope);
    if (!result.ok && result.code === "not-found") throw notFound();
    if (!result.ok && result.code === "already-pending")
      return data({ error: "retirePending" as const }, { status: 409 });
    if (!result.ok) return data({ error: "alreadyRetired" as const }, { status: 409 });
    return redirect(`${here}?retireRequested=1`);
  }
  const decided = await decideFromForm(form, session.user.id, session.reviewScope);
  if (decided) {
    if (decided.ok) return redirect(`${here}?${decided.value.status === "approved" ? "retired" : "declined"}=1`);
    if (decided.code === "not-found") throw notFound();
    const status = decided.code === "own-request" ? 403 : decided.code === "note-required" ? 400 : 409;
    return data({ error: "change" as const, changeError: decided.code }, { status });
  }
  return data({ error: "unknown" as const }, { status: 400 });
}

export default function StudioCase() {
  const { t } = useTranslation();
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [search] = useSearchParams();
  const base = `/studio/cases/${encodeURIComponent(d.slug)}`;
  return (
    <section className="studio">
      <p className="breadcrumbs">
        <Link to="/studio">{t("studio.title")}</Link>
      </p>
      <h1>
        {d.caseTitle} <span className="heading-sub">· {d.slug}</span>
      </h1>
      <p className="facts-inline">
        <span>{t("studio.caseView.regulator", { regulator: d.regulator })}</span>
        {d.retired ? <StatusBadge status="retired" /> : null}
      </p>
      {search.has("approved") ? (
        <p role="status" className="notice">
          ✓ {t("studio.caseView.approvedNotice", { version: search.get("approved") })}
        </p>
      ) : null}
      {search.has("retired") ? (
        <p role="status" className="notice">
          ✓ {t("studio.caseView.retiredNotice")}
        </p>
      ) : null}
      {search.has("retireRequested") ? (
        <p role="status" className="notice">
          ✓ {t("studio.caseView.retireRequested")}
        </p>
      ) : null}
      {search.has("declined") ? (
        <p role="status" className="notice">
          ✓ {t("studio.changes.done.rejected")}
        </p>
      ) : null}
      <FormAlert
        message={
          !result?.error
            ? null
            : "changeError" in result
              ? t(`studio.changes.errors.${result.changeError}`, { message: "", version: "" })
              : t(`studio.caseView.errors.${result.error}`)
        }
      />
      <PendingChanges changes={d.changes} />

      <section aria-labelledby="versions-heading">
        <h2 id="versions-heading">{t("studio.caseView.versions")}</h2>
        <table className="studio-table">
          <thead>
            <tr>
              <th scope="col">{t("studio.caseView.version")}</th>
              <th scope="col">{t("studio.caseView.status")}</th>
              <th scope="col">{t("studio.caseView.details")}</th>
              <th scope="col">{t("studio.caseView.actions")}</th>
            </tr>
          </thead>
          <tbody>
            {d.versions.map((v) => (
              <tr key={v.version}>
                <th scope="row">{t("studio.list.versionShort", { version: v.version })}</th>
                <td>
                  <StatusBadge status={v.status} />
                  <span className="block muted">{t("studio.list.release", { month: v.release })}</span>
                  {v.publishedAt ? (
                    <span className="block muted">
                      {v.status === "scheduled"
                        ? t("studio.caseView.scheduledFor", { date: v.publishedAt })
                        : t("studio.caseView.publishedOn", { date: v.publishedAt })}
                    </span>
                  ) : null}
                </td>
                <td>
                  <span className="block">
                    {t("studio.caseView.figures", {
                      passMark: v.passMark,
                      best: v.bestTotal,
                      decisions: v.decisionCount,
                    })}
                  </span>
                  <span className="block muted">{t("studio.caseView.catalogs", { catalogs: v.catalogs })}</span>
                  <span className="block muted">
                    {t("studio.caseView.hash")} <code>{v.hash}</code>
                  </span>
                </td>
                <td>
                  <ul className="plain-list">
                    <li>
                      <Link to={`${base}/versions/${v.version}/preview`}>{t("studio.tabs.preview")}</Link>
                    </li>
                    <li>
                      <Link to={`${base}/versions/${v.version}/graph`}>{t("studio.tabs.graph")}</Link>
                    </li>
                    <li>
                      <Link to={`${base}/versions/${v.version}/translations`}>{t("studio.tabs.translations")}</Link>
                    </li>
                    <li>
                      <a href={`${base}/versions/${v.version}/source`} download>
                        {t("studio.caseView.download", { version: v.version })}
                      </a>
                    </li>
                    <li>
                      <a href={`${base}/versions/${v.version}/archive`} download>
                        {t("studio.caseView.downloadArchive", { version: v.version })}
                      </a>
                    </li>
                    {d.mayEdit ? (
                      <li>
                        <IntentButton intent="edit" fields={{ version: v.version }} className="button-secondary">
                          {t("studio.caseView.edit", { version: v.version })}
                        </IntentButton>
                      </li>
                    ) : null}
                  </ul>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section aria-labelledby="drafts-heading">
        <h2 id="drafts-heading">{t("studio.list.drafts")}</h2>
        {d.drafts.length === 0 ? (
          <p>{t("studio.caseView.noDrafts")}</p>
        ) : (
          <ul className="plain-list">
            {d.drafts.map((draft) => (
              <li key={draft.id}>
                <Link to={`/studio/drafts/${draft.id}`}>{t("studio.list.draftLink", { date: draft.updatedAt })}</Link>{" "}
                <StatusBadge status={draft.status} />{" "}
                <span className="muted">
                  {t("studio.list.lastEdited", { name: draft.updatedBy ?? "?", date: draft.updatedAt })}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>

      {!d.retired && d.mayEdit ? (
        <section aria-labelledby="retire-heading" className="panel danger-zone">
          <h2 id="retire-heading">{t("studio.caseView.retireHeading")}</h2>
          <p>{t("studio.caseView.retireHint")}</p>
          <Form method="post">
            <CsrfField />
            <input type="hidden" name="intent" value="retire" />
            <label className="radio-row">
              <input type="checkbox" name="confirm" value="yes" required />{" "}
              {t("studio.caseView.retireConfirm", { slug: d.slug })}
            </label>
            <button type="submit" className="button-danger">
              {t("studio.caseView.retire")}
            </button>
          </Form>
        </section>
      ) : null}

      <AuditLog entries={d.audit} />
    </section>
  );
}
