/**
 * Canonical JSON: object keys sorted, `undefined` members dropped, no whitespace. The audit chain
 * hashes this text, so the same entry always hashes the same way whichever database stored it.
 */
export function canonicalJson(value: unknown): string {
  const text = JSON.stringify(normalise(value));
  // JSON.stringify(undefined) is undefined; an absent value is stored and hashed as null.
  return text ?? 'null';
}

function normalise(value: unknown): unknown {
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
