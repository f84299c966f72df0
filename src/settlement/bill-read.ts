/**
 * Reads a bill from a JSON object, rule by rule, into a typed `Bill`. The money and ratio units
 * are the caller's: the trial reads yuan and fractions, a fen-based caller passes `FEN_UNITS`.
 * The first broken rule is raised with its field path (docs/settlement.md §6).
 */
import { unprocessable } from '../kernel/errors.ts';
import { MAX_LINE_FEN, parseYuan, type Fen } from '../kernel/money.ts';
import { FULL, type Bp } from '../kernel/ratio.ts';
import type { HospitalLevel } from '../policy/index.ts';
import type { Bill, BillLine, LineClass } from './bill.ts';
import {
  asRule,
  checkArray,
  checkBp,
  checkDate,
  checkDays,
  checkDiagnosis,
  checkFen,
  checkHospitalLevel,
  checkItemCode,
  checkLineClass,
  checkObject,
  checkRemote,
  checkVisitType,
} from './field-rules.ts';

export interface Units {
  /** A non-negative amount, to fen. */
  money(v: unknown, field: string): Fen;
  /** A ratio, to basis points in [0, 10,000]. */
  ratio(v: unknown, field: string): Bp;
}

export const FEN_UNITS: Units = { money: checkFen, ratio: checkBp };

export const BILL_FIELDS = [
  'date',
  'visitType',
  'hospitalLevel',
  'diagnosis',
  'remote',
  'lines',
] as const;
export const LINE_FIELDS = ['amount', 'class', 'overLimit', 'selfPayRatio', 'days'] as const;
/** A persistent bill's line may also name its catalogue item (docs/chronic.md §3). */
const REQUEST_LINE_FIELDS = [...LINE_FIELDS, 'itemCode'] as const;

/**
 * A bill as a settle request sends it: the hospital level is the registered institution's, so the
 * request may leave it out (null); when it gives one, the service checks that it agrees.
 */
export interface RequestBill extends Omit<Bill, 'hospitalLevel'> {
  hospitalLevel: HospitalLevel | null;
}

/** A settle request's bill: lines may carry `itemCode`, the hospital level is optional. */
export function readRequestBill(raw: unknown, field: string, units: Units): RequestBill {
  const o = checkObject(raw, field, BILL_FIELDS);
  return {
    date: checkDate(o.date, `${field}.date`),
    visitType: checkVisitType(o.visitType, `${field}.visitType`),
    hospitalLevel:
      o.hospitalLevel === undefined || o.hospitalLevel === null
        ? null
        : checkHospitalLevel(o.hospitalLevel, `${field}.hospitalLevel`),
    diagnosis: checkDiagnosis(o.diagnosis, `${field}.diagnosis`),
    remote: checkRemote(o.remote ?? null, `${field}.remote`),
    lines: checkArray(o.lines, `${field}.lines`, true).map((l, i) =>
      readLine(l, `${field}.lines[${i}]`, units, true),
    ),
  };
}

/** `extra` names fields a caller's document adds to a bill (the trial's `id`). */
export function readBill(
  raw: unknown,
  field: string,
  units: Units,
  extra: readonly string[] = [],
): Bill {
  const o = checkObject(raw, field, [...BILL_FIELDS, ...extra]);
  return {
    date: checkDate(o.date, `${field}.date`),
    visitType: checkVisitType(o.visitType, `${field}.visitType`),
    hospitalLevel: checkHospitalLevel(o.hospitalLevel, `${field}.hospitalLevel`),
    diagnosis: checkDiagnosis(o.diagnosis, `${field}.diagnosis`),
    // An absent remote status means local treatment, as null does.
    remote: checkRemote(o.remote ?? null, `${field}.remote`),
    lines: checkArray(o.lines, `${field}.lines`, true).map((l, i) =>
      readLine(l, `${field}.lines[${i}]`, units),
    ),
  };
}

