import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { FormAlert } from "~/components/field";
import { DiagnosticList } from "~/components/studio/diagnostics";
import { studioLinks } from "~/components/studio/links";
import { DecisionNotice, PendingChanges } from "~/components/studio/pending-change";
import { UploadPanel } from "~/components/studio/upload-panel";
import type { Diagnostic } from "~/engine";
import { localized } from "~/i18n";
import { useTranslation } from "~/i18n/react";
import { pendingCatalogImpacts } from "~/models/catalog-impact.server";
import { decideFromForm, listPendingChanges, requestCatalogPublish } from "~/models/change-request.server";
import { regulatorClocks } from "~/models/regulator-brand.server";
import { listCatalogs, requireStudio, requireStudioRight } from "~/models/studio.server";
import { assertCsrf } from "~/utils/csrf.server";
import { readForm } from "~/utils/form.server";
import { formatDate } from "~/utils/format";
import { requestI18n } from "~/utils/i18n.server";
import { inScope, isEmptyScope } from "~/utils/roles";
import { MAX_UPLOAD_MB, readUpload, refusedUploadInit, type UploadRead } from "~/utils/upload.server";

export const links = studioLinks;
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Vignette" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const session = await requireStudio(request);
  const { t, locale } = await requestI18n(request, session);
  const catalogs = await listCatalogs(session.readScope);
  const clock = await regulatorClocks();
  // What each waiting version would change, against today's cases: the asker sees it under the
  // upload's result, the second person beside the approve button.
  const impacts = await pendingCatalogImpacts(session.readScope);
  return {
    title: `${t("studio.catalogs.title")} · Vignette`,
    maxUploadMb: MAX_UPLOAD_MB,
    // A reviewer decides on waiting versions; only authors upload new ones.
    mayEdit: !isEmptyScope(session.scope),
    changes: (await listPendingChanges(session.readScope, session.user.id, "catalog_publish")).map((c) => ({
      ...c,
      mayDecide: c.mayDecide && inScope(session.reviewScope, c.regulator),
      requestedAt: formatDate(c.requestedAt, locale, clock(c.regulator)),
      impact: impacts.get(c.id) ?? null,
    })),
    catalogs: catalogs.map((c) => ({
      id: c.id,
      regulator: c.regulator,
      title: localized(c.title, locale),
      versions: c.versions.map((v) => ({
        sequence: v.sequence,
        label: v.label,
        effective: v.effective,
        importedAt: formatDate(v.importedAt, locale, clock(c.regulator)),
      })),
    })),
  };
}

type Result = {
  error: Extract<UploadRead, { ok: false }>["error"] | "invalid" | "publish" | null;
  diagnostics: Diagnostic[];
  message?: string;
  /** A change's code (already-pending, unchanged, own-request, note-required...). */
  change?: string;
  version?: number;
  requested?: string;
};

export async function action({ request }: ActionFunctionArgs) {
  const session = await requireStudio(request);
  // The approve / send back forms of a waiting version are plain forms; an upload is multipart.
  if (!request.headers.get("Content-Type")?.startsWith("multipart/form-data")) {
    const form = await readForm(request);
    assertCsrf(request, form, session);
    if (form.get("intent") === "approve-change") requireStudioRight(session, "review");
    const decided = await decideFromForm(form, session.user.id, session.reviewScope);
    if (!decided) return data<Result>({ error: "invalid", diagnostics: [] }, { status: 400 });
    if (decided.ok) return redirect(`/studio/catalogs?decided=${decided.value.status}`);
    const status = decided.code === "not-found" ? 404 : decided.code === "own-request" ? 403 : 409;
    return data<Result>(
      {
        error: decided.code === "failed" ? "publish" : null,
        change: decided.code,
        diagnostics: decided.code === "failed" ? (decided.diagnostics ?? []) : [],
        message: decided.code === "failed" ? decided.message : undefined,
      },
      { status: decided.code === "note-required" ? 400 : status },
    );
  }
  requireStudioRight(session, "edit");
  const upload = await readUpload(request);
  if (upload.form) assertCsrf(request, upload.form, session);
  if (!upload.ok) {
    return data<Result>({ error: upload.error, diagnostics: [] }, refusedUploadInit(upload.error));
  }
  // Four eyes: a valid, changed catalog waits for another person (models/change-request.server.ts).
  const result = await requestCatalogPublish(upload.name, upload.text, session.user.id, session.scope);
  if (!result.ok) {
    if (result.code === "invalid") {
      return data<Result>({ error: "invalid", diagnostics: result.diagnostics }, { status: 400 });
    }
    return data<Result>(
      { error: null, diagnostics: [], change: result.code, version: "version" in result ? result.version : undefined },
      { status: 409 },
    );
  }
  const id = JSON.parse(upload.text).id as string;
  return data<Result>({ error: null, diagnostics: [], requested: id });
}

