/** Adding a flag and ending one (exit, cancellation, correction). */
import type { Actor } from '../../kernel/access/actor.ts';
import { notFound } from '../../kernel/errors.ts';
import type { Month } from '../../kernel/period.ts';
import { addFlagChanges, type NewFlag } from '../rules/flag-add.ts';
import { endFlag, type FlagEndRequest } from '../rules/flag-end.ts';
import type { RegistryContext } from './context.ts';
import { withPerson } from './with-person.ts';

export const addFlag = (
  ctx: RegistryContext,
  actor: Actor,
  certno: string,
  flag: NewFlag,
  reason: string,
) =>
  withPerson(ctx, {
    actor,
    certno,
    reason,
    action: 'registry.flag.create',
    decide: (rec, today) => ({ changes: addFlagChanges(rec, flag, today), result: null }),
  });

export const endFlagFor = (
  ctx: RegistryContext,
  actor: Actor,
  certno: string,
  flagId: number,
  lastMonth: Month,
  endReason: FlagEndRequest,
  reason: string,
) =>
  withPerson(ctx, {
    actor,
    certno,
    reason,
    // The audit log insists that a `.correct` or `.cancel…` action says why.
    action: endReason === 'correction' ? 'registry.flag.correct' : `registry.flag.${endReason}`,
    decide: (rec) => {
      const flag = rec.flags.find((f) => f.flagId === flagId);
      if (!flag) {
        throw notFound(
          'flag.not_found',
          'flagId',
          `没有这个标识：${flagId}`,
          `no such flag: ${flagId}`,
        );
      }
      return { changes: endFlag(flag, lastMonth, endReason), result: null };
    },
  });
