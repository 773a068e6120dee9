/**
 * Canonical JSON: the same content always gives the same text, whatever the key order or spacing
 * of the file, so a hash of it can name an immutable case version. Hashing happens outside (node:crypto).
 *
 * Object keys are sorted by UTF-16 code units (JavaScript's default sort, identical in every engine);
 * no whitespace; strings and numbers as JSON.stringify writes them; -0 is written 0.
 * Only JSON data is accepted: undefined object members are dropped like JSON.stringify does, anything
 * else that JSON cannot represent (NaN, Infinity, functions, undefined in arrays...) throws,
 * because silently writing `null` would make two different inputs hash the same.
 */
export function canonicalJson(value: unknown): string {
  return write(value, "");
}

function write(value: unknown, path: string): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "string":
    case "boolean":
      return JSON.stringify(value);
    case "number":
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: ${value} at "${path}" is not JSON`);
      return Object.is(value, -0) ? "0" : JSON.stringify(value);
    case "object": {
      if (Array.isArray(value)) {
        return `[${value.map((v, i) => write(v, `${path}/${i}`)).join(",")}]`;
      }
      const record = value as Record<string, unknown>;
      const proto = Object.getPrototypeOf(record);
      if (proto !== Object.prototype && proto !== null) {
        throw new TypeError(
          `canonicalJson: a ${proto?.constructor?.name ?? "non-plain"} object at "${path}" is not JSON data`,
        );
      }
      const members = Object.keys(record)
        .filter((k) => record[k] !== undefined)
        .sort()
        .map((k) => `${JSON.stringify(k)}:${write(record[k], `${path}/${k}`)}`);
      return `{${members.join(",")}}`;
    }
    default:
      throw new TypeError(`canonicalJson: a ${typeof value} at "${path}" is not JSON`);
  }
}
