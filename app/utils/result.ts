// The one shape of an operation that can fail for a reason a person must see: a value, or a code
// that the route turns into a status and a translated message (`failure` in ./http.server.ts).
// Throwing is for bugs, and for "not found / not allowed" through `notFound` and `forbidden`.

export type Success<T> = { ok: true; value: T };
export type Failure<C extends string> = { ok: false; code: C };
export type Result<T, C extends string> = Success<T> | Failure<C>;

/** A success carrying `value` (`null` when there is nothing to say). */
export const ok = <T>(value: T): Success<T> => ({ ok: true, value });

/** A failure with its code. Extra facts the message needs go beside it: `{ ...fail("x"), limit }`. */
export const fail = <C extends string>(code: C): Failure<C> => ({ ok: false, code });
