// /admin/regulators/upload: an admin proposes a new version of a regulator's profile (a JSON file,
// and its logo image when that changes); an operator may propose a new regulator. Nothing is
// published here: the change waits for a second admin (models/change-request.server.ts).
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { CsrfField } from "~/components/csrf-field";
import { Field, FormAlert } from "~/components/field";
import { DiagnosticList } from "~/components/studio/diagnostics";
import { studioLinks } from "~/components/studio/links";
import type { Diagnostic } from "~/engine";
import { localized } from "~/i18n";
import { useTranslation } from "~/i18n/react";
import { adminScope } from "~/models/admin.server";
import { requestProfileChange } from "~/models/change-request.server";
import { getRegulator } from "~/models/regulator.server";
import { assertCsrf } from "~/utils/csrf.server";
import { requestI18n } from "~/utils/i18n.server";
import { inScope } from "~/utils/roles";
import { requireRole } from "~/utils/session.server";
import { MAX_UPLOAD_MB, readUpload, refusedUploadInit, type UploadError } from "~/utils/upload.server";

export const links = studioLinks;
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Vignette" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const session = await requireRole(request, "admin");
  const { t, locale } = await requestI18n(request, session);
  const id = new URL(request.url).searchParams.get("regulator") ?? "";
  const profile = id && inScope(adminScope(session.user), id) ? await getRegulator(id) : null;
  return {
    title: `${t("regulators.upload.heading")} · Vignette`,
    maxUploadMb: MAX_UPLOAD_MB,
    regulator: profile ? { id: profile.id, name: localized(profile.name, locale) } : null,
    adding: !profile && adminScope(session.user).all,
  };
}

type Answer = {
  error: UploadError | "invalid" | "logo" | null;
  diagnostics: Diagnostic[];
  /** A request's code: unchanged, already-pending. */
  change?: string;
  version?: number;
};

export async function action({ request }: ActionFunctionArgs) {
  const session = await requireRole(request, "admin");
  const upload = await readUpload(request);
  if (upload.form) assertCsrf(request, upload.form, session);
  if (!upload.ok) return data<Answer>({ error: upload.error, diagnostics: [] }, refusedUploadInit(upload.error));
  const logoPart = upload.form.get("logo");
  // No file chosen arrives as an empty text field; any other text is not an image.
  if (typeof logoPart === "string" && logoPart !== "") {
    return data<Answer>({ error: "logo", diagnostics: [] }, { status: 400 });
  }
  const logo =
    logoPart && typeof logoPart !== "string" && logoPart.size > 0
      ? new Uint8Array(await logoPart.arrayBuffer())
      : undefined;
  const result = await requestProfileChange(
    { file: upload.name, text: upload.text, ...(logo ? { logo } : {}) },
    session.user.id,
    adminScope(session.user),
  );
  if (result.ok) {
    const id = (JSON.parse(upload.text) as { id: string }).id;
    throw redirect(`/admin/regulators/${encodeURIComponent(id)}?requested=1`);
  }
  if (result.code === "invalid") {
    return data<Answer>({ error: "invalid", diagnostics: result.diagnostics }, { status: 400 });
  }
  const version = result.code === "unchanged" ? result.version : undefined;
  return data<Answer>({ error: null, diagnostics: [], change: result.code, version }, { status: 409 });
}

export default function UploadProfile() {
  const { t } = useTranslation();
  const d = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const message = !answer
    ? null
    : answer.error === "invalid"
      ? t("regulators.upload.invalid")
      : answer.error === "logo"
        ? t("regulators.upload.logoNotImage")
        : answer.error
          ? t(`studio.upload.errors.${answer.error}`, { size: d.maxUploadMb })
          : answer.change
            ? t(`studio.changes.errors.${answer.change as "unchanged"}`, { version: answer.version ?? "", message: "" })
            : null;
  return (
    <section className="narrow">
      <p className="breadcrumbs">
        <Link to="/admin/regulators">{t("regulators.title")}</Link>
        {d.regulator ? (
          <>
            {" › "}
            <Link to={`/admin/regulators/${encodeURIComponent(d.regulator.id)}`}>{d.regulator.name}</Link>
          </>
        ) : null}
      </p>
      <h1>{d.adding ? t("regulators.upload.addHeading") : t("regulators.upload.heading")}</h1>
      <p>{d.adding ? t("regulators.upload.addHint") : t("regulators.upload.intro")}</p>
      <FormAlert message={message} />
      {answer?.diagnostics && answer.diagnostics.length > 0 ? (
        <DiagnosticList diagnostics={answer.diagnostics} />
      ) : null}
      <Form method="post" encType="multipart/form-data" className="upload-form">
        <CsrfField />
        <Field
          name="file"
          type="file"
          accept=".json,application/json"
          required
          label={t("regulators.upload.profileLabel")}
          hint={t("regulators.upload.profileHint", { size: d.maxUploadMb })}
        />
        <Field
          name="logo"
          type="file"
          accept="image/png,image/jpeg"
          label={t("regulators.upload.logoLabel")}
          hint={t("regulators.upload.logoHint")}
        />
        <button type="submit">{t("regulators.upload.submit")}</button>
      </Form>
    </section>
  );
}
