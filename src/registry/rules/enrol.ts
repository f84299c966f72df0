/**
 * Enrolling a person in a scheme for a medical year. Resident benefits start by the green-channel
 * rule (green-channel.ts); employee insurance covers from the day it is paid. The contribution
 * type must agree with the amounts: fee-exempt people pay nothing, funded enrolment names the
 * fund that paid and how much.
 */
import { conflict, invalid, unprocessable } from '../../kernel/errors.ts';
import type { Fen } from '../../kernel/money.ts';
import type { IsoDate } from '../../kernel/period.ts';
import type { ContributionType, FlagFields, PersonRecord, Scheme } from '../model.ts';
import { assertNever } from '../never.ts';
import type { Change } from './change.ts';
import { yearStart } from '../../kernel/dates.ts';
import {
  benefitStart,
  newlyFlagged,
  type BenefitStart,
  type BenefitStartOptions,
} from './green-channel.ts';

export interface EnrolRequest {
  year: number;
  scheme: Scheme;
  contributionType: ContributionType;
  contribution: Fen;
  fundedAmount: Fen;
  funder: string | null;
  enrolledOn: IsoDate;
}

export function enrolChanges(
  rec: PersonRecord,
  req: EnrolRequest,
  today: IsoDate,
  opts?: BenefitStartOptions,
): { changes: Change[]; greenChannel: boolean } {
  if (rec.person.status === 'deceased') {
    throw conflict('person.deceased', 'certno', '此人已死亡，不能参保', 'the person is deceased');
  }
  if (req.enrolledOn > today) {
    throw invalid(
      'date.future',
      'enrolledOn',
      '参保日期不能晚于今天',
      'enrolledOn is in the future',
    );
  }
  if (rec.enrolments.some((e) => e.medicalYear === req.year && e.scheme === req.scheme)) {
    throw conflict(
      'enrolment.exists',
      'year',
      `${req.year} 年度已有${req.scheme === 'resident' ? '居民' : '职工'}医保参保登记`,
      `already enrolled in ${req.scheme} insurance for ${req.year}`,
    );
  }
  checkAmounts(req);
  const start = benefitFromFor(rec.flags, req, opts);
  const changes: Change[] = [
    {
      kind: 'create_enrolment',
      enrolment: {
        medicalYear: req.year,
        scheme: req.scheme,
        contributionType: req.contributionType,
        contribution: req.contribution,
        fundedAmount: req.fundedAmount,
        funder: req.funder,
        enrolledOn: req.enrolledOn,
        benefitFrom: start.benefitFrom,
        benefitTo: null,
        endReason: null,
        refund: 0,
        refundedOn: null,
      },
    },
  ];
  return { changes, greenChannel: start.greenChannel };
}

/**
 * When the enrolment's benefits start: resident insurance by the green-channel rule, employee
 * insurance from the day it is paid (or 1 January when paid before the year).
 */
export function benefitFromFor(
  flags: readonly Pick<FlagFields, 'category' | 'fromMonth' | 'toMonth' | 'recognisedOn'>[],
  req: Pick<EnrolRequest, 'year' | 'scheme' | 'enrolledOn'>,
  opts?: BenefitStartOptions,
): BenefitStart {
  if (req.scheme === 'resident') {
    return benefitStart(
      req.year,
      req.enrolledOn,
      newlyFlagged(flags, req.year, req.enrolledOn),
      opts,
    );
  }
  const from = yearStart(req.year);
  return { benefitFrom: req.enrolledOn < from ? from : req.enrolledOn, greenChannel: false };
}

/** Do the amounts agree with the contribution type? Shared with the import's row checks. */
export function checkAmounts(req: EnrolRequest): void {
  switch (req.contributionType) {
    case 'paid':
      if (req.fundedAmount !== 0) {
        throw unprocessable(
          'enrolment.funded_not_allowed',
          'fundedAmount',
          '个人缴费的参保不应有资助金额（请用资助参保）',
          'a paid enrolment has no funded amount (use funded_enrolment)',
        );
      }
      return;
    case 'fee_exemption':
      if (req.contribution !== 0 || req.fundedAmount !== 0) {
        throw unprocessable(
          'enrolment.exempt_paid',
          'contribution',
          '免缴费认定人员个人缴费应为0',
          'a fee-exempt enrolment has no contribution',
        );
      }
      return;
    case 'funded_enrolment':
      if (req.fundedAmount <= 0 || !req.funder) {
        throw unprocessable(
          'enrolment.funding_missing',
          req.fundedAmount <= 0 ? 'fundedAmount' : 'funder',
          '资助参保须填写资助金额和资助方',
          'a funded enrolment needs the funded amount and the funder',
        );
      }
      return;
    default:
      assertNever(req.contributionType, 'contribution type');
  }
}
