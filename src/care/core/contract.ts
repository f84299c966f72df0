/**
 * Family-doctor contracts (家庭医生签约, docs/care.md §1): who must have one, and the rules a
 * contract's dates follow. Pure: no I/O, no clock.
 */
import { unprocessable } from '../../kernel/errors.ts';
import type { IsoDate } from '../../kernel/period.ts';

/**
 * The poverty categories every one of whom should hold a contract (seed 004: every poor person
 * is contracted). The severe-mental flags are not poverty categories; their care is the care
 * team's (docs/care.md §1).
 */
export const POVERTY_CATEGORIES = [
  'extreme_poverty',
  'subsistence',
  'poverty_returned',
  'low_income_marginal',
  'monitored',
  'illness_poverty',
] as const;

export interface ContractInput {
  doctor: string;
  team: string;
  fixmedinsCode: string;
  validFrom: IsoDate;
  validTo?: IsoDate | null | undefined;
}

export interface ContractRow {
  contractId: number;
  certno: string;
  townshipCode: string;
  doctor: string;
  team: string;
  fixmedinsCode: string;
  validFrom: IsoDate;
  validTo: IsoDate | null;
  endedReason: string | null;
  createdBy: string;
  createdAt: string;
}

/** Is the contract in force on some day of the period `[from, to]`? */
export const contractCovers = (
  c: Pick<ContractRow, 'validFrom' | 'validTo'>,
  from: IsoDate,
  to: IsoDate,
) => c.validFrom <= to && (c.validTo === null || c.validTo >= from);

/**
 * A new contract: its end after its start, and after the start of the contract it replaces
 * (a change of doctor ends the running contract the day before the new one starts).
 */
export function checkContract(input: ContractInput, running: ContractRow | null): void {
  if (input.validTo != null && input.validTo < input.validFrom) {
    throw unprocessable(
      'care.contract_dates',
      'validTo',
      `签约截止日期 ${input.validTo} 早于起始日期 ${input.validFrom}`,
      `validTo ${input.validTo} is before validFrom ${input.validFrom}`,
    );
  }
  if (running && input.validFrom <= running.validFrom) {
    throw unprocessable(
      'care.contract_overlap',
      'validFrom',
      `该参保人已有 ${running.validFrom} 起的签约，新签约须晚于此日开始`,
      `the person holds a contract from ${running.validFrom}; a new one starts after that day`,
    );
  }
}
