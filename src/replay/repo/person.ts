/** The reads of one person a replay's explanation needs (docs/replay.md §4), in the caller's scope. */
import type { Queryable } from '../../db/db.ts';
import type { DataScope } from '../../kernel/access/actor.ts';
import { personScopeSql } from '../../kernel/access/scope.ts';
import type { TierFacts } from '../../settlement/index.ts';

export async function personInScope(
  q: Queryable,
  scope: DataScope,
  certno: string,
): Promise<boolean> {
  const s = personScopeSql(scope, 'p', 2);
  const r = await q.query(`SELECT 1 FROM person p WHERE p.certno = $1 AND ${s.sql}`, [
    certno,
    ...s.params,
  ]);
  return r.rows.length > 0;
}

/** The person whose settlement `id` is, when the caller may see them. */
export async function certnoOfSettlement(
  q: Queryable,
  scope: DataScope,
  id: number,
): Promise<string | null> {
  const s = personScopeSql(scope, 'p', 2);
  const r = await q.query<{ certno: string }>(
    `SELECT st.certno FROM settlement st JOIN person p ON p.certno = st.certno
      WHERE st.settlement_id = $1 AND ${s.sql}`,
    [id, ...s.params],
  );
  return r.rows[0]?.certno ?? null;
}

/** The stored explanation facts of a person's settlements, by settlement id. */
export async function storedExplain(
  q: Queryable,
  certno: string,
  ids: readonly number[],
): Promise<Map<number, TierFacts[]>> {
  if (ids.length === 0) return new Map();
  const r = await q.query<{ settlement_id: number; explain: TierFacts[] }>(
    `SELECT settlement_id, explain FROM settlement
      WHERE certno = $1 AND settlement_id = ANY($2::bigint[])`,
    [certno, ids],
  );
  return new Map(r.rows.map((x) => [x.settlement_id, x.explain]));
}
