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
 *
 * Every bill goes to a registered institution of its level (catalogue/demo-institutions.ts):
 * general and two-diseases visits to the health centre of the patient's township, chronic visits
 * to a county hospital. A chronic visit is made only for a disease the patient holds a
 * certificate for (or S004 for a registered severe mental disorder patient), a two-diseases visit
 * only for a filed patient, within the cover's dates, prescribing drugs of the two-diseases list
 * for no longer than the next visit — so the year settles (docs/chronic.md §3). A patient without
 * cover sees a general practitioner instead.
 */
import { Random } from '../../registry/index.ts';
import type { Category, HospitalLevel, VisitType } from '../../policy/index.ts';
import type { IsoDate } from '../../kernel/period.ts';
import {
  demoCatalogue,
  demoInstitutionsAt,
  townshipCentreOf,
  classOf,
  type CatalogueItem,
} from '../../catalogue/index.ts';
import type { Bill, BillLine } from '../bill.ts';

/** A certificate disease or a two-diseases filing, from/to inclusive (to null: open). */
export interface DemoCover {
  disease: string;
  from: IsoDate;
  to: IsoDate | null;
}

export interface DemoPatient {
  certno: string;
  categories: readonly Category[];
  /** Where the patient lives: their township's health centre sees their outpatient visits. */
  regionCode?: string;
  /** The certificate diseases (门诊慢特病证) the patient holds. */
  certificates?: readonly DemoCover[];
  /** The two-diseases filings (两病备案): `hypertension`, `diabetes`. */
  filings?: readonly DemoCover[];
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

const WATCHED: readonly Category[] = ['low_income_marginal', 'monitored'];
const CANCEL_RATE = 0.004;

/** A diagnosis for each disease of the demo catalogue (policies/demo-2022/diseases.yaml). */
export const DEMO_DIAGNOSES: Readonly<Record<string, string>> = {
  M001: 'I11.9',
  M002: 'E11.9',
  M003: 'I25.1',
  M004: 'I69.3',
  M005: 'J44.9',
  M006: 'M06.9',
  S001: 'C34.9',
  S002: 'N18.5',
  S003: 'Z94.0',
  S004: 'F20.0',
  hypertension: 'I10',
  diabetes: 'E11.9',
};

/** A two-diseases prescription is at most 30 days here (the rule allows 60). */
const PRESCRIPTION_DAYS = 30;

type Profile = 'light' | 'admitted' | 'serious';

function profileOf(rnd: Random, p: DemoPatient): Profile {
  const r = rnd.next();
  const serious = p.categories.some((c) => WATCHED.includes(c)) ? 0.35 : 0.025;
  if (r < serious) return 'serious';
  if (r < serious + 0.1) return 'admitted';
  return 'light';
}

/** The two-diseases drugs of the demo catalogue by disease (ATC C0… and A10…). */
function drugList(): Record<'hypertension' | 'diabetes', CatalogueItem[]> {
  const listed = demoCatalogue().filter((i) => i.twoDiseases && i.enddate === null);
  return {
    hypertension: listed.filter((i) => i.medListCodg.startsWith('XC0')),
    diabetes: listed.filter((i) => i.medListCodg.startsWith('XA10')),
  };
}

export function generateDemoBills(
  patients: readonly DemoPatient[],
  opts: DemoBillOptions,
): DemoBill[] {
  const rnd = new Random(opts.seed ^ 0x5e771e);
  const out: DemoBill[] = [];
  if (patients.length === 0) return out;
  const drugs = drugList();
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
    const visits = billsOf(rnd, p, profileOf(rnd, p), opts.year, drugs);
    prescribeUntilNextVisit(visits.map((v) => v.bill));
    for (const v of visits) {
      n++;
      out.push({
        msgid: `demo-${opts.year}-${String(n).padStart(7, '0')}`,
        certno: p.certno,
        fixmedinsCode: v.fixmedinsCode,
        bill: v.bill,
        cancel: rnd.next() < CANCEL_RATE,
      });
    }
  }
  return out.sort(
    (a, b) => a.bill.date.localeCompare(b.bill.date) || a.msgid.localeCompare(b.msgid),
  );
}

interface Visit {
  bill: Bill;
  fixmedinsCode: string;
}

