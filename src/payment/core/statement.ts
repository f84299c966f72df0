/**
 * A month's statement per institution (docs/payment.md §7) from the month's settlements already
 * aggregated by the repository: every line shows the item-by-item amount (what the basic fund's
 * share of the bills came to) beside what the fund owes under the line's method. Cancellations
 * arrive as negative rows and net out; rows of an earlier, closed month arrive as adjustments.
 */
import {
  valueAt,
  type HospitalLevel,
  type PaymentMethod,
  type VisitType,
} from '../../policy/index.ts';
import { monthlyShare } from './capitation.ts';
import { addStays, NO_STAYS, perBedDayOwed, sumStays, type StaySums } from './per-bed-day.ts';
import { methodFor, packageOfResident, type ResolvedPayment } from './rules.ts';

/** One aggregate of a month's settlement rows (a statement's input). */
export interface StatementRow {
  institution: string;
  level: HospitalLevel;
  visitType: VisitType;
  diagnosis: string;
  /** The capitation area the person lives in (a region code prefix; '' none). */
  township: string;
  /** Days of the stay; null for a visit that is not a dated stay. */
  days: number | null;
  /**
   * The rows' stays already summed as per bed-day pays them (the database does so); when
   * present, `days` is not read.
   */
  stays?: StaySums;
  /**
   * Patients of the rows, net of cancellations (the database counts them for outpatient groups
   * paid per patient and month); absent, each bill counts as a patient.
   */
  patients?: number;
  /** The rows belong to an earlier month whose statement was already closed. */
  adjustment: boolean;
  /** Bills, net of cancellations. */
  count: number;
  /** The basic fund's share (hifp_pay), net of cancellations. */
  items: number;
}

export interface StatementLine {
  institution: string;
  method: PaymentMethod;
  group: string | null;
  level: HospitalLevel;
  package: string | null;
  adjustment: boolean;
  bills: number;
  items: number;
  owed: number;
  /** Set when the method could not apply and the line is paid by item instead. */
  note: string | null;
}

export interface Referral {
  package: string;
  institution: string;
  bills: number;
  items: number;
}

export interface InstitutionStatement {
  institution: string;
  lines: StatementLine[];
  items: number;
  owed: number;
  /** For a capitation centre: its residents' referral bills charged to its package. */
  referrals: Referral[];
}

interface Acc {
  line: StatementLine;
  stays: StaySums;
  patients: number;
}

/**
 * The statements of one month. `residents` gives each capitation package's insured residents
 * (the package's monthly share is owed on the centre's statement, §4).
 */
