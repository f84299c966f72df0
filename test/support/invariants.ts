/**
 * What settlement data must satisfy whatever happened to the process writing it (a crash, a
 * backup and restore). Each check is one query that lists the rows breaking it; an empty list
 * is a pass.
 *
 * - Every settlement (and cancellation mirror) has a ledger row for each tier its stored delta
 *   moved, with exactly that delta's base and paid, and no ledger row belongs to no settlement.
 * - Every accumulator (person-year) holds, per tier, the sum of its ledger rows; its monitoring
 *   columns equal its state's and the sum of its settlements' deltas; its count of settlements is
 *   settlements less cancellations.
 * - A cancelled settlement has exactly one cancellation mirror, and every mirror cancels one.
 */
import type { Queryable } from '../../src/db/db.ts';

const TIERS = `(VALUES ('basic_insurance'), ('critical_illness'), ('assistance'), ('re_assistance'),
  ('backstop')) AS t(tier)`;

const CHECKS: Record<string, string> = {
  'settlement ledger rows equal its delta': `
    WITH want AS (
      SELECT s.certno, s.year, s.settlement_id, t.tier,
             (s.delta->'tiers'->t.tier->>'base')::bigint AS base,
             (s.delta->'tiers'->t.tier->>'paid')::bigint AS paid
        FROM settlement s CROSS JOIN ${TIERS})
    SELECT coalesce(w.settlement_id, l.settlement_id) AS settlement_id,
           coalesce(w.tier, l.tier) AS tier, w.base AS delta_base, w.paid AS delta_paid,
           l.base AS ledger_base, l.paid AS ledger_paid
      FROM want w FULL JOIN settlement_ledger l
        ON l.certno = w.certno AND l.settlement_id = w.settlement_id AND l.tier = w.tier
     WHERE w.settlement_id IS NULL OR l.year <> w.year
        OR coalesce(w.base, 0) <> coalesce(l.base, 0) OR coalesce(w.paid, 0) <> coalesce(l.paid, 0)
        OR (l.settlement_id IS NOT NULL AND w.base = 0 AND w.paid = 0)`,
  'accumulator equals the sum of its ledger': `
    WITH acc AS (
      SELECT a.certno, a.year, t.tier,
             (a.state->'tiers'->t.tier->>'base')::bigint AS base,
             (a.state->'tiers'->t.tier->>'paid')::bigint AS paid
        FROM accumulator a CROSS JOIN ${TIERS}),
    led AS (
      SELECT certno, year, tier, sum(base)::bigint AS base, sum(paid)::bigint AS paid
        FROM settlement_ledger GROUP BY certno, year, tier)
    SELECT coalesce(a.certno, l.certno) AS certno, coalesce(a.year, l.year) AS year,
           coalesce(a.tier, l.tier) AS tier, a.base AS acc_base, l.base AS ledger_base,
           a.paid AS acc_paid, l.paid AS ledger_paid
      FROM acc a FULL JOIN led l ON l.certno = a.certno AND l.year = a.year AND l.tier = a.tier
     WHERE a.certno IS NULL
        OR coalesce(a.base, 0) <> coalesce(l.base, 0) OR coalesce(a.paid, 0) <> coalesce(l.paid, 0)`,
  'accumulator columns equal its state and its settlements': `
    WITH s AS (
      SELECT certno, year,
             sum((delta->>'oopInscope')::bigint)::bigint AS oop_inscope,
             sum((delta->>'oopTotal')::bigint)::bigint AS oop_total,
             sum(CASE kind WHEN 'settle' THEN 1 ELSE -1 END)::int AS settlements
        FROM settlement GROUP BY certno, year)
    SELECT a.certno, a.year, a.oop_inscope, a.oop_total, a.settlements,
           s.oop_inscope AS sum_inscope, s.oop_total AS sum_total, s.settlements AS sum_settlements
      FROM accumulator a LEFT JOIN s USING (certno, year)
     WHERE a.oop_inscope <> (a.state->>'oopInscope')::bigint
        OR a.oop_total <> (a.state->>'oopTotal')::bigint
        OR a.oop_inscope <> coalesce(s.oop_inscope, 0) OR a.oop_total <> coalesce(s.oop_total, 0)
        OR a.settlements <> coalesce(s.settlements, 0)`,
  'a cancelled settlement has one mirror': `
    SELECT o.certno, o.settlement_id, o.cancelled_by, count(m.settlement_id)::int AS mirrors
      FROM settlement o
      LEFT JOIN settlement m ON m.certno = o.certno AND m.original_id = o.settlement_id
                            AND m.kind = 'cancel'
     WHERE o.kind = 'settle'
     GROUP BY o.certno, o.settlement_id, o.cancelled_by
    HAVING (o.cancelled_by IS NULL AND count(m.settlement_id) > 0)
        OR (o.cancelled_by IS NOT NULL AND (count(m.settlement_id) <> 1
            OR bool_or(m.settlement_id <> o.cancelled_by)))`,
};

/** The rows breaking each check, by check; `{}` when all hold. */
export async function settlementProblems(
  q: Queryable,
): Promise<Record<string, Record<string, unknown>[]>> {
  const out: Record<string, Record<string, unknown>[]> = {};
  for (const [name, sql] of Object.entries(CHECKS)) {
    const r = await q.query(sql);
    if (r.rows.length > 0) out[name] = r.rows.slice(0, 20);
  }
  return out;
}
