// Failures as HTTP: the one place where a model's failure code (../utils/result.ts) becomes a status
// and a message a person reads, and where "not found" and "not allowed" are thrown from. Loaders and
// actions throw `notFound()` for anything missing or outside the actor's scope (the same answer for
// both, so a 404 never tells whether another regulator's record exists).
import type { Translate, TranslationKey } from "~/i18n";

export type FailureStatus = 400 | 403 | 404 | 409 | 413 | 415 | 422 | 429;

/** How a route answers one failure code: its status and the catalog key of its message. */
export type FailureAnswer = { status: FailureStatus; message: TranslationKey };

/** A route's answer for every code a model may give it (tsc insists on all of them). */
export type FailureMap<C extends string> = Record<C, FailureAnswer>;

// A refusal is about this request, this actor: never kept by a cache.
function plainText(status: number, message: string): Response {
  return new Response(message, {
    status,
    headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
  });
}

/**
 * The answer for a failure code. A page returns it (`data({ error: answer.message }, answer)`) and
 * translates the message where it shows it; with `t`, `response` is that message as plain text, to
 * throw from a download or a form whose page has nowhere to show it.
 */
export function failure<C extends string>(code: C, map: FailureMap<C>): FailureAnswer;
export function failure<C extends string>(
  code: C,
  map: FailureMap<C>,
  t: Translate,
): FailureAnswer & { response: Response };
export function failure<C extends string>(code: C, map: FailureMap<C>, t?: Translate) {
  const answer = map[code];
  return t ? { ...answer, response: plainText(answer.status, t(answer.message)) } : answer;
}

/** 404, to throw. The root's error page says "Page not found" in the reader's language. */
export function notFound(t?: Translate): Response {
  return plainText(404, t ? t("app.notFound") : "Not found");
}

/** 403, to throw: signed in, but this is not theirs to see or do. */
export function forbidden(t?: Translate): Response {
  return plainText(403, t ? t("app.forbidden") : "Forbidden");
}
