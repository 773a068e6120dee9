import type { LoaderFunctionArgs } from "@remix-run/node";
import { parseTranscriptRange } from "~/forms/transcript";
import { listCompletions } from "~/models/completion.server";
import { csvResponse } from "~/utils/csv.server";
import { invalidRangeResponse, regulatorNames, transcriptCsv } from "~/utils/documents.server";
import { requestI18n } from "~/utils/i18n.server";
import { requireSession } from "~/utils/session.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const session = await requireSession(request);
  const { locale } = await requestI18n(request, session);
  const range = parseTranscriptRange(new URL(request.url).searchParams);
  if (!range) throw invalidRangeResponse(locale);
  const completions = await listCompletions(session.user.id, range.from, range.to);
  return csvResponse(
    `transcript-${range.fromInput}-${range.toInput}.csv`,
    transcriptCsv(
      session.user,
      completions,
      locale,
      await regulatorNames(
        completions.map((c) => c.regulator),
        locale,
      ),
    ),
  );
}
