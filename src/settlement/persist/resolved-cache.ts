/**
 * The parameters of a bill resolved from its pack, kept for the bills that follow with the same
 * facts: a county's bills share a few hundred combinations of date, visit type, hospital level,
 * diagnosis and categories, and resolving one walks the pack's dated values, which
 * costs far more than the calculation itself. Resolution is pure, so a kept answer is the answer.
 * Entries are frozen: a calculator that wrote into shared parameters would throw, not corrupt
 * the next bill.
 */
import {
  resolveBill,
  type PolicyPack,
  type BillContext,
  type ResolvedParams,
} from '../../policy/index.ts';

const MAX_ENTRIES = 10_000;

function deepFreeze<T>(v: T): T {
  if (v !== null && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v)) deepFreeze(x);
  }
  return v;
}

export class ResolvedCache {
  private readonly entries = new Map<string, ResolvedParams>();

  resolve(pack: PolicyPack, ctx: BillContext): ResolvedParams {
    // Every field of the context is in the key: the pack is one of the catalog's, by name.
    const key = `${pack.name}|${ctx.date}|${ctx.visitType}|${ctx.hospitalLevel}|${ctx.diagnosis}|${ctx.remote ?? ''}|${ctx.categories.length === 0 ? '' : ctx.categories.join(',')}`;
    const hit = this.entries.get(key);
    if (hit) return hit;
    const params = deepFreeze(resolveBill(pack, { ...ctx, categories: [...ctx.categories] }));
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(key, params);
    return params;
  }
}
