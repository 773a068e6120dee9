import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { FormAlert } from "~/components/field";
import { DiagnosticList } from "~/components/studio/diagnostics";
import { studioLinks } from "~/components/studio/links";
import { UploadPanel } from "~/components/studio/upload-panel";
import type { Diagnostic } from "~/engine";
import { localized } from "~/i18n";
import { useTranslation } from "~/i18n/react";
import type { PublishStatus } from "~/models/content.server";
import { listCatalogs, publishCatalogUpload, requireStudio } from "~/models/studio.server";
import { assertCsrf } from "~/utils/csrf.server";
import { formatDate } from "~/utils/format";
import { requestI18n } from "~/utils/i18n.server";
import { MAX_UPLOAD_MB, readUpload, refusedUploadInit, type UploadRead } from "~/utils/upload.server";

export const links = studioLinks;
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Vignette" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const session = await requireStudio(request);
  const { t, locale } = await requestI18n(request, session);
  const catalogs = await listCatalogs(session.scope);
  return {
    title: `${t("studio.catalogs.title")} · Vignette`,
    maxUploadMb: MAX_UPLOAD_MB,
    catalogs: catalogs.map((c) => ({
      id: c.id,
      regulator: c.regulator,
      title: localized(c.title, locale),
      versions: c.versions.map((v) => ({
        sequence: v.sequence,
        label: v.label,
        effective: v.effective,
        importedAt: formatDate(v.importedAt, locale),
      })),
    })),
  };
}

type Result = {
  error: Extract<UploadRead, { ok: false }>["error"] | "invalid" | "publish" | null;
  diagnostics: Diagnostic[];
  message?: string;
  published?: { id: string; version: number; status: PublishStatus };
};

export async function action({ request }: ActionFunctionArgs) {
  const session = await requireStudio(request);
  const upload = await readUpload(request);
  if (upload.form) assertCsrf(request, upload.form, session);
  if (!upload.ok) {
    return data<Result>({ error: upload.error, diagnostics: [] }, refusedUploadInit(upload.error));
  }
  const result = await publishCatalogUpload(upload.name, upload.text, session.user.id, session.scope);
  if (!result.ok) {
    return data<Result>(
      { error: result.message ? "publish" : "invalid", diagnostics: result.diagnostics, message: result.message },
      { status: 400 },
    );
  }
  return data<Result>({
    error: null,
    diagnostics: [],
    published: { id: result.id, version: result.version, status: result.status },
  });
}

export default function Catalogs() {
  const { t } = useTranslation();
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
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
      {result?.published ? (
        <p role="status" className="notice">
          ✓{" "}
          {t(`studio.catalogs.published.${result.published.status}`, {
            id: result.published.id,
            version: result.published.version,
          })}{" "}
          <Link to={`/studio/catalogs/${encodeURIComponent(result.published.id)}`}>{result.published.id}</Link>
        </p>
      ) : null}
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

      <UploadPanel
        id="catalog"
        heading={t("studio.catalogs.uploadHeading")}
        label={t("studio.catalogs.fileLabel")}
        hint={t("studio.catalogs.uploadHint", { size: d.maxUploadMb })}
        submit={t("studio.catalogs.uploadSubmit")}
      />
    </section>
  );
}
