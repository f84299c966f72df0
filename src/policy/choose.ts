/** Which pack applies to a region on a date, in the persistent path (a trial names its pack). */
import { conflict, notFound } from '../kernel/errors.ts';
import type { IsoDate } from '../kernel/period.ts';
import type { PolicyPack } from './model.ts';
import { covers } from './dated.ts';

/** The one published, non-fixture pack of `region` whose validity holds `date`: never a draft. */
export function choosePack(
  packs: readonly PolicyPack[],
  region: string,
  date: IsoDate,
): PolicyPack {
  const matching = packs.filter(
    (p) => !p.fixture && !p.draft && p.region === region && covers(p.validity, date),
  );
  const [only, second] = matching;
  if (!only) {
    throw notFound(
      'policy.no_pack',
      'date',
      `行政区划 ${region} 在 ${date} 没有适用的政策包`,
      `no policy pack for region ${region} on ${date}`,
    );
  }
  if (second) {
    throw conflict(
      'policy.ambiguous_pack',
      'date',
      `行政区划 ${region} 在 ${date} 有多个政策包：${matching.map((p) => p.name).join('、')}`,
      `several policy packs for region ${region} on ${date}: ${matching.map((p) => p.name).join(', ')}`,
    );
  }
  return only;
}
