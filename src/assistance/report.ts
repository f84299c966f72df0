/**
 * The year-end report of a programme, as Lai'an reports its mental-disorder backstop (2020: 134
 * outpatient and 344 inpatient assistance, 1.413 million yuan; 2021: 138 and 582, 2.065 million):
 * people assisted as outpatients and as inpatients, how many times, the amounts, against the
 * budget, and year over year. Read from the spending settlement recorded (net of cancellations).
 *
 * People and amounts are within the caller's data scope (a township sees its own people); the
 * budget line is the programme's own, county-wide.
 */
import type { Actor } from '../kernel/access/actor.ts';
import { personScopeSql } from '../kernel/access/scope.ts';
import type { Db } from '../db/db.ts';
import type { Fen } from '../kernel/money.ts';
import type { Programme } from './model.ts';
import { programmesWhere } from './programmes.ts';
import { spendSql } from './spend.ts';
import { programmeStatus } from './status.ts';

export interface KindFigures {
  /** Distinct people the programme paid for (net amount above zero). */
  people: number;
  /** Settlements that paid (cancelled ones left out). */
  times: number;
  amount: Fen;
}

export interface YearFigures {
  year: number;
  /** The programme-year's budget, when the programme existed that year. */
  budget: Fen | null;
  outpatient: KindFigures;
  inpatient: KindFigures;
  total: { people: number; amount: Fen };
  cards: { issued: number; heldAtYearEnd: number };
  /**
   * A hospital-waiver programme's figures per rule of its agreement (docs/settlement.md §9): the
   * free inpatient treatment's stays and the free drugs delivered to the door counted apart.
   * Empty for other programmes.
   */
  waivers: (KindFigures & { code: string })[];
}

export interface YearEndReport {
  programme: {
    programmeId: number;
    regionCode: string;
    code: string;
    year: number;
    title: { zh: string; en: string };
  };
  /** Programme-wide, whatever the caller's scope. */
  budget: {
    budget: Fen;
    spent: Fen;
    remaining: Fen;
    usedBp: number | null;
    overspent: boolean;
    alerts: number[];
  };
  /** `scoped`: figures below are limited to the caller's data scope. */
  scoped: boolean;
  current: YearFigures;
  previous: YearFigures;
  change: { people: number; amount: Fen; outpatientPeople: number; inpatientPeople: number };
}

const EMPTY: KindFigures = { people: 0, times: 0, amount: 0 };