export function buildStatements(
  p: ResolvedPayment,
  month: number,
  rows: readonly StatementRow[],
  residents: ReadonlyMap<string, number>,
): InstitutionStatement[] {
  const lines = new Map<string, Acc>();
  const referrals = new Map<string, Referral>();
  for (const r of rows) {
    const choice = methodFor(p, r);
    let method = choice.method;
    let pkg: string | null = null;
    const resident = packageOfResident(p, r.township);
    if (method === 'capitation') {
      // Only the package's residents are covered; anyone else at the centre is paid by item.
      if (resident && resident.code === choice.package) pkg = resident.code;
      else method = 'fee_for_service';
    }
    if (
      resident &&
      r.institution !== resident.institution &&
      r.level >= resident.referralFromLevel
    ) {
      const key = `${resident.code}|${r.institution}`;
      const ref = referrals.get(key) ?? {
        package: resident.code,
        institution: r.institution,
        bills: 0,
        items: 0,
      };
      ref.bills += r.count;
      ref.items += r.items;
      referrals.set(key, ref);
    }
    const group = choice.group;
    const key = [r.institution, method, group ?? '', r.level, pkg ?? '', r.adjustment].join('|');
    let acc = lines.get(key);
    if (!acc) {
      acc = {
        line: {
          institution: r.institution,
          method,
          group,
          level: r.level,
          package: pkg,
          adjustment: r.adjustment,
          bills: 0,
          items: 0,
          owed: 0,
          note: null,
        },
        stays: NO_STAYS,
        patients: 0,
      };
      lines.set(key, acc);
    }
    acc.line.bills += r.count;
    acc.line.items += r.items;
    acc.patients += r.patients ?? r.count;
    if (method === 'per_bed_day') {
      acc.stays = addStays(
        acc.stays,
        r.stays ?? sumStays(p.bedDay, [{ days: r.days ?? 0, count: r.count, items: r.items }]),
      );
    }
  }
  const out = new Map<string, InstitutionStatement>();
  const stmt = (inst: string): InstitutionStatement => {
    let s = out.get(inst);
    if (!s) {
      s = { institution: inst, lines: [], items: 0, owed: 0, referrals: [] };
      out.set(inst, s);
    }
    return s;
  };
  for (const { line, stays, patients } of lines.values()) {
    line.owed = owedOf(p, line, stays, patients);
    stmt(line.institution).lines.push(line);
  }
  for (const pkg of p.packages) {
    const n = residents.get(pkg.code) ?? 0;
    const total = pkg.perCapita * n;
    stmt(pkg.institution).lines.push({
      institution: pkg.institution,
      method: 'capitation',
      group: null,
      level: 1,
      package: pkg.code,
      adjustment: false,
      bills: 0,
      items: 0,
      owed: monthlyShare(total, month),
      note: 'package_share',
    });
  }
  for (const ref of referrals.values()) {
    const pkg = p.packages.find((k) => k.code === ref.package)!;
    stmt(pkg.institution).referrals.push(ref);
  }
  const statements = [...out.values()].sort((a, b) => a.institution.localeCompare(b.institution));
  for (const s of statements) {
    s.lines.sort(lineOrder);
    s.referrals.sort((a, b) => a.institution.localeCompare(b.institution));
    s.items = s.lines.reduce((t, l) => t + l.items, 0);
    s.owed = s.lines.reduce((t, l) => t + l.owed, 0);
  }
  return statements;
}

const METHOD_ORDER: PaymentMethod[] = [
  'fee_for_service',
  'per_bed_day',
  'outpatient_group',
  'global_budget',
  'capitation',
];
const lineOrder = (a: StatementLine, b: StatementLine): number =>
  Number(a.adjustment) - Number(b.adjustment) ||
  METHOD_ORDER.indexOf(a.method) - METHOD_ORDER.indexOf(b.method) ||
  (a.group ?? '').localeCompare(b.group ?? '') ||
  (a.note ?? '').localeCompare(b.note ?? '');

/**
 * What a line is owed (§7): by item its items; per bed-day its stays at the rate (a stay without
 * dates, or a level without a rate, by item); an outpatient group its rate per bill or per patient
 * of the month; a global-budget line its items until clearing;
 * a capitation line nothing of its own — the package's monthly share is the centre's.
 */
function owedOf(
  p: ResolvedPayment,
  line: StatementLine,
  stays: StaySums,
  patients: number,
): number {
  switch (line.method) {
    case 'outpatient_group': {
      const g = p.outpatientGroups.find((x) => x.code === line.group)!;
      if (g.per === 'month') {
        line.note = 'per_patient_month';
        return patients * g.rate;
      }
      return line.bills * g.rate;
    }
    case 'fee_for_service':
    case 'global_budget':
      return line.items;
    case 'capitation':
      return 0;
    case 'per_bed_day': {
      const rate = p.rules.perBedDay.rates.find(
        (r) => r.group === line.group && r.level === line.level,
      );
      if (!rate) {
        line.note = 'no_rate';
        return line.items;
      }
      if (stays.undatedRows > 0) line.note = 'undated_stay';
      return perBedDayOwed(valueAt(rate.rate, p.date).value, p.bedDay, stays);
    }
  }
}
