/** Death, missing and found: the person's status, with the rules' effects on flags and enrolments. */
import type { Actor } from '../../kernel/access/actor.ts';
import type { IsoDate } from '../../kernel/period.ts';
import { recordDeath } from '../rules/death.ts';
import { markFound, markMissing } from '../rules/missing.ts';
import type { RegistryContext } from './context.ts';
import { withPerson } from './with-person.ts';

export const recordDeathFor = (
  ctx: RegistryContext,
  actor: Actor,
  certno: string,
  deathDate: IsoDate,
  reason: string,
) =>
  withPerson(ctx, {
    actor,
    certno,
    reason,
    action: 'registry.person.death',
    decide: (rec, today) => ({ changes: recordDeath(rec, deathDate, today), result: null }),
  });

export const markMissingFor = (
  ctx: RegistryContext,
  actor: Actor,
  certno: string,
  since: IsoDate,
  familyKeepsLooking: boolean,
  reason: string,
) =>
  withPerson(ctx, {
    actor,
    certno,
    reason,
    action: 'registry.person.missing',
    decide: (rec, today) => ({
      changes: markMissing(rec.person, since, familyKeepsLooking, today),
      result: null,
    }),
  });

export const markFoundFor = (ctx: RegistryContext, actor: Actor, certno: string, reason: string) =>
  withPerson(ctx, {
    actor,
    certno,
    reason,
    action: 'registry.person.found',
    decide: (rec) => ({ changes: markFound(rec.person), result: null }),
  });
