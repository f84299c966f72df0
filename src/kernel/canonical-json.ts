/**
 * Canonical JSON: object keys sorted, `undefined` members dropped, no whitespace, every string as
 * PostgreSQL stores it (wellFormed). The audit chain hashes this text, so the same entry always
 * hashes the same way whichever database stored it.
 */
export function canonicalJson(value: unknown): string {
  const text = JSON.stringify(normalise(value));
  // JSON.stringify(undefined) is undefined; an absent value is stored and hashed as null.
  return text ?? 'null';
}

function normalise(value: unknown): unknown {
  if (typeof value === 'string') return wellFormed(value);
  if (value === null || value === undefined) return value;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : normalise(v)));
  if (value instanceof Set) return [...value].map(normalise);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'object') {
    const withToJson = value as { toJSON?: () => unknown };
    if (typeof withToJson.toJSON === 'function') return normalise(withToJson.toJSON());
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = normalise(v);
    }
    return out;
  }
  return value;
}

const SURROGATE = /[\ud800-\udfff]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * The string as PostgreSQL stores it: text is UTF-8 there, so a lone UTF-16 surrogate (which
 * UTF-8 cannot encode) arrives as U+FFFD, the replacement both drivers' encoders write. A hash
 * over the string as given would not match the same hash over the string read back.
 */
export function wellFormed(s: string): string {
  return SURROGATE.test(s) ? s.replace(LONE_SURROGATE, '\ufffd') : s;
}

const ESCAPED_SURROGATE = /\\\\|\\ud[89a-f][0-9a-f]{2}/g;

/**
 * JSON text from JSON.stringify with each lone surrogate (written as a `\udxxx` escape) as the
 * U+FFFD PostgreSQL stores in its place (see wellFormed). Text without such an escape is returned
 * as it is after one scan.
 */
export function wellFormedJson(text: string): string {
  if (!text.includes('\\ud')) return text;
  return text.replace(ESCAPED_SURROGATE, (m) => (m === '\\\\' ? m : '\ufffd'));
}
