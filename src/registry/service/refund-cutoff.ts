/**
 * The refund cut-off comes from the policy pack of the person's county for the medical year
 * (PackWideParams.refundCutoff). Packs are loaded once; a county or year without a pack falls back
 * to the rule's default, 31 December of the year before.
 */
import { choosePack, listPacks, loadPack, resolvePackWide } from '../../policy/index.ts';
import type { IsoDate } from '../../kernel/period.ts';
import { isTriguardError } from '../../kernel/errors.ts';

export type RefundCutoffs = (regionCode: string, year: number) => IsoDate | undefined;

export async function loadRefundCutoffs(): Promise<RefundCutoffs> {
  const summaries = await listPacks();
  const packs = await Promise.all(summaries.map((s) => loadPack(s.name)));
  return (regionCode, year) => {
    const on = `${year}-01-01`;
    try {
      return resolvePackWide(choosePack(packs, regionCode.slice(0, 6), on), on).refundCutoff.value;
    } catch (e) {
      if (isTriguardError(e) && e.kind === 'not_found') return undefined;
      throw e;
    }
  };
}