async function figures(db: Db, actor: Actor, p: Programme, year: number): Promise<YearFigures> {
  const asOf: Programme = { ...p, year };
  const spend = spendSql(asOf, 1);
  const scope = personScopeSql(actor.scope, 'p', spend.params.length + 1);
  const r = await db.query<{
    inpatient: boolean | null;
    people: number;
    times: number;
    amount: number;
  }>(
    `WITH per AS (
       SELECT s.certno, s.visit_type = 'inpatient' AS inpatient, sum(s.amount) AS amount,
              count(*) FILTER (WHERE s.kind = 'settle' AND s.cancelled_by IS NULL AND s.amount > 0)
                AS times
         FROM ${spend.sql} AS s JOIN person p ON p.certno = s.certno
        WHERE ${scope.sql}
        GROUP BY s.certno, s.visit_type = 'inpatient')
     SELECT inpatient, count(*) FILTER (WHERE amount > 0)::int AS people, sum(times)::int AS times,
            coalesce(sum(amount), 0)::int8 AS amount
       FROM per GROUP BY GROUPING SETS ((inpatient), ())`,
    [...spend.params, ...scope.params],
  );
  const kinds = { outpatient: EMPTY, inpatient: EMPTY };
  let totalAmount = 0;
  for (const row of r.rows) {
    const f = { people: row.people, times: row.times ?? 0, amount: row.amount };
    if (row.inpatient === null) totalAmount = row.amount;
    else if (row.inpatient) kinds.inpatient = f;
    else kinds.outpatient = f;
  }
  const people = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM (
       SELECT s.certno FROM ${spend.sql} AS s JOIN person p ON p.certno = s.certno
        WHERE ${scope.sql} GROUP BY s.certno HAVING sum(s.amount) > 0) x`,
    [...spend.params, ...scope.params],
  );
  const cardScope = personScopeSql(actor.scope, 'p', 4);
  const cards = await db.query<{ issued: number; held: number }>(
    `SELECT
       (SELECT count(*)::int FROM assistance_card_event e JOIN assistance_card c
           ON c.certno = e.certno AND c.card_id = e.card_id JOIN person p ON p.certno = c.certno
         WHERE c.region_code = $1 AND c.programme = $2 AND e.event IN ('issue', 'adopt')
           AND e.month LIKE $3 || '-%' AND ${cardScope.sql}) AS issued,
       (SELECT count(*)::int FROM assistance_card c JOIN person p ON p.certno = c.certno
         WHERE c.region_code = $1 AND c.programme = $2 AND c.from_month <= $3 || '-12'
           AND (c.last_month IS NULL OR c.last_month >= $3 || '-12') AND ${cardScope.sql}) AS held`,
    [p.regionCode, p.code, String(year), ...cardScope.params],
  );
  const waivers = p.tiers.includes('hospital_waiver') ? await waiverFigures(db, actor, asOf) : [];
  const [same] = await programmesWhere(db, { regionCode: p.regionCode, code: p.code, year });
  return {
    year,
    budget: same?.budget ?? null,
    ...kinds,
    total: { people: people.rows[0]!.n, amount: totalAmount },
    cards: { issued: cards.rows[0]!.issued, heldAtYearEnd: cards.rows[0]!.held },
    waivers,
  };
}

/**
 * Per waiver rule (the post-tier line's code): people whose net waiver is above zero, the bills
 * waived (cancelled ones left out) and the net amount. A cancellation's mirror carries the
 * original's lines, so its amount counts negated.
 */
async function waiverFigures(
  db: Db,
  actor: Actor,
  p: Programme,
): Promise<(KindFigures & { code: string })[]> {
  const scope = personScopeSql(actor.scope, 'p', 4);
  const r = await db.query<KindFigures & { code: string }>(
    `SELECT w.code, count(*) FILTER (WHERE w.amount > 0)::int AS people, sum(w.times)::int AS times,
            coalesce(sum(w.amount), 0)::int8 AS amount
       FROM (SELECT st.certno, l->>'code' AS code,
                    sum(CASE WHEN st.kind = 'cancel' THEN -(l->>'amount')::int8
                             ELSE (l->>'amount')::int8 END) AS amount,
                    count(*) FILTER (WHERE st.kind = 'settle' AND st.cancelled_by IS NULL
                                       AND (l->>'amount')::int8 > 0) AS times
               FROM settlement st JOIN person p ON p.certno = st.certno
               CROSS JOIN LATERAL jsonb_array_elements(st.post_tier) l
              WHERE st.waiver_programme = $1 AND st.year = $2 AND st.region_code LIKE $3 || '%'
                AND l->>'kind' = 'hospital_waiver' AND l->>'programme' = $1 AND ${scope.sql}
              GROUP BY st.certno, l->>'code') w
      GROUP BY w.code ORDER BY w.code`,
    [p.code, p.year, p.regionCode, ...scope.params],
  );
  return r.rows;
}

export async function yearEndReport(db: Db, actor: Actor, p: Programme): Promise<YearEndReport> {
  const status = await programmeStatus(db, p);
  const current = await figures(db, actor, p, p.year);
  const previous = await figures(db, actor, p, p.year - 1);
  return {
    programme: {
      programmeId: p.programmeId,
      regionCode: p.regionCode,
      code: p.code,
      year: p.year,
      title: p.title,
    },
    budget: {
      budget: p.budget,
      spent: status.spent,
      remaining: status.remaining,
      usedBp: status.usedBp,
      overspent: status.overspent,
      alerts: status.alerts.map((a) => a.thresholdBp),
    },
    scoped: actor.scope.kind !== 'system',
    current,
    previous,
    change: {
      people: current.total.people - previous.total.people,
      amount: current.total.amount - previous.total.amount,
      outpatientPeople: current.outpatient.people - previous.outpatient.people,
      inpatientPeople: current.inpatient.people - previous.inpatient.people,
    },
  };
}
