/**
 * Critical illness, assistance and re-assistance parameters of one bill. Candidates are the
 * `everyone` rule (if any) and every group whose categories the person holds; each parameter then
 * takes its most favourable candidate independently (docs/settlement.md §4): lowest deductible, highest
 * ratio bracket by bracket, highest or no cap.
 */
import { applyRatio } from '../kernel/ratio.ts';
import type { Fen } from '../kernel/money.ts';
import type { IsoDate } from '../kernel/period.ts';
import type { BillContext, Bracket, CumulativeParams, CumulativeTier, Resolved } from './types.ts';
import type { CumulativeGroup, CumulativeRules, PolicyPack } from './model.ts';
import {
  derived,
  higherOrNone,
  lower,
  mostFavourable,
  resolveParam,
  withNote,
} from './provenance.ts';
import { addPoints, mergeScales } from './scale.ts';
import { bracketsAddNote, capRemovedNote, deductibleFactorNote, groupNote } from './notes.ts';

interface Candidate {
  deductible: Resolved<Fen>;
  brackets: Resolved<Bracket[]>;
  cap: Resolved<Fen | null>;
}

export function resolveCumulative(
  pack: PolicyPack,
  rules: CumulativeRules,
  ctx: BillContext,
  date: IsoDate,
): CumulativeTier {
  const counts = rules.visitTypes.includes(ctx.visitType);
  if (!counts) return { counts, params: null };
  const base: Candidate | null = rules.everyone && {
    deductible: resolveParam(pack, rules.everyone.deductible, date),
    brackets: resolveParam(pack, rules.everyone.brackets, date),
    cap: resolveParam(pack, rules.everyone.cap, date),
  };
  const candidates = base ? [base] : [];
  for (const group of rules.groups) {
    const held = group.categories.filter((c) => ctx.categories.includes(c));
    if (held.length > 0) candidates.push(groupCandidate(pack, group, held, base, date));
  }
  if (candidates.length === 0) return { counts, params: null };
  const params: CumulativeParams = {
    deductible: mostFavourable(
      candidates.map((c) => c.deductible),
      lower,
    ),
    brackets: mergeScales(candidates.map((c) => c.brackets)),
    cap: mostFavourable(
      candidates.map((c) => c.cap),
      higherOrNone,
    ),
  };
  return { counts, params };
}

function groupCandidate(
  pack: PolicyPack,
  g: CumulativeGroup,
  held: BillContext['categories'],
  base: Candidate | null,
  date: IsoDate,
): Candidate {
  const from = <T>(r: Resolved<T> | undefined): Resolved<T> => {
    // The loader requires a group without an `everyone` rule to set every parameter itself.
    if (!r) throw new Error(`${pack.name} ${g.name}: nothing to start from`);
    return r;
  };
  const setNote = groupNote(held);

  let deductible: Resolved<Fen>;
  if (g.deductible === null) deductible = from(base?.deductible);
  else if (g.deductible.kind === 'set') {
    deductible = withNote(resolveParam(pack, g.deductible.param, date), setNote);
  } else {
    const b = from(base?.deductible);
    const raw = resolveParam(pack, g.deductible.param, date);
    const f = withNote(raw, deductibleFactorNote(held, raw.value));
    deductible = derived(applyRatio(b.value, f.value), b, f);
  }

  let brackets: Resolved<Bracket[]>;
  if (g.brackets === null) brackets = from(base?.brackets);
  else if (g.brackets.kind === 'set') {
    brackets = withNote(resolveParam(pack, g.brackets.param, date), setNote);
  } else {
    const b = from(base?.brackets);
    const raw = resolveParam(pack, g.brackets.param, date);
    const add = withNote(raw, bracketsAddNote(held, raw.value));
    brackets = derived(addPoints(b.value, add.value), b, add);
  }

  let cap: Resolved<Fen | null>;
  if (g.cap === null) cap = from(base?.cap);
  else {
    const raw = resolveParam(pack, g.cap, date);
    cap = withNote(raw, raw.value === null ? capRemovedNote(held) : setNote);
  }
  return { deductible, brackets, cap };
}
