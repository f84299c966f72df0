/**
 * The packs the persistent path settles with, loaded once: a pack's validity chooses it for a
 * person's county and the bill date. Loading is I/O, so it happens at start-up, not per
 * settlement.
 */
import { choosePack, listPacks, loadPack } from '../../policy/index.ts';
import type { PolicyPack } from '../../policy/index.ts';
import type { IsoDate } from '../../kernel/period.ts';

export interface PackCatalog {
  /** The pack valid for the county of `regionCode` on `date`; throws notFound naming the date. */
  choose(regionCode: string, date: IsoDate): PolicyPack;
}

export async function loadPackCatalog(): Promise<PackCatalog> {
  const summaries = await listPacks();
  const packs = await Promise.all(summaries.map((s) => loadPack(s.name)));
  return {
    // Person region codes are villages (12 digits); packs belong to a county (6 digits).
    choose: (regionCode, date) => choosePack(packs, regionCode.slice(0, 6), date),
  };
}
