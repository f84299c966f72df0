/** Enrolment, the employee-to-resident switch and refunds. */
import type { Actor } from '../../kernel/access/actor.ts';
import type { Month } from '../../kernel/period.ts';
import { enrolChanges, type EnrolRequest } from '../rules/enrol.ts';
import { employeeStopped } from '../rules/employee-stop.ts';
import { decideRefund, type RefundOutcome } from '../rules/refund.ts';
import type { RegistryContext } from './context.ts';
import type { RefundCutoffs } from './refund-cutoff.ts';
import { withPerson } from './with-person.ts';

export const enrol = (
  ctx: RegistryContext,
  actor: Actor,
  certno: string,
  req: EnrolRequest,
  reason: string,
) =>
  withPerson(ctx, {
    actor,
    certno,
    reason,
    action: 'registry.enrolment.create',
    decide: (rec, today) => {
      const r = enrolChanges(rec, req, today);
      return { changes: r.changes, result: { greenChannel: r.greenChannel } };
    },
  });

export const stopEmployeeInsurance = (
  ctx: RegistryContext,
  actor: Actor,
  certno: string,
  stoppedFrom: Month,
  reason: string,
) =>
  withPerson(ctx, {
    actor,
    certno,
    reason,
    action: 'registry.enrolment.employee_stopped',
    decide: (rec, today) => ({ changes: employeeStopped(rec, stoppedFrom, today), result: null }),
  });

/**
 * Decides and applies the refund for one person and year. `cutoffs` gives the pack's
 * refundCutoff for the person's county; without one the rule's default applies (31 December of
 * the year before).
 */
export const refundContribution = (
  ctx: RegistryContext,
  actor: Actor,
  certno: string,
  year: number,
  reason: string,
  cutoffs: RefundCutoffs = () => undefined,
) =>
  withPerson<RefundOutcome>(ctx, {
    actor,
    certno,
    reason,
    action: 'registry.enrolment.refund',
    decide: (rec, today) => {
      const cutoff = cutoffs(rec.person.regionCode, year);
      const { changes, outcome } = decideRefund(rec, { year, today, cutoff });
      return { changes, result: outcome };
    },
  });