export default function Catalogs() {
  const { t } = useTranslation();
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [search] = useSearchParams();
  const decided = search.get("decided");
  return (
    <section className="studio">
      <p className="breadcrumbs">
        <Link to="/studio">{t("studio.title")}</Link>
      </p>
      <h1>{t("studio.catalogs.title")}</h1>
      <p>{t("studio.catalogs.intro")}</p>
      <FormAlert
        message={
          !result?.error
            ? null
            : result.error === "invalid"
              ? t("studio.catalogs.invalid")
              : result.error === "publish"
                ? result.message
                : t(`studio.upload.errors.${result.error}`, { size: d.maxUploadMb })
        }
      />
      {result?.change ? (
        <FormAlert
          message={t(`studio.changes.errors.${result.change as "not-found"}`, {
            message: result.message ?? "",
            version: result.version ?? "",
          })}
        />
      ) : null}
      {result?.requested ? (
        <p role="status" className="notice">
          ✓ {t("studio.catalogs.requested", { id: result.requested })}
        </p>
      ) : null}
      <DecisionNotice decided={decided} />
      <PendingChanges changes={d.changes} />
      {result?.diagnostics && result.diagnostics.length > 0 ? (
        <DiagnosticList diagnostics={result.diagnostics} />
      ) : null}

      <table className="studio-table">
        <caption className="visually-hidden">{t("studio.catalogs.title")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("studio.catalogs.catalog")}</th>
            <th scope="col">{t("studio.catalogs.versions")}</th>
          </tr>
        </thead>
        <tbody>
          {d.catalogs.map((c) => (
            <tr key={c.id}>
              <th scope="row">
                <Link to={`/studio/catalogs/${encodeURIComponent(c.id)}`}>{c.title || c.id}</Link>
                <span className="block muted">
                  <code>{c.id}</code> · {c.regulator}
                </span>
              </th>
              <td>
                <ul className="plain-list">
                  {c.versions.map((v) => (
                    <li key={v.sequence}>
                      <Link to={`/studio/catalogs/${encodeURIComponent(c.id)}?version=${v.sequence}`}>
                        {t("studio.list.versionShort", { version: v.sequence })}
                      </Link>{" "}
                      · {t("studio.catalogs.label", { label: v.label, effective: v.effective })} · {v.importedAt} ·{" "}
                      <a href={`/studio/catalogs/${encodeURIComponent(c.id)}/versions/${v.sequence}/source`} download>
                        {t("studio.catalogs.download")}
                      </a>
                    </li>
                  ))}
                </ul>
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      {d.mayEdit ? (
        <UploadPanel
          id="catalog"
          heading={t("studio.catalogs.uploadHeading")}
          label={t("studio.catalogs.fileLabel")}
          hint={t("studio.catalogs.uploadHint", { size: d.maxUploadMb })}
          submit={t("studio.catalogs.uploadSubmit")}
        />
      ) : null}
    </section>
  );
}
