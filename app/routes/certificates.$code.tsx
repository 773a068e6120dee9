import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { localized } from "~/i18n";
import { useTranslation } from "~/i18n/react";
import { findCertificate } from "~/models/completion.server";
import { getRegulator, regulatorDisplayName } from "~/models/regulator.server";
import { regulatorCertificateText } from "~/utils/documents.server";
import { formatDate, formatHours, formatZonedDateTime } from "~/utils/format";
import { requestI18n } from "~/utils/i18n.server";
import { hasRole } from "~/utils/roles";
import { getCurrentSession } from "~/utils/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.title ?? "Vignette" },
  { name: "robots", content: "noindex" },
];

// Public on purpose: employers and regulators verify a certificate with its code alone. It shows
// only what the certificate itself carries: valid, or revoked and when. Why an admin revoked it
// is between the learner and the regulator, so only they (and admins) see the reason.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const session = await getCurrentSession(request);
  const { t, locale } = await requestI18n(request, session);
  const certificate = await findCertificate(params.code ?? "");
  if (!certificate) throw new Response(t("certificate.notFound"), { status: 404 });
  const c = certificate.completion;
  const isOwner = session?.user.id === c.userId;
  const mayReadReason = isOwner || (session !== null && hasRole(session.user, "admin"));
  const profile = await getRegulator(c.regulator);
  // The same words and clock as the PDF: the regulator's statement, signatory and contact, its zone named.
  const { timeZone, statement, signatory, contact } = regulatorCertificateText(profile, locale);
  return {
    title: `${t("certificate.title")} · Vignette`,
    code: certificate.code,
    isOwner,
    learnerName: c.learnerName,
    registrationNumber: c.registrationNumber,
    caseTitle: localized(certificate.caseTitle, locale),
    version: c.caseVersion,
    hours: formatHours(c.creditHours, locale),
    completedOn: formatZonedDateTime(c.completedAt, locale, timeZone),
    regulator: regulatorDisplayName(profile, c.regulator, locale),
    contact: contact ?? null,
    statement: statement ?? null,
    signatory: signatory ? [signatory.name, signatory.title].filter(Boolean).join(", ") : null,
    revoked: certificate.revokedAt
      ? {
          on: formatDate(certificate.revokedAt, locale, timeZone),
          reason: mayReadReason ? (certificate.revokedReason ?? "") : null,
        }
      : null,
  };
}

export default function CertificatePage() {
  const { t } = useTranslation();
  const c = useLoaderData<typeof loader>();
  return (
    <section>
      <h1>{t("certificate.title")}</h1>
      <p className={c.revoked ? "result result-fail" : "result result-pass"} role="status">
        <strong>
          {t("certificate.statusLine", { status: c.revoked ? t("certificate.revoked") : t("certificate.valid") })}
        </strong>
        {c.revoked ? ` — ${t("certificate.revokedOn", { date: c.revoked.on })}` : null}
      </p>
      <dl className="certificate">
        <dt>{t("certificate.learner")}</dt>
        <dd>{c.learnerName}</dd>
        <dt>{t("certificate.registrationNumber")}</dt>
        <dd>{c.registrationNumber}</dd>
        <dt>{t("certificate.case")}</dt>
        <dd>{c.caseTitle}</dd>
        <dt>{t("certificate.version")}</dt>
        <dd>{c.version}</dd>
        <dt>{t("certificate.creditHours")}</dt>
        <dd>{c.hours}</dd>
        <dt>{t("certificate.completedOn")}</dt>
        <dd>{c.completedOn}</dd>
        <dt>{t("certificate.regulator")}</dt>
        <dd>{c.regulator}</dd>
        {c.contact ? (
          <>
            <dt>{t("certificate.contact")}</dt>
            <dd>{c.contact}</dd>
          </>
        ) : null}
        <dt>{t("certificate.code")}</dt>
        <dd>
          <code>{c.code}</code>
        </dd>
        {c.revoked?.reason ? (
          <>
            <dt>{t("certificate.reason")}</dt>
            <dd>{c.revoked.reason}</dd>
          </>
        ) : null}
        {c.signatory ? (
          <>
            <dt>{t("certificate.signatory")}</dt>
            <dd>{c.signatory}</dd>
          </>
        ) : null}
      </dl>
      {c.statement ? <p className="certificate-statement">{c.statement}</p> : null}
      {c.isOwner ? (
        <p>
          <a href={`/certificates/${c.code}/pdf`} download>
            {t("debrief.downloadPdf")}
          </a>
        </p>
      ) : null}
    </section>
  );
}
