/**
 * The statement's aggregate decides in SQL what the pure rules decide in TypeScript (docs/payment.md
 * §2, §7): which diagnosis groups a diagnosis falls in, and which bills a per bed-day rule takes.
 * The two must agree on every bill, or a line would be paid by the wrong method.
 */
import { beforeAll, expect, it } from 'vitest';
import { describeDb } from '../../../test/support/db.ts';
import { loadPack, matchesDiagnosis, type PaymentRules } from '../../policy/index.ts';
import { aggregateShape, methodFor, resolvePayment, type ResolvedPayment } from '../core/rules.ts';
import { bedDaySql, signatureSql } from './statements.ts';

const DIAGNOSES = [
  'F20.0',
  'f20.1',
  ' F31.2 ',
  'F72',
  'F7',
  'F79.9',
  'F80',
  'F32.1',
  'F99',
  'FA0',
  'I10',
  'E11.9',
  'C34.9',
  '',
];

describeDb('payment aggregate in SQL', (ctx) => {
  let p: ResolvedPayment;
  beforeAll(async () => {
    const rules: PaymentRules = (await loadPack('demo-2023')).payment!;
    p = resolvePayment(rules, '2023-01-01');
  });

  it('puts each diagnosis in the groups matchesDiagnosis puts it in', async () => {
    const shape = aggregateShape(p);
    const params: unknown[] = [DIAGNOSES];
    const sig = signatureSql(shape.groups, 'm.diagnosis', params);
    const r = await ctx.db.query<{ diagnosis: string; sig: string }>(
      `SELECT m.diagnosis, ${sig} AS sig FROM unnest($1::text[]) AS m(diagnosis)`,
      params,
    );
    const expected = DIAGNOSES.map((d) => ({
      diagnosis: d,
      sig: shape.groups.map((g) => (matchesDiagnosis(g, d) ? '1' : '0')).join(''),
    }));
    expect(r.rows).toEqual(expected);
    const sigOf = (d: string) => r.rows.find((x) => x.diagnosis === d)!.sig;
    expect([sigOf('F72'), sigOf('F7'), sigOf('I10'), sigOf('E11.9')]).toEqual([
      '1100',
      '0000',
      '0010',
      '0001',
    ]);
  });

  it('takes for per bed-day exactly the bills methodFor pays per bed-day', async () => {
    const bills = [];
    for (const institution of ['H37089900004', 'H37089900001', 'H37089910005'])
      for (const visitType of ['inpatient', 'general_outpatient'] as const)
        for (const diagnosis of DIAGNOSES)
          bills.push({ institution, level: 2 as const, visitType, diagnosis });
    const params: unknown[] = [
      bills.map((b) => b.institution),
      bills.map((b) => b.level),
      bills.map((b) => b.visitType),
      bills.map((b) => b.diagnosis),
    ];
    const cond = bedDaySql(aggregateShape(p), params);
    const r = await ctx.db.query<{ taken: boolean }>(
      `SELECT coalesce(${cond}, false) AS taken
         FROM unnest($1::text[], $2::int[], $3::text[], $4::text[]) WITH ORDINALITY
              AS s(fixmedins_code, hospital_level, visit_type, diagnosis, n)
        ORDER BY n`,
      params,
    );
    const expected = bills.map((b) => methodFor(p, b).method === 'per_bed_day');
    expect(r.rows.map((x) => x.taken)).toEqual(expected);
    expect(expected.filter(Boolean).length).toBe(3); // F32.1, F80, F99 at the psychiatric hospital
  });
});
