import type { LoaderFunctionArgs } from "@remix-run/node";
import { parseTranscriptRange } from "~/forms/transcript";
import { listCompletions } from "~/models/completion.server";
import { csvResponse } from "~/utils/csv.server";
import { transcriptCsv } from "~/utils/documents.server";
import { requireSession } from "~/utils/session.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { user } = await requireSession(request);
  const range = parseTranscriptRange(new URL(request.url).searchParams);
  if (!range) throw new Response("Invalid date range", { status: 400 });
  const completions = await listCompletions(user.id, range.from, range.to);
  return csvResponse(`transcript-${range.fromInput}-${range.toInput}.csv`, transcriptCsv(user, completions));
}
