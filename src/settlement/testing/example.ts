/** The trial document of docs/settlement.md §6, exactly as the spec prints it, and a stand-in pack. */
import type { BillContext } from '../../policy/types.ts';
import type { PackSource } from '../trial.ts';
import { basic, params, resolved, subsistenceInpatientL2 } from './params.ts';

export const EXAMPLE = {
  pack: 'demo-2022',
  person: { categories: [{ code: 'subsistence', from: '2022-01', to: null }] },
  bills: [
    {
      id: 'b1',
      date: '2022-03-15',
      visitType: 'inpatient',
      hospitalLevel: 2,
      diagnosis: 'K35.8',
      remote: null,
      lines: [
        { amount: 12000, class: 'A' },
        { amount: 3000, class: 'B' },
        { amount: 500, class: 'C' },
      ],
    },
  ],
};

/** A stand-in for the pack: the §6 parameters for `subsistence`, 50 % and nothing else otherwise. */
export const handResolver = (ctx: BillContext) =>
  ctx.categories.includes('subsistence')
    ? subsistenceInpatientL2(ctx)
    : params({ context: ctx, basic: basic({ ratio: resolved('r', 5_000) }) });

export const handPacks = (seen: string[] = []): PackSource => ({
  packFor: async (name) => {
    seen.push(name);
    return { resolve: handResolver, diseases: [] };
  },
});
