/**
 * Basic insurance parameters of one bill (docs/settlement.md §5, docs/chronic.md §2): the visit type's
 * deductible, ratio and cap groups (or their severe-mental-diagnosis or special-disease variant),
 * a chronic disease's own sub-cap, the most favourable tilt of the person's categories, then the
 * remote cut:
 *   ratio = max(0, min(100 %, level ratio + tilt) − remote cut)
 */
import { applyRatio, clampBp, FULL } from '../kernel/ratio.ts';
import type { IsoDate } from '../kernel/period.ts';
import type { BasicParams, BillContext, Category, Resolved } from './types.ts';
import type { Disease, PolicyPack } from './model.ts';
import { derived, higher, lower, mostFavourable, resolveParam, withNote } from './provenance.ts';
import {
  SEVERE_MENTAL_NOTE,
  specialDiseaseNote,
  deductibleFactorNote,
  ratioAddNote,
  remoteCutNote,
  remoteExemptNote,
} from './notes.ts';

const heldOf = (ctx: BillContext, cats: readonly Category[]) =>
  cats.filter((c) => ctx.categories.includes(c));

export function resolveBasic(
  pack: PolicyPack,
  ctx: BillContext,
  date: IsoDate,
  severeMental: boolean,
  disease: Disease | null = null,
): BasicParams {
  const rule = pack.basic.visitTypes[ctx.visitType];
  // A severe mental diagnosis keeps its own rule whatever the catalogue says (docs/chronic.md §2).
  const special = !severeMental && disease?.kind === 'special';
  const variant = severeMental ? rule.severeMental : special ? rule.specialDisease : null;
  const level = ctx.hospitalLevel;
  const note = severeMental ? SEVERE_MENTAL_NOTE : specialDiseaseNote(disease);
  const smNote = (used: boolean) => (used ? note : undefined);

  const baseDeductible = resolveParam(
    pack,
    (variant?.deductible ?? rule.deductible)[level],
    date,
    smNote(!!variant?.deductible),
  );
  const baseRatio = resolveParam(
    pack,
    (variant?.ratio ?? rule.ratio)[level],
    date,
    smNote(!!variant?.ratio),
  );

  const deductibles: Resolved<number>[] = [baseDeductible];
  const ratios: Resolved<number>[] = [baseRatio];
  for (const tilt of pack.basic.tilts) {
    const held = heldOf(ctx, tilt.categories);
    if (held.length === 0 || !tilt.visitTypes.includes(ctx.visitType)) continue;
    if (tilt.deductibleFactor) {
      const raw = resolveParam(pack, tilt.deductibleFactor, date);
      const f = withNote(raw, deductibleFactorNote(held, raw.value));
      deductibles.push(derived(applyRatio(baseDeductible.value, f.value), baseDeductible, f));
    }
    if (tilt.ratioAdd) {
      const raw = resolveParam(pack, tilt.ratioAdd, date);
      const add = withNote(raw, ratioAddNote(held, raw.value));
      ratios.push(derived(clampBp(baseRatio.value + add.value), baseRatio, add));
    }
  }

  const capGroups = (variant?.capGroups ?? rule.capGroups).map((group) => {
    const param = pack.basic.capGroups[group];
    // The loader refuses a visit type naming an undefined cap group.
    if (!param) throw new Error(`${pack.name}: cap group ${group} is not defined`);
    return { group, cap: resolveParam(pack, param, date) };
  });
  if (!severeMental && disease?.subCap) {
    // The disease's own annual sub-cap comes first: chronic:<code>, then chronic and main.
    capGroups.unshift({
      group: diseaseCapGroup(disease.code),
      cap: resolveParam(pack, disease.subCap, date, {
        zh: `${disease.code} ${disease.name.zh}年度限额`,
        en: `annual sub-cap of ${disease.code} (${disease.name.en})`,
      }),
    });
  }

  return {
    deductible: mostFavourable(deductibles, lower),
    deductibleScope: rule.deductibleScope,
    deductibleKey: rule.deductibleKey,
    ratio: remoteRatio(pack, ctx, date, mostFavourable(ratios, higher)),
    capGroups,
  };
}

/** The cap group of a chronic disease's annual sub-cap, e.g. `chronic:M002`. */
export const diseaseCapGroup = (code: string): string => `chronic:${code}`;

function remoteRatio(
  pack: PolicyPack,
  ctx: BillContext,
  date: IsoDate,
  local: Resolved<number>,
): Resolved<number> {
  if (ctx.remote === null) return local;
  const exempt = resolveParam(pack, pack.basic.remote.exempt, date);
  const held = heldOf(ctx, exempt.value);
  if (held.length > 0) {
    return derived(local.value, local, withNote(exempt, remoteExemptNote(held)));
  }
  const cut = resolveParam(pack, pack.basic.remote[ctx.remote], date);
  const value = Math.max(0, Math.min(FULL, local.value) - cut.value);
  return derived(value, local, withNote(cut, remoteCutNote(ctx.remote, cut.value)));
}
