import { describe, expect, it } from 'vitest';
import { makeId } from '../../kernel/idcard.ts';
import { loadPack, resolveBill } from '../../policy/index.ts';
import { demoCatalogue } from '../../catalogue/demo.ts';
import { DEMO_INSTITUTIONS, townshipCentreCode } from '../../catalogue/demo-institutions.ts';
import { classifyLines } from '../bill.ts';
import { coverageRefusal, type Prescription } from '../coverage.ts';
import { generateDemoBills, type DemoPatient } from './bills.ts';

const patients: DemoPatient[] = Array.from({ length: 2_000 }, (_, i) => ({
  certno: makeId('370899', '1970-01-01', i),
  categories:
    i % 50 === 0
      ? ['low_income_marginal']
      : i % 97 === 0
        ? ['severe_mental', 'mental_aid_card']
        : [],
  regionCode: `370899${String(1 + (i % 12)).padStart(3, '0')}001`,
  // Some hold a certificate (one from mid-year), some a two-diseases filing, some both.
  certificates:
    i % 7 === 0
      ? [
          {
            disease: i % 14 === 0 ? 'M002' : 'M003',
            from: i % 21 === 0 ? '2022-07-01' : '2021-05-01',
            to: null,
          },
        ]
      : [],
  filings:
    i % 5 === 0
      ? [{ disease: i % 10 === 0 ? 'diabetes' : 'hypertension', from: '2022-03-01', to: null }]
      : [],
}));

/** Without cover nobody gets a chronic (but S004) or a two-diseases bill. */
const uncovered: DemoPatient[] = patients.map(({ certno, categories }) => ({ certno, categories }));

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

  it('sends every bill to a registered institution of its level, outpatients to their township', () => {
    const level = new Map(DEMO_INSTITUTIONS.map((i) => [i.fixmedinsCode, i.hospLv]));
    expect(bills.filter((b) => level.get(b.fixmedinsCode) !== b.bill.hospitalLevel)).toEqual([]);
    const region = new Map(patients.map((p) => [p.certno, p.regionCode!]));
    const local = bills.filter((b) =>
      ['general_outpatient', 'two_diseases'].includes(b.bill.visitType),
    );
    expect(local.length).toBeGreaterThan(0);
    for (const b of local) {
      expect(b.fixmedinsCode).toBe(townshipCentreCode(Number(region.get(b.certno)!.slice(6, 9))));
    }
  });

  it('holds only chronic and two-diseases bills the persistent path pays (docs/chronic.md §3, §5)', async () => {
    const pack = await loadPack('demo-2022');
    const listed = new Set(
      demoCatalogue()
        .filter((i) => i.twoDiseases)
        .map((i) => i.medListCodg),
    );
    const byCertno = new Map(patients.map((p) => [p.certno, p]));
    const last = new Map<string, Map<string, Prescription>>();
    const refused = bills.flatMap(({ certno, bill }) => {
      const p = byCertno.get(certno)!;
      const mine = last.get(certno) ?? new Map<string, Prescription>();
      const params = resolveBill(pack, { ...bill, categories: [...p.categories] });
      const r = coverageRefusal(
        params,
        bill,
        {
          certificates: p.certificates,
          filings: p.filings,
          drugs: { listed, last: mine, refillToleranceDays: 7 },
        },
        'bill',
      );
      if (!r && bill.visitType === 'two_diseases') {
        for (const l of bill.lines)
          mine.set(l.itemCode!, { date: bill.date, days: l.days ?? null });
        last.set(certno, mine);
      }
      return r ? [`${bill.visitType} ${bill.diagnosis} ${bill.date}: ${r.code}`] : [];
    });
    expect(refused).toEqual([]);
    const two = bills.filter((b) => b.bill.visitType === 'two_diseases');
    expect(two.length).toBeGreaterThan(50);
    expect(two.every((b) => b.bill.lines.every((l) => l.itemCode && l.days! <= 30))).toBe(true);
    const chronic = bills.filter((b) => b.bill.visitType === 'chronic_outpatient');
    expect(new Set(chronic.map((b) => b.bill.diagnosis))).toEqual(
      new Set(['E11.9', 'I25.1', 'F20.0']),
    );
  });

  it('falls back to general outpatient visits for people without cover', () => {
    const plain = generateDemoBills(uncovered, opts);
    expect(plain.filter((b) => b.bill.visitType === 'two_diseases')).toEqual([]);
    expect(
      plain.filter(
        (b) => b.bill.visitType === 'chronic_outpatient' && b.bill.diagnosis !== 'F20.0',
      ),
    ).toEqual([]);
    expect(plain.filter((b) => b.bill.visitType === 'general_outpatient').length).toBeGreaterThan(
      bills.filter((b) => b.bill.visitType === 'general_outpatient').length,
    );
  });
});
