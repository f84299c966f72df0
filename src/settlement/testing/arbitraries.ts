/** fast-check generators of parameters and bills for the calculator's property tests. */
import fc from 'fast-check';
import type { Fen } from '../../kernel/money.ts';
import type {
  BackstopParams,
  BasicParams,
  CumulativeTier,
  ResolvedParams,
  VisitType,
} from '../../policy/types.ts';
import type { Bill, BillLine } from '../bill.ts';
import { backstop, basic, cap, context, cumulative, params, resolved } from './params.ts';

const money = (max: Fen) => fc.integer({ min: 0, max });
const bp = fc.integer({ min: 0, max: 10_000 });

export const basicArb: fc.Arbitrary<BasicParams> = fc
  .record({
    deductible: money(200_000),
    annual: fc.boolean(),
    ratio: bp,
    caps: fc.uniqueArray(
      fc.record({ group: fc.constantFrom('main', 'chronic', 'general'), cap: money(3_000_000) }),
      {
        selector: (c) => c.group,
        maxLength: 2,
      },
    ),
  })
  .map((r) =>
    basic({
      deductible: resolved('d', r.deductible),
      deductibleScope: r.annual ? 'annual' : 'admission',
      deductibleKey: r.annual ? 'k' : null,
      ratio: resolved('r', r.ratio),
      capGroups: r.caps.map((c) => cap(c.group, c.cap)),
    }),
  );

/** One to three contiguous brackets above a deductible, the last one open or closed. */
export const cumulativeParamsArb = fc
  .record({
    deductible: money(2_000_000),
    bounds: fc.uniqueArray(fc.integer({ min: 1, max: 5_000_000 }), { maxLength: 2 }),
    ratios: fc.array(bp, { minLength: 3, maxLength: 3 }),
    openEnd: fc.boolean(),
    cap: fc.option(money(3_000_000), { nil: null }),
  })
  .map((r) => {
    const edges = [0, ...[...r.bounds].sort((a, b) => a - b)];
    const brackets = edges.map((from, i): [Fen, Fen | null, number] => [
      from,
      edges[i + 1] ?? (r.openEnd ? null : from + 1_000_000),
      r.ratios[i] ?? 0,
    ]);
    return cumulative(r.deductible, brackets, r.cap);
  });

export const cumulativeTierArb: fc.Arbitrary<CumulativeTier> = fc.oneof(
  fc.constant<CumulativeTier>({ counts: false, params: null }),
  fc.constant<CumulativeTier>({ counts: true, params: null }),
  cumulativeParamsArb.map((p): CumulativeTier => ({ counts: true, params: p })),
);

export const backstopArb: fc.Arbitrary<BackstopParams | null> = fc.option(
  fc
    .record({
      ratio: bp,
      group: fc.constantFrom('backstop_chronic', 'backstop_inpatient'),
      cap: fc.option(money(1_000_000), { nil: null }),
    })
    .map((r) => backstop(r.ratio, r.group, r.cap)),
  { nil: null },
);

export const paramsArb: fc.Arbitrary<ResolvedParams> = fc
  .record({
    basic: basicArb,
    criticalIllness: cumulativeTierArb,
    assistance: cumulativeTierArb,
    reAssistance: cumulativeTierArb,
    backstop: backstopArb,
  })
  .map((r) => params(r));

export const lineArb: fc.Arbitrary<BillLine> = fc
  .record({
    amount: money(1_000_000),
    class: fc.constantFrom('A' as const, 'B' as const, 'C' as const),
    overShare: fc.integer({ min: 0, max: 100 }),
    ratio: fc.option(bp, { nil: undefined }),
  })
  .map((r) => {
    const line: BillLine = { amount: r.amount, class: r.class };
    if (r.class !== 'C') line.overLimit = Math.floor((r.amount * r.overShare) / 100);
    if (r.class === 'B' && r.ratio !== undefined) line.selfPayRatio = r.ratio;
    return line;
  });

export const billArb: fc.Arbitrary<Bill> = fc
  .array(lineArb, { minLength: 1, maxLength: 5 })
  .map((lines) => ({ ...billOf('inpatient'), lines }));

export function billOf(visitType: VisitType): Bill {
  const c = context({ visitType });
  return {
    date: c.date,
    visitType,
    hospitalLevel: c.hospitalLevel,
    diagnosis: c.diagnosis,
    remote: c.remote,
    lines: [],
  };
}
