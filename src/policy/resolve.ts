/**
 * Resolution: the typed parameters that apply to one bill, or pack-wide, each with provenance.
 * Pure and synchronous: the pack is already loaded.
 *
 * A date outside the pack's validity is clamped into it. A trial that names a pack applies that
 * pack to every bill whatever its date (docs/settlement.md §6), so a 2023 bill tried against demo-2022
 * gets demo-2022's values as they stand on its last day. The persistent path never sees this:
 * `choosePack` only returns a pack whose validity holds the date.
 */
import type { IsoDate } from '../kernel/period.ts';
import type {
  BackstopParams,
  BillContext,
  PackWideParams,
  ResolvedDisease,
  ResolvedParams,
} from './types.ts';
import type { Disease, PolicyPack } from './model.ts';
import { resolveParam } from './provenance.ts';
import { resolveBasic } from './resolve-basic.ts';
import { resolveCumulative } from './resolve-cumulative.ts';
import { matchesDiagnosis } from './diagnosis.ts';
import { valueAt } from './dated.ts';

/** The date lookups use: `date`, or the nearest end of the pack's validity. */
export function clampToValidity(pack: PolicyPack, date: IsoDate): IsoDate {
  if (date < pack.validity.from) return pack.validity.from;
  if (pack.validity.to !== null && date > pack.validity.to) return pack.validity.to;
  return date;
}

export function isSevereMentalDiagnosis(
  pack: PolicyPack,
  diagnosis: string,
  date: IsoDate,
): boolean {
  const on = clampToValidity(pack, date);
  return matchesDiagnosis(valueAt(pack.severeMentalDiagnosis, on).value, diagnosis);
}

/**
 * The catalogue disease whose prefixes the diagnosis starts with on `date`, or null. The loader
 * refuses overlapping prefixes, so at most one matches.
 */
export function findDisease(pack: PolicyPack, diagnosis: string, date: IsoDate): Disease | null {
  const on = clampToValidity(pack, date);
  return (
    pack.diseases.find((d) => matchesDiagnosis(valueAt(d.diagnoses, on).value, diagnosis)) ?? null
  );
}

export function resolveBill(pack: PolicyPack, ctx: BillContext): ResolvedParams {
  const date = clampToValidity(pack, ctx.date);
  const severeMental = isSevereMentalDiagnosis(pack, ctx.diagnosis, date);
  // Only a chronic_outpatient visit is paid by disease; other visit types never look one up.
  const disease =
    ctx.visitType === 'chronic_outpatient' ? findDisease(pack, ctx.diagnosis, date) : null;
  return {
    pack: pack.name,
    region: pack.region,
    context: ctx,
    severeMentalDiagnosis: severeMental,
    disease: disease && resolveDisease(pack, disease, date),
    basic: resolveBasic(pack, ctx, date, severeMental, disease),
    criticalIllness: resolveCumulative(pack, pack.criticalIllness, ctx, date),
    assistance: resolveCumulative(pack, pack.assistance, ctx, date),
    reAssistance: resolveCumulative(pack, pack.reAssistance, ctx, date),
    backstop: resolveBackstop(pack, ctx, date, severeMental),
  };
}

function resolveDisease(pack: PolicyPack, d: Disease, date: IsoDate): ResolvedDisease {
  return {
    code: d.code,
    name: { ...d.name },
    nationalCode: d.nationalCode,
    kind: d.kind,
    severeMental: d.severeMental,
    provenance: resolveParam(pack, d.diagnoses, date).provenance,
  };
}

function resolveBackstop(
  pack: PolicyPack,
  ctx: BillContext,
  date: IsoDate,
  severeMental: boolean,
): BackstopParams | null {
  const rules = pack.backstop;
  const rule = rules.visitTypes[ctx.visitType];
  if (!rule || !rules.categories.some((c) => ctx.categories.includes(c))) return null;
  if (rules.requiresSevereMentalDiagnosis && !severeMental) return null;
  return {
    ratio: resolveParam(pack, rule.ratio, date),
    capGroup: rule.capGroup,
    cap: resolveParam(pack, rule.cap, date),
    programme: rules.programme,
  };
}

export function resolvePackWide(pack: PolicyPack, date: IsoDate): PackWideParams {
  const on = clampToValidity(pack, date);
  const wide = pack.packWide;
  return {
    pack: pack.name,
    region: pack.region,
    perCapitaIncome: resolveParam(pack, wide.perCapitaIncome, on),
    monitoring: {
      inscopeCategories: [...wide.monitoring.inscopeCategories],
      inscopeShare: resolveParam(pack, wide.monitoring.inscopeShare, on),
      totalShare: resolveParam(pack, wide.monitoring.totalShare, on),
    },
    refundCutoff: resolveParam(pack, wide.refundCutoff, on),
    programmes: wide.programmes.map((p) => ({
      code: p.code,
      budget: resolveParam(pack, p.budget, on),
      tiers: [...p.tiers],
    })),
  };
}
