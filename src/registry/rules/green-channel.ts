/**
 * When benefits start (绿色通道). Enrolling before the medical year (the collection period) gives
 * benefits from 1 January. Enrolling during the year normally waits `waitingMonths` whole months
 * after the month of enrolment; a newly flagged person (an assisted category recognised this
 * year and held in the month of enrolment) takes the green channel and is covered from the day
 * of enrolment.
 */
import { invalid } from '../../kernel/errors.ts';
import { addMonths, medicalYear, monthOf, type IsoDate } from '../../kernel/period.ts';
import { ASSISTED_CATEGORIES, flagHolds, type FlagFields } from '../model.ts';
import { firstDay, recognitionDay, yearStart } from '../../kernel/dates.ts';

export interface BenefitStartOptions {
  /** Ordinary mid-year waiting period; a pack parameter once packs carry it. */
  waitingMonths: number;
}

export const DEFAULT_BENEFIT_START: BenefitStartOptions = { waitingMonths: 3 };

/** Is the person newly flagged for `year` as of `enrolledOn`? */
export function newlyFlagged(
  flags: readonly Pick<FlagFields, 'category' | 'fromMonth' | 'toMonth' | 'recognisedOn'>[],
  year: number,
  enrolledOn: IsoDate,
): boolean {
  const month = monthOf(enrolledOn);
  return flags.some((f) => {
    const recognised = recognitionDay(f);
    return (
      ASSISTED_CATEGORIES.includes(f.category) &&
      flagHolds(f, month) &&
      recognised >= yearStart(year) &&
      recognised <= enrolledOn
    );
  });
}

export interface BenefitStart {
  benefitFrom: IsoDate;
  greenChannel: boolean;
}

export function benefitStart(
  year: number,
  enrolledOn: IsoDate,
  isNewlyFlagged: boolean,
  opts: BenefitStartOptions = DEFAULT_BENEFIT_START,
): BenefitStart {
  if (medicalYear(enrolledOn) > year) {
    throw invalid(
      'enrolment.after_year',
      'enrolledOn',
      `参保日期 ${enrolledOn} 晚于参保年度 ${year}`,
      `enrolledOn ${enrolledOn} is after the medical year ${year}`,
    );
  }
  if (enrolledOn < yearStart(year)) return { benefitFrom: yearStart(year), greenChannel: false };
  if (isNewlyFlagged) return { benefitFrom: enrolledOn, greenChannel: true };
  return {
    benefitFrom: firstDay(addMonths(monthOf(enrolledOn), opts.waitingMonths)),
    greenChannel: false,
  };
}
