/** A registry change in words a reviewer of the dry run reads: which flag, enrolment or refund. */
import type { PersonRecord, Change } from '../../registry/index.ts';

export type ChangeView =
  | { what: 'person'; patch: Record<string, unknown> }
  | { what: 'flag.create'; category: string; fromMonth: string; recognisedOn: string | null }
  | { what: 'flag.end'; flagId: number; category: string; toMonth: string; endReason: string }
  | {
      what: 'enrolment.create';
      year: number;
      scheme: string;
      contributionType: string;
      benefitFrom: string;
    }
  | {
      what: 'enrolment.update';
      enrolmentId: number;
      year: number | null;
      patch: Record<string, unknown>;
    };

export function describeChange(before: PersonRecord, c: Change): ChangeView {
  switch (c.kind) {
    case 'update_person':
      return { what: 'person', patch: { ...c.patch } };
    case 'create_flag':
      return {
        what: 'flag.create',
        category: c.flag.category,
        fromMonth: c.flag.fromMonth,
        recognisedOn: c.flag.recognisedOn,
      };
    case 'end_flag':
      return {
        what: 'flag.end',
        flagId: c.flagId,
        category: before.flags.find((f) => f.flagId === c.flagId)?.category ?? '',
        toMonth: c.toMonth,
        endReason: c.endReason,
      };
    case 'create_enrolment':
      return {
        what: 'enrolment.create',
        year: c.enrolment.medicalYear,
        scheme: c.enrolment.scheme,
        contributionType: c.enrolment.contributionType,
        benefitFrom: c.enrolment.benefitFrom,
      };
    case 'update_enrolment':
      return {
        what: 'enrolment.update',
        enrolmentId: c.enrolmentId,
        year: before.enrolments.find((e) => e.enrolmentId === c.enrolmentId)?.medicalYear ?? null,
        patch: { ...c.patch },
      };
    default: {
      const never: never = c;
      throw new Error(`unknown change ${JSON.stringify(never)}`);
    }
  }
}
