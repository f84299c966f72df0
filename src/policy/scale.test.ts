import { describe, expect, it } from 'vitest';
import { addPoints, mergeScales } from './scale.ts';
import type { Bracket, Resolved } from './types.ts';

const scale = (name: string, rows: [number, number][]): Resolved<Bracket[]> => ({
  value: rows.map(([from, ratio], i) => ({ from, to: rows[i + 1]?.[0] ?? null, ratio })),
  provenance: [
    {
      pack: 'p',
      file: `${name}.yaml`,
      line: 1,
      key: name,
      from: '2022-01-01',
      to: null,
      reference: 'r',
      value: name,
    },
  ],
});

describe('mergeScales', () => {
  it('takes the highest ratio piece by piece, cutting at every threshold of every scale', () => {
    const a = scale('a', [
      [0, 6_000],
      [10_000, 9_000],
    ]);
    const b = scale('b', [
      [0, 7_000],
      [5_000, 5_000],
    ]);
    const merged = mergeScales([a, b]);
    expect(merged.value).toEqual([
      { from: 0, to: 5_000, ratio: 7_000 },
      { from: 5_000, to: 10_000, ratio: 6_000 },
      { from: 10_000, to: null, ratio: 9_000 },
    ]);
    expect(merged.provenance.map((p) => p.key)).toEqual(['a', 'b']);
  });

  it('joins neighbouring pieces of equal ratio and keeps only the winners provenance', () => {
    const flat = scale('flat', [[0, 8_000]]);
    const steps = scale('steps', [
      [0, 6_000],
      [100, 6_500],
      [200, 7_000],
    ]);
    const merged = mergeScales([steps, flat]);
    expect(merged.value).toEqual([{ from: 0, to: null, ratio: 8_000 }]);
    expect(merged.provenance.map((p) => p.key)).toEqual(['flat']);
  });
});

describe('addPoints', () => {
  it('adds to every bracket and stops at 100 %', () => {
    expect(
      addPoints(
        scale('s', [
          [0, 6_000],
          [100, 9_800],
        ]).value,
        500,
      ).map((b) => b.ratio),
    ).toEqual([6_500, 10_000]);
  });
});
