/**
 * Hand-built `ResolvedParams` for tests and the benchmark, so the calculator is exercised without
 * a policy pack. Money is fen, ratios basis points, as in the real contract.
 */
import type { Fen } from '../../kernel/money.ts';
import type { Bp } from '../../kernel/ratio.ts';
import type {
  BackstopParams,
  BasicParams,
  BillContext,
  CumulativeParams,
  CumulativeTier,
  Provenance,
  Resolved,
  ResolvedParams,
} from '../../policy/types.ts';

export function prov(key: string, value: Provenance['value'], note?: string): Provenance {
  return {
    pack: 'test',
    file: 'test.yaml',
    line: 1,
    key,
    from: '2022-01-01',
    to: null,
    reference: 'hand-built',
    value,
    ...(note ? { note: { zh: note, en: note } } : {}),
  };
}

export const resolved = <T extends Provenance['value']>(
  key: string,
  value: T,
  note?: string,
): Resolved<T> => ({ value, provenance: [prov(key, value, note)] });

export function basic(over: Partial<BasicParams> = {}): BasicParams {
  return {
    deductible: resolved('deductible', 0),
    deductibleScope: 'admission',
    deductibleKey: null,
    ratio: resolved('ratio', 10_000),
    capGroups: [],
    ...over,
  };
}

export const cap = (group: string, value: Fen) => ({ group, cap: resolved(`${group}.cap`, value) });

/** Brackets as `[from, to, ratio]` in fen and bp, measured above the deductible. */
export function cumulative(
  deductible: Fen,
  brackets: [Fen, Fen | null, Bp][],
  capValue: Fen | null,
): CumulativeParams {
  return {
    deductible: resolved('deductible', deductible),
    brackets: {
      value: brackets.map(([from, to, ratio]) => ({ from, to, ratio })),
      provenance: [prov('brackets', JSON.stringify(brackets))],
    },
    cap: resolved('cap', capValue),
  };
}

export const counted = (params: CumulativeParams | null): CumulativeTier => ({
  counts: true,
  params,
});
export const notCounted: CumulativeTier = { counts: false, params: null };

export function backstop(ratio: Bp, capGroup: string, capValue: Fen | null): BackstopParams {
  return {
    ratio: resolved('backstop.ratio', ratio),
    capGroup,
    cap: resolved('backstop.cap', capValue),
    programme: 'mental_aid',
  };
}

export function context(over: Partial<BillContext> = {}): BillContext {
  return {
    date: '2022-03-15',
    visitType: 'inpatient',
    hospitalLevel: 2,
    diagnosis: 'K35.8',
    remote: null,
    categories: [],
    ...over,
  };
}

/** Parameters that pay nothing beyond basic insurance at 100 %, to be overridden per test. */
export function params(over: Partial<ResolvedParams> = {}): ResolvedParams {
  return {
    pack: 'test',
    region: '370899',
    context: context(),
    severeMentalDiagnosis: false,
    disease: null,
    basic: basic(),
    criticalIllness: notCounted,
    assistance: notCounted,
    reAssistance: notCounted,
    backstop: null,
    ...over,
  };
}

/**
 * The worked example of docs/settlement.md §6 by hand: a `subsistence` inpatient at a level 2 hospital
 * under demo-2022 (deductible 500 halved to 250, ratio 80 % + 10 points, critical illness 7,500
 * with +5 points, assistance 0 / 70 % / 30,000, re-assistance 5,000 / 70 % / 20,000).
 */
export function subsistenceInpatientL2(ctx: BillContext = context()): ResolvedParams {
  return params({
    context: ctx,
    basic: basic({
      deductible: resolved('inpatient.deductible.level2', 25_000, '低保减半'),
      ratio: resolved('inpatient.ratio.level2', 9_000, '低保提高10个百分点'),
      capGroups: [cap('main', 20_000_000)],
    }),
    criticalIllness: counted(
      cumulative(
        750_000,
        [
          [0, 10_000_000, 6_500],
          [10_000_000, 20_000_000, 7_000],
          [20_000_000, null, 7_500],
        ],
        null,
      ),
    ),
    assistance: counted(cumulative(0, [[0, null, 7_000]], 3_000_000)),
    reAssistance: counted(cumulative(500_000, [[0, null, 7_000]], 2_000_000)),
  });
}
