import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { Field, FormAlert, TextareaField } from "~/components/field";
import { i18nKey, localized } from "~/i18n";
import { useTranslation } from "~/i18n/react";
import { findCertificate, revokeCertificate } from "~/models/completion.server";
import { CsrfField } from "~/root";
import { assertCsrf } from "~/utils/csrf.server";
import { readForm } from "~/utils/form.server";
import { formatDate } from "~/utils/format";
import { requestI18n } from "~/utils/i18n.server";
import { requireRole } from "~/utils/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Vignette" }];

const revokeSchema = z.object({
  code: z.string().trim().min(1),
  reason: z.string().trim().min(5, i18nKey("admin.reasonRequired")).max(1000, i18nKey("admin.reasonRequired")),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const session = await requireRole(request, "admin");
  const { t, locale } = await requestI18n(request, session);
  const code = new URL(request.url).searchParams.get("code")?.trim() ?? "";
  const certificate = code ? await findCertificate(code) : null;
  return {
    title: `${t("admin.title")} · Vignette`,
    code,
    notFound: Boolean(code) && !certificate,
    certificate: certificate
      ? {
          code: certificate.code,
          learnerName: certificate.completion.learnerName,
          caseTitle: localized(certificate.caseTitle, locale),
          revoked: certificate.revokedAt ? formatDate(certificate.revokedAt, locale) : null,
        }
      : null,
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const session = await requireRole(request, "admin");
  const form = await readForm(request);
  assertCsrf(request, form, session);
  const { t } = await requestI18n(request, session);
  const parsed = revokeSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) {
    return data(
      {
        ok: false,
        message: null,
        fieldError: i18nKey("admin.reasonRequired"),
        reason: String(form.get("reason") ?? ""),
      },
      { status: 400 },
    );
  }
  const result = await revokeCertificate(parsed.data.code, session.user.id, parsed.data.reason);
  if (!result.ok && result.reason === "not-found") throw new Response("Not found", { status: 404 });
  return data({
    ok: result.ok,
    message: result.ok ? t("admin.revokedDone") : t("admin.alreadyRevoked"),
    fieldError: null,
    reason: "",
  });
}

export default function AdminCertificates() {
  const { t } = useTranslation();
  const d = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <section>
      <h1>{t("admin.title")}</h1>
      <Form method="get" className="range-form">
        <Field name="code" label={t("admin.search")} defaultValue={d.code} />
        <button type="submit">{t("admin.find")}</button>
      </Form>
      {d.notFound ? <p role="status">{t("certificate.notFound")}</p> : null}
      <FormAlert message={actionData?.message} />
      {d.certificate ? (
        <div>
          <p>
            <Link to={`/certificates/${d.certificate.code}`}>{d.certificate.code}</Link> — {d.certificate.learnerName} —{" "}
            {d.certificate.caseTitle}
          </p>
          {d.certificate.revoked ? (
            <p>{t("certificate.revokedOn", { date: d.certificate.revoked })}</p>
          ) : (
            <Form method="post">
              <CsrfField />
              <input type="hidden" name="code" value={d.certificate.code} />
              <TextareaField
                name="reason"
                label={t("admin.reason")}
                required
                minLength={5}
                defaultValue={actionData?.reason ?? ""}
                error={actionData?.fieldError ?? undefined}
              />
              <button type="submit">{t("admin.revoke")}</button>
            </Form>
          )}
        </div>
      ) : null}
    </section>
  );
}
