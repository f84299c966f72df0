/**
 * Refunds of personal contributions (Wenshang seed, problem 5, and step 2 of the closed loop):
 *  - a poverty-alleviation target (poverty_returned) gets every personal contribution back;
 *  - 低保/特困 recognised on or before the cut-off (31 December of the year before, a pack
 *    parameter) get it back; those recognised later keep their paid enrolment (不再退费);
 *  - once refunded the enrolment is fee-exempt (免缴费认定), which the seed found sometimes
 *    forgotten;
 *  - a key-category person not yet enrolled is enrolled fee-exempt (未参保的进行免缴费认定), with
 *    benefits from the green channel when enrolled mid-year.
 */
import type { Fen } from '../../kernel/money.ts';
import type { IsoDate } from '../../kernel/period.ts';
import { conflict, unprocessable } from '../../kernel/errors.ts';
import type { Category } from '../../policy/index.ts';
import { KEY_CATEGORIES, flagHoldsInYear, type Flag, type PersonRecord } from '../model.ts';
import type { Change } from './change.ts';
import { recognitionDay, yearEnd } from '../../kernel/dates.ts';
import { benefitStart, newlyFlagged, type BenefitStartOptions } from './green-channel.ts';

export type NoRefundReason =
  'already_fee_exempt' | 'already_refunded' | 'nothing_paid' | 'recognised_after_cutoff';

export type RefundOutcome =
  | { kind: 'refund'; amount: Fen; basis: Category }
  | { kind: 'enrol_fee_exempt'; basis: Category }
  | { kind: 'no_refund'; reason: NoRefundReason };

export interface RefundDecision {
  outcome: RefundOutcome;
  changes: Change[];
}

const none = (reason: NoRefundReason): RefundDecision => ({
  outcome: { kind: 'no_refund', reason },
  changes: [],
});

/** The default cut-off: 31 December of the year before the medical year. */
export const defaultRefundCutoff = (year: number): IsoDate => yearEnd(year - 1);

export interface RefundInput {
  year: number;
  today: IsoDate;
  /** 低保/特困 recognised on or before this day are refunded. */
  cutoff?: IsoDate;
  benefitStart?: BenefitStartOptions;
}

export function decideRefund(rec: PersonRecord, input: RefundInput): RefundDecision {
  const { year, today } = input;
  const cutoff = input.cutoff ?? defaultRefundCutoff(year);
  const held = rec.flags.filter(
    (f) => KEY_CATEGORIES.includes(f.category) && flagHoldsInYear(f, year),
  );
  if (held.length === 0) {
    throw unprocessable(
      'refund.no_key_category',
      'year',
      `${year} 年度未持有特困、低保或返贫致贫标识`,
      `holds no extreme_poverty, subsistence or poverty_returned flag in ${year}`,
    );
  }
  const basis = refundBasis(held, cutoff);
  const enrolment = rec.enrolments.find((e) => e.scheme === 'resident' && e.medicalYear === year);
  if (!enrolment) {
    if (rec.person.status === 'deceased') {
      throw conflict('person.deceased', 'certno', '此人已死亡，不能参保', 'the person is deceased');
    }
    const start = benefitStart(
      year,
      today,
      newlyFlagged(rec.flags, year, today),
      input.benefitStart,
    );
    return {
      outcome: { kind: 'enrol_fee_exempt', basis: held[0]!.category },
      changes: [
        {
          kind: 'create_enrolment',
          enrolment: {
            medicalYear: year,
            scheme: 'resident',
            contributionType: 'fee_exemption',
            contribution: 0,
            fundedAmount: 0,
            funder: null,
            enrolledOn: today,
            benefitFrom: start.benefitFrom,
            benefitTo: null,
            endReason: null,
            refund: 0,
            refundedOn: null,
          },
        },
      ],
    };
  }
  if (enrolment.refund > 0) return none('already_refunded');
  if (enrolment.contributionType === 'fee_exemption') return none('already_fee_exempt');
  if (enrolment.contribution === 0) return none('nothing_paid');
  if (!basis) return none('recognised_after_cutoff');
  return {
    outcome: { kind: 'refund', amount: enrolment.contribution, basis },
    changes: [
      {
        kind: 'update_enrolment',
        enrolmentId: enrolment.enrolmentId,
        patch: {
          refund: enrolment.contribution,
          refundedOn: today,
          contributionType: 'fee_exemption',
        },
      },
    ],
  };
}

/** The category that earns a refund, if any: poverty_returned always, 低保/特困 by the cut-off. */
function refundBasis(held: readonly Flag[], cutoff: IsoDate): Category | null {
  if (held.some((f) => f.category === 'poverty_returned')) return 'poverty_returned';
  const early = held.find((f) => recognitionDay(f) <= cutoff);
  return early ? early.category : null;
}
