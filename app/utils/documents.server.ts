// Certificates and transcripts as files (PDF, CSV), with their words from the i18n catalogs.
import type { RegulatorProfile } from "~/engine";
import { getI18n, localized, type Locale } from "~/i18n";
import type { findCertificate, listCompletions } from "~/models/completion.server";
import { creditedHours } from "~/models/completion.server";
import { getRegulator, getRegulatorLogo, regulatorDisplayName } from "~/models/regulator.server";
import { certificateState } from "./certificate-status";
import { toCsv } from "./csv.server";
import { getEnv } from "./env.server";
import { certificatePdf, transcriptPdf } from "./pdf.server";

/** Where certificates are verified: PUBLIC_URL when set, else the origin the request came to. */
export function verificationUrl(request: Request, code: string): string {
  const origin = getEnv().PUBLIC_URL ?? new URL(request.url).origin;
  return new URL(`/certificates/${code}`, origin).toString();
}

/** A transcript file asked for with dates that make no range: said in the learner's language. */
export function invalidRangeResponse(locale: Locale): Response {
  return new Response(getI18n(locale).t("transcript.invalidRange"), {
    status: 400,
    headers: { "Content-Type": "text/plain; charset=utf-8" },
  });
}

type Certificate = NonNullable<Awaited<ReturnType<typeof findCertificate>>>;
type Completions = Awaited<ReturnType<typeof listCompletions>>;

/** The regulator's name in the locale, from its profile; its id when it has none (old data). */
export async function regulatorName(id: string, locale: Locale): Promise<string> {
  return regulatorDisplayName(await getRegulator(id), id, locale);
}

/** The names of the regulators of these rows, by id. */
export async function regulatorNames(ids: Iterable<string>, locale: Locale): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  return new Map(await Promise.all(unique.map(async (id) => [id, await regulatorName(id, locale)] as const)));
}

/**
 * What a regulator's profile adds to its certificates, in the locale (English when the profile lacks
 * that language): its clock, statement, signatory and contact. Empty for a regulator without a profile.
 */
export function regulatorCertificateText(
  profile: RegulatorProfile | null,
  locale: Locale,
): { timeZone?: string; statement?: string; signatory?: { name: string; title?: string }; contact?: string } {
  if (!profile) return {};
  const inLocale = (text: Partial<Record<Locale, string>> | undefined) =>
    text ? (text[locale] ?? text.en) : undefined;
  const { statement, signatory } = profile.certificate ?? {};
  const contact = [profile.contact?.email, profile.contact?.url].filter(Boolean).join(" · ");
  return {
    timeZone: profile.timeZone,
    statement: inLocale(statement),
    signatory: signatory && { name: signatory.name, title: inLocale(signatory.title) },
    contact: contact || undefined,
  };
}

export async function certificatePdfFor(
  request: Request,
  certificate: Certificate,
  locale: Locale,
): Promise<Uint8Array> {
  const t = getI18n(locale).t;
  const c = certificate.completion;
  const [profile, logo] = await Promise.all([getRegulator(c.regulator), getRegulatorLogo(c.regulator)]);
  return certificatePdf({
    locale,
    labels: {
      heading: t("certificate.heading"),
      learner: t("certificate.learner"),
      registrationNumber: t("certificate.registrationNumber"),
      case: t("certificate.case"),
      version: t("certificate.version"),
      creditHours: t("certificate.creditHours"),
      completedOn: t("certificate.completedOn"),
      regulator: t("certificate.regulator"),
      status: t("certificate.status"),
      valid: t("certificate.valid"),
      revoked: t("certificate.revoked"),
      duplicate: t("certificate.duplicate"),
      reissuedOn: t("certificate.reissuedOnPdf"),
      verifyAt: t("certificate.verifyAt"),
      code: t("certificate.code"),
      contact: t("certificate.contact"),
      signatory: t("certificate.signatory"),
    },
    // A duplicate carries the name and number it was reissued with (a correction, or as before).
    learnerName: certificate.printed.learnerName,
    registrationNumber: certificate.printed.registrationNumber,
    caseTitle: localized(certificate.caseTitle, locale),
    caseVersion: c.caseVersion,
    creditHours: c.creditHours,
    completedAt: c.completedAt,
    regulator: regulatorDisplayName(profile, c.regulator, locale),
    ...regulatorCertificateText(profile, locale),
    ...(logo && { logo }),
    ...(profile?.colour && { accent: profile.colour }),
    status: certificateState(certificate),
    verificationUrl: verificationUrl(request, certificate.code),
    code: certificate.code,
  });
}

export function transcriptPdfFor(
  learner: { name: string; registrationNumber: string },
  completions: Completions,
  range: { from: Date; to: Date },
  locale: Locale,
  now = new Date(),
): Promise<Uint8Array> {
  const t = getI18n(locale).t;
  return transcriptPdf({
    locale,
    labels: {
      heading: t("transcript.title"),
      learner: t("certificate.learner"),
      registrationNumber: t("certificate.registrationNumber"),
      period: t("transcript.period"),
      date: t("transcript.date"),
      case: t("transcript.case"),
      version: t("transcript.version"),
      score: t("transcript.score"),
      creditHours: t("transcript.hours"),
      certificate: t("transcript.certificate"),
      practice: t("transcript.practice"),
      revoked: t("certificate.revoked"),
      total: t("transcript.totalLabel"),
      empty: t("transcript.empty"),
    },
    learnerName: learner.name,
    registrationNumber: learner.registrationNumber,
    from: range.from,
    to: range.to,
    rows: completions.map((c) => ({
      completedAt: c.completedAt,
      caseTitle: localized(c.caseTitle, locale),
      caseVersion: c.caseVersion,
      score: c.score,
      creditHours: creditedHours(c),
      certificate: c.certificate ? { code: c.certificate.code, revokedAt: c.certificate.revokedAt } : null,
    })),
    generatedAt: now,
  });
}

const TRANSCRIPT_CSV_COLUMNS = [
  "completedAt",
  "learner",
  "registrationNumber",
  "regulator",
  "caseSlug",
  "caseVersion",
  "caseTitleEn",
  "caseTitleFr",
  "language",
  "attemptNumber",
  "score",
  "passed",
  "creditHours",
  "timeOnTask",
  "certificateCode",
  "certificateStatus",
] as const;

/**
 * The learner's own transcript as CSV, in their language: column titles and words (yes/no,
 * certificate status, regulator) from the catalogs. Values a program reads stay the same in both
 * languages: ISO 8601 UTC instants, dot decimals, case IDs and language codes.
 */
export function transcriptCsv(
  learner: { name: string; registrationNumber: string },
  completions: Completions,
  locale: Locale,
  regulators: ReadonlyMap<string, string>,
): string {
  const t = getI18n(locale).t;
  return toCsv(
    TRANSCRIPT_CSV_COLUMNS.map((column) => t(`transcript.csvColumns.${column}`)),
    completions.map((c) => [
      c.completedAt,
      learner.name,
      learner.registrationNumber,
      regulators.get(c.regulator) ?? c.regulator,
      c.caseSlug,
      c.caseVersion,
      c.caseTitle.en ?? "",
      c.caseTitle.fr ?? "",
      c.locale,
      c.attemptNumber,
      Math.round(c.score * 10000) / 10000,
      t(c.passed ? "transcript.yes" : "transcript.no"),
      creditedHours(c),
      c.timeOnTaskSeconds,
      c.certificate?.code ?? "",
      t(c.certificate ? `certificate.${certificateState(c.certificate).status}` : "transcript.practice"),
    ]),
  );
}
