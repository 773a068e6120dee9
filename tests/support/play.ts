// Plays the fixtures' mini case over HTTP as a learner would, for suites that need a pass (a
// completion, a certificate, attempts an educator sees) rather than the player itself.
import { expect } from "vitest";
import type { Client } from "./client";

/**
 * Starts an attempt at `slug` (the mini case, or a regulator's copy "mini-<id>") and answers every
 * step to a pass, each answer acknowledged with a redirect. Returns the attempt's URL.
 */
export async function passMiniCase(
  client: Client,
  { slug = "mini-case", reflection = "I would decline and explain why." } = {},
): Promise<string> {
  await client.get(`/cases/${slug}`);
  const started = await client.post(`/cases/${slug}`, {});
  expect(started.status).toBe(302);
  const url = started.location!;
  const steps: Array<[string, Record<string, string>]> = [
    ["context", {}],
    ["q1", { choice: "decline" }],
    ["q2", { choice: "explain" }],
    ["reflect", { reflection }],
  ];
  for (const [from, fields] of steps) {
    await client.get(url);
    expect((await client.post(url, { from, ...fields })).status).toBe(302);
  }
  return url;
}
