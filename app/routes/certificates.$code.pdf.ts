import type { LoaderFunctionArgs } from "@remix-run/node";
import { findCertificate } from "~/models/completion.server";
import { certificatePdfFor } from "~/utils/documents.server";
import { notFound } from "~/utils/http.server";
import { requestI18n } from "~/utils/i18n.server";
import { pdfResponse } from "~/utils/pdf-response.server";
import { inScope, regulatorScope } from "~/utils/roles";
import { requireSession } from "~/utils/session.server";

// The PDF is the learner's download: only its owner (or an admin) gets it; others verify online.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const session = await requireSession(request);
  const certificate = await findCertificate(params.code ?? "");
  // Its holder, and the admins of its regulator.
  const allowed =
    certificate &&
    (certificate.completion.userId === session.user.id ||
      inScope(regulatorScope(session.user, "admin"), certificate.completion.regulator));
  if (!certificate || !allowed) throw notFound();
  const { locale } = await requestI18n(request, session);
  const pdf = await certificatePdfFor(request, certificate, locale);
  return pdfResponse(`certificate-${certificate.code}.pdf`, pdf);
}
