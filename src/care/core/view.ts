/**
 * How a care list shows a person's ID number (docs/care.md §6): whole to those who may read whole
 * ID numbers and to the family doctors who keep the records (they key the record in by it),
 * masked to everyone else.
 */
import { can } from '../../auth/roles.ts';
import { certnoFor } from '../../auth/masking.ts';
import type { Actor } from '../../auth/types.ts';

export const shownCertno = (actor: Actor, certno: string): string =>
  can(actor, 'care:followup:create') ? certno : certnoFor(actor, certno);
