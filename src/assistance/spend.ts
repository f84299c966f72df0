/**
 * What a programme spent in its year, read from what settlement wrote: `programme_spend` for the
 * backstop (settlement charges it to the programme the pack names), and the settlements' own
 * assistance and re-assistance amounts when a programme funds those tiers. Cancellations are
 * mirrors with negated amounts, so every sum is net. Only settlements of people in the
 * programme's county count (a programme code may be used by more than one county).
 */
import type { Queryable } from '../db/db.ts';
import type { SqlFragment } from '../kernel/access/scope.ts';
import type { Fen } from '../kernel/money.ts';
import type { Programme } from './model.ts';

/**
 * A subquery of the programme-year's spending, one row per settlement (or cancellation) and
 * source: `certno, settlement_id, amount, visit_type, kind, cancelled_by, region_code`.
 * Placeholders start at `$first`; only the parameters the tiers use are numbered and returned
 * (PostgreSQL cannot type a parameter no expression uses), so callers number theirs after
 * `params.length`.
 */
export function spendSql(p: Programme, first: number): SqlFragment {
  const params: unknown[] = [];
  const numbered = new Map<string, string>();
  const param = (name: string, value: unknown, type: string) => {
    let ph = numbered.get(name);
    if (!ph) {
      params.push(value);
      ph = `$${first + params.length - 1}::${type}`;
      numbered.set(name, ph);
    }
    return ph;
  };
  const region = param('region', p.regionCode, 'text');
  const parts: string[] = [];
  if (p.tiers.includes('backstop')) {
    parts.push(
      `SELECT ps.certno, ps.settlement_id, ps.amount FROM programme_spend ps
        WHERE ps.programme = ${param('code', p.code, 'text')}
          AND ps.year = ${param('year', p.year, 'int')}`,
    );
  }
  const own = (column: string) =>
    `SELECT st.certno, st.settlement_id, st.${column} FROM settlement st
      WHERE st.year = ${param('year', p.year, 'int')} AND st.region_code LIKE ${region} || '%'
        AND st.${column} <> 0`;
  if (p.tiers.includes('assistance')) parts.push(own('maf_pay'));
  if (p.tiers.includes('re_assistance')) parts.push(own('reassist_pay'));
  // A hospital's waiver under the programme's agreement (docs/settlement.md §9).
  if (p.tiers.includes('hospital_waiver')) {
    parts.push(
      `SELECT st.certno, st.settlement_id, st.hosp_part_amt FROM settlement st
        WHERE st.waiver_programme = ${param('code', p.code, 'text')}
          AND st.year = ${param('year', p.year, 'int')} AND st.hosp_part_amt <> 0`,
    );
  }
  if (parts.length === 0)
    parts.push('SELECT NULL::char(18), NULL::bigint, NULL::bigint WHERE false');
  return {
    sql: `(SELECT s.certno, s.settlement_id, s.amount, st.visit_type, st.kind, st.cancelled_by,
                  st.region_code
             FROM (${parts.join(' UNION ALL ')}) AS s (certno, settlement_id, amount)
             JOIN settlement st ON st.certno = s.certno AND st.settlement_id = s.settlement_id
            WHERE st.region_code LIKE ${region} || '%')`,
    params,
  };
}

/** Net spending of the programme-year, in fen. */
export async function programmeSpent(q: Queryable, p: Programme): Promise<Fen> {
  const s = spendSql(p, 1);
  const r = await q.query<{ spent: number }>(
    `SELECT coalesce(sum(amount), 0)::int8 AS spent FROM ${s.sql} AS spend`,
    s.params,
  );
  return r.rows[0]?.spent ?? 0;
}
