/**
 * Medicine delivered to the door (docs/care.md §8): who is eligible, and what a delivery's bill
 * is. Pure: the person's certificate and filings, and the catalogue's items, are given.
 */
import { unprocessable } from '../../kernel/errors.ts';
import type { IsoDate } from '../../kernel/period.ts';

export const DISABILITIES = ['disabled', 'semi_disabled'] as const;
export type Disability = (typeof DISABILITIES)[number];
export type DeliveryVisitType = 'chronic_outpatient' | 'two_diseases';

export interface CoverageFacts {
  /** Certificate diseases: code and validity, ended ones left out. */
  certified: { disease: string; validFrom: IsoDate; validTo: IsoDate | null }[];
  filings: { disease: string; validFrom: IsoDate; validTo: IsoDate | null }[];
}

const holds = (d: { validFrom: IsoDate; validTo: IsoDate | null }, day: IsoDate) =>
  d.validFrom <= day && (d.validTo === null || d.validTo >= day);

/**
 * The visit a delivery of `disease` settles as: a two-diseases visit for hypertension or
 * diabetes the person is filed for, a chronic visit for a certified disease. Anything else is not
 * eligible — the field named is `disease`.
 */
export function deliveryBasis(
  disease: string,
  facts: CoverageFacts,
  day: IsoDate,
): DeliveryVisitType {
  if (disease === 'hypertension' || disease === 'diabetes') {
    if (facts.filings.some((f) => f.disease === disease && holds(f, day))) return 'two_diseases';
    throw unprocessable(
      'care.not_eligible',
      'disease',
      `参保人在 ${day} 没有${disease === 'hypertension' ? '高血压' : '糖尿病'}两病备案，不能纳入送药上门`,
      `the person is not filed for ${disease} on ${day}: not eligible for delivery`,
    );
  }
  if (facts.certified.some((c) => c.disease === disease && holds(c, day)))
    return 'chronic_outpatient';
  throw unprocessable(
    'care.not_eligible',
    'disease',
    `参保人在 ${day} 的门诊慢特病证不含病种 ${disease}，不能纳入送药上门`,
    `the person holds no certificate for ${disease} on ${day}: not eligible for delivery`,
  );
}

export interface CatalogueDrug {
  code: string;
  name: string;
  chrgitmLv: '01' | '02' | '03';
  selfpayProp: number;
  twoDiseases: boolean;
}

export interface DeliveryLineInput {
  itemCode: string;
  /** Yuan, as the window's bills are given. */
  amount: number;
  days: number;
  quantity?: number | null | undefined;
}

export interface DeliveryLine extends DeliveryLineInput {
  name: string;
  class: 'A' | 'B' | 'C';
  selfPayRatio: number;
}

const CLASS = { '01': 'A', '02': 'B', '03': 'C' } as const;

/**
 * The delivery's lines as bill lines: each a drug of the catalogue on the day (the chronic supply
 * list), for a two-diseases delivery a drug of the two-diseases list.
 */
export function deliveryLines(
  lines: readonly DeliveryLineInput[],
  drugs: ReadonlyMap<string, CatalogueDrug>,
  visitType: DeliveryVisitType,
): DeliveryLine[] {
  return lines.map((l, i) => {
    const d = drugs.get(l.itemCode);
    if (!d || (visitType === 'two_diseases' && !d.twoDiseases)) {
      throw unprocessable(
        'care.not_supply_item',
        `lines[${i}].itemCode`,
        `${l.itemCode} 不是${visitType === 'two_diseases' ? '两病用药目录' : '慢性病供药目录'}内的药品`,
        `${l.itemCode} is not a drug of the ${visitType === 'two_diseases' ? 'two-diseases drug list' : 'chronic supply list'}`,
      );
    }
    return { ...l, name: d.name, class: CLASS[d.chrgitmLv], selfPayRatio: d.selfpayProp / 10_000 };
  });
}

/** The message id of a person's delivery for a month: a repeat settles nothing twice. */
export const deliveryMsgid = (certno: string, month: string) => `care-delivery-${certno}-${month}`;
