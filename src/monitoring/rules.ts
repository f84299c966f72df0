/**
 * The monitoring rules in force for a month: for every county with a policy pack valid at the
 * month's end, the thresholds of that pack (thresholds.ts). Loading packs is I/O, done once per
 * run.
 */
import { notFound } from '../kernel/errors.ts';
import { parseMonth, type IsoDate, type Month } from '../kernel/period.ts';
import { choosePack, loadPacks, resolvePackWide, type PolicyPack } from '../policy/index.ts';
import type { DataScope } from '../kernel/access/actor.ts';
import { ruleOf, type MonitoringRule } from './thresholds.ts';

/** The last day of a month: the date whose rules a month's run applies. */
export function monthEnd(month: Month): IsoDate {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `${month}-${String(last).padStart(2, '0')}`;
}

/** The rules of every county (within `scope`) that has a pack on the month's last day. */
export function rulesFor(
  packs: readonly PolicyPack[],
  month: Month,
  scope: DataScope,
): MonitoringRule[] {
  const date = monthEnd(parseMonth(month, 'month'));
  const counties = [...new Set(packs.map((p) => p.region))].filter((c) => inScope(scope, c));
  const rules: MonitoringRule[] = [];
  for (const county of counties) {
    let pack: PolicyPack;
    try {
      pack = choosePack(packs, county, date);
    } catch {
      continue; // no pack of this county holds the date: nothing to apply there
    }
    rules.push(ruleOf(resolvePackWide(pack, date)));
  }
  if (rules.length === 0) {
    throw notFound(
      'monitor.no_pack',
      'month',
      `${month} 没有适用的政策包，无法确定监测标准`,
      `no policy pack applies in ${month}: no monitoring thresholds`,
    );
  }
  return rules;
}

/** A county is in a region scope when either code is a prefix of the other. */
function inScope(scope: DataScope, county: string): boolean {
  switch (scope.kind) {
    case 'system':
      return true;
    case 'region':
    case 'institution':
    case 'department':
      return county.startsWith(scope.regionCode) || scope.regionCode.startsWith(county);
    default: {
      const never: never = scope;
      throw new Error(`unknown scope ${JSON.stringify(never)}`);
    }
  }
}

let cached: Promise<PolicyPack[]> | null = null;

/** The non-fixture packs, loaded once per process (a pack change needs a restart, as settlement). */
export const monitoringPacks = (): Promise<PolicyPack[]> => (cached ??= loadPacks());
