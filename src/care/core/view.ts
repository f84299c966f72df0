/**
 * How a care list shows a person's ID number (docs/care.md §6): whole to those who may read whole
 * ID numbers and to the family doctors who keep the records (they key the record in by it),
 * masked to everyone else.
 */
import { can } from '../../kernel/access/roles.ts';
import { certnoFor } from '../../kernel/access/masking.ts';
import type { Actor } from '../../kernel/access/actor.ts';

export const shownCertno = (actor: Actor, certno: string): string =>
  can(actor, 'care:followup:create') ? certno : certnoFor(actor, certno);