function billsOf(
  rnd: Random,
  p: DemoPatient,
  profile: Profile,
  year: number,
  drugs: ReturnType<typeof drugList>,
): Visit[] {
  const out: Visit[] = [];
  const visits = 1 + rnd.int(4);
  const mental = p.categories.includes('severe_mental');
  const centre = p.regionCode ? townshipCentreOf(p.regionCode) : rnd.pick(demoInstitutionsAt(1));
  const general = () => ({
    bill: bill(rnd, year, 'general_outpatient', 1, 'J06.9', yuan(rnd, 30, 300), 0.05),
    fixmedinsCode: centre,
  });
  for (let i = 0; i < visits; i++) {
    const kind = rnd.next();
    if (mental && kind < 0.5) {
      // S004: the severe_mental flag covers it without a certificate.
      out.push({
        bill: bill(rnd, year, 'chronic_outpatient', 2, 'F20.0', yuan(rnd, 300, 1_500), 0),
        fixmedinsCode: rnd.pick(demoInstitutionsAt(2)),
      });
    } else if (kind < 0.55) {
      out.push(general());
    } else if (kind < 0.8) {
      const filing = coverIn(rnd, p.filings ?? [], year);
      const list = filing && drugs[filing.cover.disease as keyof typeof drugs];
      if (!filing || !list || list.length === 0) {
        out.push(general());
        continue;
      }
      const b = bill(rnd, year, 'two_diseases', 1, DEMO_DIAGNOSES[filing.cover.disease]!, 0, 0);
      b.date = filing.date;
      b.lines = drugLines(rnd, list, yuan(rnd, 80, 400));
      out.push({ bill: b, fixmedinsCode: centre });
    } else {
      const cert = coverIn(
        rnd,
        (p.certificates ?? []).filter((c) => DEMO_DIAGNOSES[c.disease] !== undefined),
        year,
      );
      if (!cert) {
        out.push(general());
        continue;
      }
      const diagnosis = DEMO_DIAGNOSES[cert.cover.disease]!;
      const b = bill(rnd, year, 'chronic_outpatient', 2, diagnosis, yuan(rnd, 200, 1_500), 0.05);
      b.date = cert.date;
      out.push({ bill: b, fixmedinsCode: rnd.pick(demoInstitutionsAt(2)) });
    }
  }
  if (profile === 'admitted') {
    const dx = rnd.pick(['K35.8', 'J18.9', 'S72.0', 'I63.9']);
    const lv = level(rnd);
    out.push({
      bill: bill(rnd, year, 'inpatient', lv, dx, yuan(rnd, 3_000, 25_000), 0.08),
      fixmedinsCode: rnd.pick(demoInstitutionsAt(lv)),
    });
  }
  if (profile === 'serious') {
    const dx = rnd.pick(['C34.9', 'C16.9', 'N18.5', 'I21.9']);
    const admissions = 2 + rnd.int(3);
    for (let i = 0; i < admissions; i++) {
      out.push({
        bill: bill(
          rnd,
          year,
          'inpatient',
          3,
          dx,
          yuan(rnd, 20_000, 90_000),
          0.12 + rnd.next() * 0.2,
        ),
        fixmedinsCode: rnd.pick(demoInstitutionsAt(3)),
      });
    }
  }
  return out;
}

const dayNumber = (d: IsoDate) =>
  Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10))) / 86_400_000;
const dateOf = (n: number): IsoDate => new Date(n * 86_400_000).toISOString().slice(0, 10);

/** One of the covers that holds some day of the year, and a day of the year it holds. */
function coverIn(
  rnd: Random,
  covers: readonly DemoCover[],
  year: number,
): { cover: DemoCover; date: IsoDate } | null {
  const yearFrom = dayNumber(`${year}-01-01`);
  const yearTo = dayNumber(`${year}-12-31`);
  const open = covers.flatMap((cover) => {
    const lo = Math.max(yearFrom, dayNumber(cover.from));
    const hi = Math.min(yearTo, cover.to === null ? yearTo : dayNumber(cover.to));
    return lo <= hi ? [{ cover, lo, hi }] : [];
  });
  if (open.length === 0) return null;
  const c = rnd.pick(open);
  return { cover: c.cover, date: dateOf(c.lo + rnd.int(c.hi - c.lo + 1)) };
}

/** One or two drugs of the two-diseases list for `total` fen, each line naming its item. */
function drugLines(rnd: Random, list: readonly CatalogueItem[], total: number): BillLine[] {
  const picks = rnd.next() < 0.5 ? [rnd.pick(list)] : [rnd.pick(list), rnd.pick(list)];
  const items = picks.filter(
    (it, i) => picks.findIndex((x) => x.medListCodg === it.medListCodg) === i,
  );
  const first = items.length === 1 ? total : Math.round(total * 0.6);
  return items.map((item, i) => {
    const line: BillLine = {
      amount: i === 0 ? first : total - first,
      class: classOf(item.chrgitmLv),
      itemCode: item.medListCodg,
    };
    if (line.class === 'B') line.selfPayRatio = item.selfpayProp;
    return line;
  });
}

/**
 * A patient's two-diseases prescriptions run until their next two-diseases visit (at most 30
 * days), so no drug is prescribed again while days of the last prescription remain.
 */
function prescribeUntilNextVisit(bills: readonly Bill[]): void {
  const two = bills
    .filter((b) => b.visitType === 'two_diseases')
    .sort((a, b) => a.date.localeCompare(b.date));
  two.forEach((b, i) => {
    const next = two[i + 1];
    const gap = next ? dayNumber(next.date) - dayNumber(b.date) : PRESCRIPTION_DAYS;
    const days = Math.max(1, Math.min(PRESCRIPTION_DAYS, gap));
    for (const l of b.lines) l.days = days;
  });
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