export function readLine(raw: unknown, field: string, units: Units, itemCodes = false): BillLine {
  const o = checkObject(raw, field, itemCodes ? REQUEST_LINE_FIELDS : LINE_FIELDS);
  const cls = checkLineClass(o.class, `${field}.class`);
  const amount = units.money(o.amount, `${field}.amount`);
  if (amount > MAX_LINE_FEN) {
    throw unprocessable(
      'bill.amount_too_large',
      `${field}.amount`,
      `${field}.amount 金额超过单项上限 99,999,999.99 元`,
      `${field}.amount is above the line limit of 99,999,999.99 yuan`,
    );
  }
  const line: BillLine = { amount, class: cls };
  if (o.overLimit !== undefined && o.overLimit !== null) {
    const overLimit = units.money(o.overLimit, `${field}.overLimit`);
    if (overLimit > amount) {
      throw unprocessable(
        'bill.over_limit_above_amount',
        `${field}.overLimit`,
        `${field}.overLimit 超限价金额不能大于明细金额`,
        `${field}.overLimit must not exceed the line amount`,
      );
    }
    if (overLimit > 0) refuseUnless(cls !== 'C', field, 'overLimit', cls);
    line.overLimit = overLimit;
  }
  if (o.selfPayRatio !== undefined && o.selfPayRatio !== null) {
    const ratio = units.ratio(o.selfPayRatio, `${field}.selfPayRatio`);
    // A ratio on a class A or C line is only accepted when it says what the class already means
    // (甲类 0, 丙类 100 %), as HIS systems often send it; any other value is a data error.
    const implied = cls === 'A' ? 0 : cls === 'C' ? 10_000 : ratio;
    refuseUnless(ratio === implied, field, 'selfPayRatio', cls);
    if (cls === 'B') line.selfPayRatio = ratio;
  }
  if (o.days !== undefined && o.days !== null) line.days = checkDays(o.days, `${field}.days`);
  if (o.itemCode !== undefined && o.itemCode !== null) {
    line.itemCode = checkItemCode(o.itemCode, `${field}.itemCode`);
  }
  return line;
}

/**
 * A bill that settles must cost something: a bill of 0.00 is an error at the window, not a
 * settlement (the trial still computes one, as a what-if).
 */
export function requireCost(bill: Pick<Bill, 'lines'>, field: string): void {
  if (bill.lines.some((l) => l.amount > 0)) return;
  throw unprocessable(
    'bill.zero_total',
    `${field}.lines`,
    `${field}.lines 费用合计为 0.00 元，不能结算`,
    `${field}.lines add up to 0.00 yuan; nothing to settle`,
  );
}

function refuseUnless(ok: boolean, field: string, key: string, cls: LineClass): void {
  if (ok) return;
  throw unprocessable(
    'bill.field_not_for_class',
    `${field}.${key}`,
    `${field}.${key} 不适用于${cls === 'A' ? '甲' : '丙'}类费用`,
    `${field}.${key} does not apply to a class ${cls} line`,
  );
}

/** Yuan (number or string, at most two decimals, not negative) to fen. */
function yuanToFen(v: unknown, field: string): Fen {
  if (typeof v !== 'number' && typeof v !== 'string') {
    throw unprocessable(
      'money.not_a_number',
      field,
      `${field} 应为金额（元）`,
      `${field} must be an amount in yuan`,
    );
  }
  return asRule(() => parseYuan(v, field));
}

/**
 * A ratio is written as a fraction, like the national `selfpay_prop` (0.1 = 10 %), with at most
 * four decimals (one basis point). A percent such as 10 is refused as out of range rather than
 * guessed at, so a misread unit never settles silently.
 */
function fractionToBp(v: unknown, field: string): Bp {
  const bp = typeof v === 'number' ? Math.round(v * FULL) : NaN;
  if (typeof v === 'number' && bp >= 0 && bp <= FULL && Math.abs(v * FULL - bp) < 1e-6) return bp;
  throw unprocessable(
    'bill.ratio_range',
    field,
    `${field} 应为 0 到 1 之间的小数（如 0.1 表示 10%），最多四位小数：${JSON.stringify(v)}`,
    `${field} must be a fraction from 0 to 1 (0.1 = 10 %) with at most four decimals: ${JSON.stringify(v)}`,
  );
}

export const YUAN_UNITS: Units = { money: yuanToFen, ratio: fractionToBp };
