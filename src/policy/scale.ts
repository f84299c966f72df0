/**
 * Bracket scales: adding points to every bracket, and merging several scales bracket by bracket,
 * each piece taking the highest ratio any candidate offers for it (docs/settlement.md §4). Scales
 * need not share thresholds: the merge cuts at every threshold of every candidate.
 */
import { clampBp, type Bp } from '../kernel/ratio.ts';
import type { Fen } from '../kernel/money.ts';
import type { Bracket, Resolved } from './types.ts';

export const addPoints = (scale: readonly Bracket[], points: Bp): Bracket[] =>
  scale.map((b) => ({ ...b, ratio: clampBp(b.ratio + points) }));

function ratioAt(scale: readonly Bracket[], x: Fen): Bp {
  return scale.find((b) => b.from <= x && (b.to === null || x < b.to))?.ratio ?? 0;
}

export function mergeScales(candidates: readonly Resolved<Bracket[]>[]): Resolved<Bracket[]> {
  const cuts = [...new Set(candidates.flatMap((c) => c.value.map((b) => b.from)))].sort(
    (a, b) => a - b,
  );
  const winners = new Set<number>();
  const merged: Bracket[] = [];
  cuts.forEach((from, i) => {
    let best = 0;
    candidates.forEach((c, k) => {
      if (ratioAt(c.value, from) > ratioAt(candidates[best]?.value ?? [], from)) best = k;
    });
    winners.add(best);
    const ratio = ratioAt(candidates[best]?.value ?? [], from);
    const last = merged.at(-1);
    if (last && last.ratio === ratio) last.to = cuts[i + 1] ?? null;
    else merged.push({ from, to: cuts[i + 1] ?? null, ratio });
  });
  const provenance = candidates.filter((_, k) => winners.has(k)).flatMap((c) => c.provenance);
  return { value: merged, provenance };
}
