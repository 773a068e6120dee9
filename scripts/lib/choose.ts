import { UsageError } from "~/utils/case-files.server";

/** `q1=decline,q2=review` → { q1: "decline", q2: "review" }. */
export function parseChoose(value: string): Record<string, string> {
  const choices: Record<string, string> = {};
  for (const pair of value
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean)) {
    const match = /^([^=\s]+)=([^=\s]+)$/.exec(pair);
    if (!match) throw new UsageError(`--choose: "${pair}" is not DECISION=CHOICE`);
    choices[match[1]!] = match[2]!;
  }
  return choices;
}
