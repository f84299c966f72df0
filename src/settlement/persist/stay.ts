/**
 * The dates of an inpatient stay a settlement request may carry (docs/payment.md §3): read and
 * checked at the edge, kept in `settlement_stay` once the settlement is written. The bill itself
 * and its calculation do not change: only payment reads the days.
 */
import { invalid, unprocessable } from '../../kernel/errors.ts';
import type { IsoDate } from '../../kernel/period.ts';
import type { Queryable } from '../../db/db.ts';
import { checkDate } from '../field-rules.ts';

export interface Stay {
  admission: IsoDate;
  discharge: IsoDate;
}

/**
 * A stay from a request's optional `admissionDate` and `dischargeDate` (the discharge defaults
 * to the bill date and, when given, is the bill date: a stay settles on discharge). Only an
 * inpatient bill has one; a discharge before the admission is refused naming the field.
 */
export function readStay(
  raw: { admissionDate?: unknown; dischargeDate?: unknown },
  bill: { date: IsoDate; visitType: string },
  field: string,
): Stay | null {
  const given = raw.admissionDate != null || raw.dischargeDate != null;
  if (!given) return null;
  if (bill.visitType !== 'inpatient') {
    throw unprocessable(
      'settlement.stay_not_inpatient',
      `${field}.admissionDate`,
      '只有住院结算带入院、出院日期',
      'only an inpatient bill carries admission and discharge dates',
    );
  }
  if (raw.admissionDate == null) {
    throw invalid(
      'settlement.admission_required',
      `${field}.admissionDate`,
      '有出院日期时须填写入院日期',
      'a discharge date needs the admission date',
    );
  }
  const admission = checkDate(raw.admissionDate, `${field}.admissionDate`);
  const discharge =
    raw.dischargeDate == null ? bill.date : checkDate(raw.dischargeDate, `${field}.dischargeDate`);
  if (discharge < admission) {
    throw invalid(
      'settlement.discharge_before_admission',
      `${field}.dischargeDate`,
      `出院日期（${discharge}）早于入院日期（${admission}）`,
      `the discharge (${discharge}) precedes the admission (${admission})`,
    );
  }
  if (discharge !== bill.date) {
    throw unprocessable(
      'settlement.discharge_not_bill_date',
      `${field}.dischargeDate`,
      `住院结算日期应为出院日期（${discharge}），而非 ${bill.date}`,
      `an inpatient bill is dated on its discharge (${discharge}), not ${bill.date}`,
    );
  }
  return { admission, discharge };
}

/** Keeps a written settlement's stay; a repeat of the same settlement writes nothing. */
export async function recordStay(
  q: Queryable,
  certno: string,
  settlementId: number,
  stay: Stay,
): Promise<void> {
  await q.query(
    `INSERT INTO settlement_stay (certno, settlement_id, admission_date, discharge_date)
     VALUES ($1, $2, $3::date, $4::date) ON CONFLICT DO NOTHING`,
    [certno, settlementId, stay.admission, stay.discharge],
  );
}
