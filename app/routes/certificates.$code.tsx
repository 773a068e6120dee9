import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { brandHandle } from "~/components/site-brand";
import { localized } from "~/i18n";
import { useTranslation } from "~/i18n/react";
import { findCertificate } from "~/models/completion.server";
import { pageBrand, regulatorBrand } from "~/models/regulator-brand.server";
import { getRegulator, getRegulatorLogo, regulatorDisplayName } from "~/models/regulator.server";
import { certificateState } from "~/utils/certificate-status";
import { regulatorCertificateText } from "~/utils/documents.server";
import { formatDate, formatHours, formatZonedDateTime } from "~/utils/format";
import { requestI18n } from "~/utils/i18n.server";
import { inScope, regulatorScope } from "~/utils/roles";
import { getCurrentSession } from "~/utils/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.title ?? "Vignette" },
  { name: "robots", content: "noindex" },
];

// The certificate's regulator brands the header (components/site-brand.tsx).
export const handle = brandHandle;

// Public on purpose: employers and regulators verify a certificate with its code alone. It shows
// only what the certificate itself carries: valid (and when a duplicate was issued, if one was),
// or revoked and when. Why an admin revoked it is between the learner and the regulator, so only
// they (and admins) see the reason.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const session = await getCurrentSession(request);
  const { t, locale } = await requestI18n(request, session);
  const certificate = await findCertificate(params.code ?? "");
  if (!certificate) throw new Response(t("certificate.notFound"), { status: 404 });
  const c = certificate.completion;
  const isOwner = session?.user.id === c.userId;
  // Why it was revoked: for its holder, and the admins of its regulator.
  const mayReadReason =
    isOwner || (session !== null && inScope(regulatorScope(session.user, "admin"), certificate.completion.regulator));
  const [profile, logo] = await Promise.all([getRegulator(c.regulator), getRegulatorLogo(c.regulator)]);
  const state = certificateState(certificate);
  const { printed } = certificate;
  const changed = printed.learnerName !== c.learnerName || printed.registrationNumber !== c.registrationNumber;
  // The same words and clock as the PDF: the regulator's statement, signatory and contact, its zone named.
  const { timeZone, statement, signatory, contact } = regulatorCertificateText(profile, locale);
  return {
    title: `${t("certificate.title")} · Vignette`,
    code: certificate.code,
    isOwner,
    // What the latest document says (a duplicate's correction), and what the first said if it differs.
    learnerName: printed.learnerName,
    registrationNumber: printed.registrationNumber,
    original: changed ? `${c.learnerName}, ${c.registrationNumber}` : null,
    caseTitle: localized(certificate.caseTitle, locale),
    version: c.caseVersion,
    hours: formatHours(c.creditHours, locale),
    completedOn: formatZonedDateTime(c.completedAt, locale, timeZone),
    regulator: regulatorDisplayName(profile, c.regulator, locale),
    brand: pageBrand(await regulatorBrand(c.regulator), locale),
    logo: logo ? { url: logo.url, width: logo.width, height: logo.height } : null,
    colour: profile?.colour ?? null,
    contact: contact ?? null,
    statement: statement ?? null,
    signatory: signatory ? [signatory.name, signatory.title].filter(Boolean).join(", ") : null,
    revoked:
      state.status === "revoked"
        ? { on: formatDate(state.revokedAt, locale, timeZone), reason: mayReadReason ? state.reason : null }
        : null,
    reissuedOn: state.status === "reissued" ? formatDate(state.reissuedAt, locale, timeZone) : null,
  };
}

export default function CertificatePage() {
  const { t } = useTranslation();
  const c = useLoaderData<typeof loader>();
  return (
    <section className="certificate-page">
      {/* The regulator's colour (#rrggbb, checked at import) as an accent bar: an SVG fill, because the
          CSP refuses inline styles, and a <style> made in the browser after a client-side navigation
          carries no usable nonce. */}
      {c.colour ? (
        <svg
          className="certificate-accent"
          aria-hidden="true"
          focusable="false"
          viewBox="0 0 100 4"
          preserveAspectRatio="none"
        >
          <rect width="100" height="4" fill={c.colour} />
        </svg>
      ) : null}
      <header className="certificate-brand">
        {c.logo ? <img src={c.logo.url} alt={c.regulator} width={c.logo.width} height={c.logo.height} /> : null}
        <h1>{t("certificate.title")}</h1>
      </header>
      <p className={c.revoked ? "result result-fail" : "result result-pass"} role="status">
        <strong>
          {t("certificate.statusLine", { status: c.revoked ? t("certificate.revoked") : t("certificate.valid") })}
        </strong>
        {c.revoked ? ` — ${t("certificate.revokedOn", { date: c.revoked.on })}` : null}
        {c.reissuedOn ? ` · ${t("certificate.reissuedOn", { date: c.reissuedOn })}` : null}
      </p>
      <dl className="certificate">
        <dt>{t("certificate.learner")}</dt>
        <dd>{c.learnerName}</dd>
        <dt>{t("certificate.registrationNumber")}</dt>
        <dd>{c.registrationNumber}</dd>
        {c.original ? (
          <>
            <dt>{t("certificate.originalName")}</dt>
            <dd>{c.original}</dd>
          </>
        ) : null}
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
