/**
 * A deterministic demo year of bills for the demo county (示范县), so that settlement, the
 * accumulators and the monthly warning run have something real to work on. Pure: the same people,
 * seed and size give the same bills, dated through the year and sorted by date.
 *
 * Patients are drawn with three profiles: most see a doctor a few times (general, two-diseases
 * and chronic outpatient bills of tens to hundreds of yuan), some have one admission, and a few
 * are seriously ill (several admissions of tens of thousands of yuan, with out-of-catalogue
 * drugs), which is what crosses the monitoring lines. Low-income marginal and monitored people
 * are seriously ill more often, as the seeds describe families made poor by illness.
 */
import { Random } from '../../registry/demo/random.ts';
import type { Category, HospitalLevel, VisitType } from '../../policy/index.ts';
import type { Bill, BillLine } from '../bill.ts';

export interface DemoPatient {
  certno: string;
  categories: readonly Category[];
}

export interface DemoBill {
  msgid: string;
  certno: string;
  fixmedinsCode: string;
  bill: Bill;
  /** A few bills are cancelled (冲销) after settlement, as happens at real windows. */
  cancel: boolean;
}

export interface DemoBillOptions {
  seed: number;
  year: number;
  /** About how many bills (the last patient's bills may pass it by a few). */
  bills: number;
}

export const DEMO_INSTITUTIONS = [
  'H37089900001',
  'H37089900002',
  'H37089900003',
  'H37089900004',
  'H37089900005',
];

const WATCHED: readonly Category[] = ['low_income_marginal', 'monitored'];
const CANCEL_RATE = 0.004;

type Profile = 'light' | 'admitted' | 'serious';

function profileOf(rnd: Random, p: DemoPatient): Profile {
  const r = rnd.next();
  const serious = p.categories.some((c) => WATCHED.includes(c)) ? 0.35 : 0.025;
  if (r < serious) return 'serious';
  if (r < serious + 0.1) return 'admitted';
  return 'light';
}

export function generateDemoBills(
  patients: readonly DemoPatient[],
  opts: DemoBillOptions,
): DemoBill[] {
  const rnd = new Random(opts.seed ^ 0x5e771e);
  const out: DemoBill[] = [];
  if (patients.length === 0) return out;
  // Patients in a seeded order; each contributes their year of bills until there are enough.
  const order = patients.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rnd.int(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  let n = 0;
  for (const idx of order) {
    if (out.length >= opts.bills) break;
    const p = patients[idx]!;
    for (const b of billsOf(rnd, p, profileOf(rnd, p), opts.year)) {
      n++;
      out.push({
        msgid: `demo-${opts.year}-${String(n).padStart(7, '0')}`,
        certno: p.certno,
        fixmedinsCode: rnd.pick(DEMO_INSTITUTIONS),
        bill: b,
        cancel: rnd.next() < CANCEL_RATE,
      });
    }
  }
  return out.sort(
    (a, b) => a.bill.date.localeCompare(b.bill.date) || a.msgid.localeCompare(b.msgid),
  );
}

function billsOf(rnd: Random, p: DemoPatient, profile: Profile, year: number): Bill[] {
  const bills: Bill[] = [];
  const visits = 1 + rnd.int(4);
  const mental = p.categories.includes('severe_mental');
  for (let i = 0; i < visits; i++) {
    const kind = rnd.next();
    if (mental && kind < 0.5) {
      bills.push(bill(rnd, year, 'chronic_outpatient', 2, 'F20.0', yuan(rnd, 300, 1_500), 0));
    } else if (kind < 0.55) {
      bills.push(bill(rnd, year, 'general_outpatient', 1, 'J06.9', yuan(rnd, 30, 300), 0.05));
    } else if (kind < 0.8) {
      bills.push(
        bill(
          rnd,
          year,
          'two_diseases',
          1,
          rnd.next() < 0.6 ? 'I10' : 'E11.9',
          yuan(rnd, 80, 400),
          0,
        ),
      );
    } else {
      bills.push(bill(rnd, year, 'chronic_outpatient', 2, 'I25.1', yuan(rnd, 200, 1_500), 0.05));
    }
  }
  if (profile === 'admitted') {
    const dx = rnd.pick(['K35.8', 'J18.9', 'S72.0', 'I63.9']);
    bills.push(bill(rnd, year, 'inpatient', level(rnd), dx, yuan(rnd, 3_000, 25_000), 0.08));
  }
  if (profile === 'serious') {
    const dx = rnd.pick(['C34.9', 'C16.9', 'N18.5', 'I21.9']);
    const admissions = 2 + rnd.int(3);
    for (let i = 0; i < admissions; i++) {
      bills.push(
        bill(rnd, year, 'inpatient', 3, dx, yuan(rnd, 20_000, 90_000), 0.12 + rnd.next() * 0.2),
      );
    }
  }
  return bills;
}

const level = (rnd: Random): HospitalLevel => {
  const r = rnd.next();
  return r < 0.3 ? 1 : r < 0.7 ? 2 : 3;
};

/** A whole amount of fen between two yuan figures, skewed toward the lower end. */
const yuan = (rnd: Random, lo: number, hi: number): number =>
  Math.round((lo + (hi - lo) * rnd.next() * rnd.next()) * 100);

function bill(
  rnd: Random,
  year: number,
  visitType: VisitType,
  hospitalLevel: HospitalLevel,
  diagnosis: string,
  total: number,
  ownPayShare: number,
): Bill {
  const month = 1 + rnd.int(12);
  const day = 1 + rnd.int(28);
  const own = Math.round(total * ownPayShare);
  const b = Math.round((total - own) * 0.3);
  const lines: BillLine[] = [{ amount: total - own - b, class: 'A' }];
  if (b > 0) lines.push({ amount: b, class: 'B' });
  if (own > 0) lines.push({ amount: own, class: 'C' });
  return {
    date: `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
    visitType,
    hospitalLevel,
    diagnosis,
    remote: null,
    lines,
  };
}
