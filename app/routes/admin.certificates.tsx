import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { CsrfField } from "~/components/csrf-field";
import { Field, FormAlert, TextareaField } from "~/components/field";
import { i18nKey, localized } from "~/i18n";
import { useTranslation } from "~/i18n/react";
import { findCertificateForAdmin, reissueCertificate, revokeCertificate } from "~/models/completion.server";
import { regulatorTimeZone } from "~/models/regulator-brand.server";
import { certificateState } from "~/utils/certificate-status";
import { assertCsrf } from "~/utils/csrf.server";
import { readForm } from "~/utils/form.server";
import { formatDate } from "~/utils/format";
import { notFound } from "~/utils/http.server";
import { requestI18n } from "~/utils/i18n.server";
import { regulatorScope } from "~/utils/roles";
import { requireRole } from "~/utils/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Vignette" }];

const reason = z.string().trim().min(5, i18nKey("admin.reasonRequired")).max(1000, i18nKey("admin.reasonRequired"));
const revokeSchema = z.object({ code: z.string().trim().min(1), reason });
// A duplicate: why (lost, name corrected…), and whether to print the account's current name and number.
const reissueSchema = z.object({
  code: z.string().trim().min(1),
  reissueReason: reason,
  correct: z.literal("yes").optional(),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const session = await requireRole(request, "admin");
  const { t, locale } = await requestI18n(request, session);
  const code = new URL(request.url).searchParams.get("code")?.trim() ?? "";
  const certificate = code ? await findCertificateForAdmin(code, regulatorScope(session.user, "admin")) : null;
  const state = certificate ? certificateState(certificate) : null;
  // The certificate's dates on its regulator's clock.
  const timeZone = await regulatorTimeZone(certificate?.completion.regulator);
  return {
    title: `${t("admin.title")} · Vignette`,
    code,
    notFound: Boolean(code) && !certificate,
    certificate: certificate
      ? {
          code: certificate.code,
          learnerName: certificate.printed.learnerName,
          caseTitle: localized(certificate.caseTitle, locale),
          revoked: state?.status === "revoked" ? formatDate(state.revokedAt, locale, timeZone) : null,
          // Offered only when it would change what the duplicate prints.
          correction:
            certificate.current &&
            (certificate.current.learnerName !== certificate.printed.learnerName ||
              certificate.current.registrationNumber !== certificate.printed.registrationNumber)
              ? certificate.current
              : null,
          reissues: certificate.reissues.map((r) => ({
            number: r.number,
            on: formatDate(r.reissuedAt, locale, timeZone),
            learnerName: r.learnerName,
            registrationNumber: r.registrationNumber,
            reason: r.reason,
          })),
        }
      : null,
  };
}

type ActionData = {
  form: "revoke" | "reissue";
  ok: boolean;
  message: string | null;
  fieldError: ReturnType<typeof i18nKey> | null;
  reason: string;
};

export async function action({ request }: ActionFunctionArgs) {
  const session = await requireRole(request, "admin");
  const form = await readForm(request);
  assertCsrf(request, form, session);
  const { t } = await requestI18n(request, session);
  const fields = Object.fromEntries(form);
  if (form.get("intent") === "reissue") {
    const parsed = reissueSchema.safeParse(fields);
    if (!parsed.success) {
      return data<ActionData>(
        {
          form: "reissue",
          ok: false,
          message: null,
          fieldError: i18nKey("admin.reasonRequired"),
          reason: String(form.get("reissueReason") ?? ""),
        },
        { status: 400 },
      );
    }
    const result = await reissueCertificate(parsed.data.code, session.user.id, regulatorScope(session.user, "admin"), {
      reason: parsed.data.reissueReason,
      correct: parsed.data.correct === "yes",
    });
    if (!result.ok && result.code === "not-found") throw notFound();
    // Revoked: 409, the request was well formed but the certificate's state refuses it.
    return data<ActionData>(
      {
        form: "reissue",
        ok: result.ok,
        message: result.ok
          ? t("admin.reissuedDone", {
              number: result.value.number,
              name: result.value.learnerName,
              registrationNumber: result.value.registrationNumber,
            })
          : t("admin.reissueRevoked"),
        fieldError: null,
        reason: "",
      },
      { status: result.ok ? 200 : 409 },
    );
  }
  const parsed = revokeSchema.safeParse(fields);
  if (!parsed.success) {
    return data<ActionData>(
      {
        form: "revoke",
        ok: false,
        message: null,
        fieldError: i18nKey("admin.reasonRequired"),
        reason: String(form.get("reason") ?? ""),
      },
      { status: 400 },
    );
  }
  const result = await revokeCertificate(
    parsed.data.code,
    session.user.id,
    regulatorScope(session.user, "admin"),
    parsed.data.reason,
  );
  if (!result.ok && result.code === "not-found") throw notFound();
  return data<ActionData>({
    form: "revoke",
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
  const revokeData = actionData?.form === "revoke" ? actionData : undefined;
  const reissueData = actionData?.form === "reissue" ? actionData : undefined;
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
          {d.certificate.reissues.length > 0 ? (
            <>
              <h2>{t("admin.reissues")}</h2>
              <ul>
                {d.certificate.reissues.map((r) => (
                  <li key={r.number}>
                    {r.number}. {r.on} — {r.learnerName}, {r.registrationNumber} — {r.reason}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          {d.certificate.revoked ? (
            <p>{t("certificate.revokedOn", { date: d.certificate.revoked })}</p>
          ) : (
            <>
              <Form method="post">
                <CsrfField />
                <input type="hidden" name="code" value={d.certificate.code} />
                <TextareaField
                  name="reason"
                  label={t("admin.reason")}
                  required
                  minLength={5}
                  defaultValue={revokeData?.reason ?? ""}
                  error={revokeData?.fieldError ?? undefined}
                />
                <button type="submit">{t("admin.revoke")}</button>
              </Form>
              <h2>{t("admin.reissueHeading")}</h2>
              <p>{t("admin.reissueIntro")}</p>
              <Form method="post">
                <CsrfField />
                <input type="hidden" name="intent" value="reissue" />
                <input type="hidden" name="code" value={d.certificate.code} />
                <TextareaField
                  name="reissueReason"
                  label={t("admin.reissueReason")}
                  required
                  minLength={5}
                  defaultValue={reissueData?.reason ?? ""}
                  error={reissueData?.fieldError ?? undefined}
                />
                {d.certificate.correction ? (
                  <label className="radio-row">
                    <input type="checkbox" name="correct" value="yes" />{" "}
                    {t("admin.reissueCorrect", {
                      name: d.certificate.correction.learnerName,
                      number: d.certificate.correction.registrationNumber,
                    })}
                  </label>
                ) : null}
                <button type="submit">{t("admin.reissue")}</button>
              </Form>
            </>
          )}
        </div>
      ) : null}
    </section>
  );
}
