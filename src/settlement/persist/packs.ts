/**
 * The packs the persistent path settles with, loaded once: a pack's validity chooses it for a
 * person's county and the bill date. Loading is I/O, so it happens at start-up, not per
 * settlement.
 */
import {
  choosePack,
  listPacks,
  loadPack,
  type LoadOptions,
  type PolicyPack,
} from '../../policy/index.ts';
import type { IsoDate } from '../../kernel/period.ts';
import { postTierRules } from '../post-tier-rules.ts';

export interface PackCatalog {
  /** The pack valid for the county of `regionCode` on `date`; throws notFound naming the date. */
  choose(regionCode: string, date: IsoDate): PolicyPack;
  /** A pack of the catalog by name (a stored settlement names its pack); null when unknown. */
  byName(name: string): PolicyPack | null;
  /** Every pack, for the domains that read them all (the chronic catalogue and rules). */
  all: readonly PolicyPack[];
}

/** `opts.root`: another folder of packs (tests of an edited copy of a pack). */
export async function loadPackCatalog(opts: LoadOptions = {}): Promise<PackCatalog> {
  const summaries = await listPacks(opts);
  const packs = await Promise.all(summaries.map((s) => loadPack(s.name, opts)));
  // A pack's post-tier rules are read now, so a broken post_tier.yaml stops the start, not a bill.
  for (const pack of packs) postTierRules(pack.dir);
  return {
    // Person region codes are villages (12 digits); packs belong to a county (6 digits).
    choose: (regionCode, date) => choosePack(packs, regionCode.slice(0, 6), date),
    byName: (name) => packs.find((p) => p.name === name) ?? null,
    all: packs,
  };
}
