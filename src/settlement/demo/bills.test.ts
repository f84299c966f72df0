import { describe, expect, it } from 'vitest';
import { makeId } from '../../kernel/idcard.ts';
import { loadPack, resolveBill } from '../../policy/index.ts';
import { classifyLines } from '../bill.ts';
import { coverageRefusal } from '../coverage.ts';
import { generateDemoBills, type DemoPatient } from './bills.ts';

const patients: DemoPatient[] = Array.from({ length: 2_000 }, (_, i) => ({
  certno: makeId('370899', '1970-01-01', i),
  categories:
    i % 50 === 0
      ? ['low_income_marginal']
      : i % 97 === 0
        ? ['severe_mental', 'mental_aid_card']
        : [],
}));

describe('demo year of bills', () => {
  const opts = { seed: 20220101, year: 2022, bills: 3_000 };
  const bills = generateDemoBills(patients, opts);

  it('is deterministic, sized as asked, dated in the year in order, with unique msgids', () => {
    expect(generateDemoBills(patients, opts)).toEqual(bills);
    expect(bills.length).toBeGreaterThanOrEqual(3_000);
    expect(bills.length).toBeLessThan(3_020);
    expect(bills.every((b) => b.bill.date.startsWith('2022-'))).toBe(true);
    expect(bills.map((b) => b.bill.date)).toEqual(bills.map((b) => b.bill.date).sort());
    expect(new Set(bills.map((b) => b.msgid)).size).toBe(bills.length);
  });

  it('has serious illness whose own-pay can cross the lines, and a few cancellations', () => {
    const totals = new Map<string, number>();
    for (const b of bills) {
      const split = classifyLines(b.bill.lines);
      totals.set(b.certno, (totals.get(b.certno) ?? 0) + split.medfee);
    }
    const heavy = [...totals.values()].filter((t) => t > 10_000_000).length;
    expect(heavy).toBeGreaterThan(10);
    const cancels = bills.filter((b) => b.cancel).length;
    expect(cancels).toBeGreaterThan(0);
    expect(cancels).toBeLessThan(bills.length * 0.02);
  });

  it('holds only chronic and two-diseases bills the demo-2022 rules pay (docs/chronic.md §3)', async () => {
    const pack = await loadPack('demo-2022');
    const refused = bills.flatMap(({ bill }) => {
      const params = resolveBill(pack, { ...bill, categories: [] });
      const r = coverageRefusal(params, bill, {}, 'bill');
      return r ? [`${bill.visitType} ${bill.diagnosis} L${bill.hospitalLevel}: ${r.code}`] : [];
    });
    expect(refused).toEqual([]);
    expect(bills.some((b) => b.bill.visitType === 'two_diseases')).toBe(true);
    expect(bills.some((b) => b.bill.visitType === 'chronic_outpatient')).toBe(true);
  });
});
