/** Region names for printed documents (the bureau that issues a certificate or a notice). */
import type { Queryable } from '../../db/db.ts';

export async function regionName(q: Queryable, code: string): Promise<string | null> {
  const r = await q.query<{ name: string }>('SELECT name FROM region WHERE code = $1', [code]);
  return r.rows[0]?.name ?? null;
}
