/**
 * Benchmark of the pure settlement calculator (docs/settlement.md §3) on one core.
 *
 *   npx tsx bench/settlement-calc.ts [--bills N]
 *
 * Settles a realistic mix of bills (visit types, line counts, categories, carried year-to-date
 * accumulators per person) with pre-resolved parameters, and prints bills/s beside two baselines
 * measured in the same run: splitting the lines only (the floor any calculator pays) and a JSON
 * round-trip of the bill (what merely receiving it costs). Target: ≥ 200,000 bills/s. The explain
 * sentences are written lazily, so a fourth line prices reading all of them (printing every bill).
 */
import { parseArgs } from 'node:util';
import type { Fen } from '../src/kernel/money.ts';
import type { ResolvedParams, VisitType } from '../src/policy/types.ts';
import { emptyAccumulators, type Accumulators } from '../src/settlement/accumulators.ts';
import { classifyLines, type Bill, type BillLine } from '../src/settlement/bill.ts';
import { calculate } from '../src/settlement/calculate.ts';
import {
  backstop,
  basic,
  cap,
  context,
  counted,
  cumulative,
  params,
  resolved,
  subsistenceInpatientL2,
} from '../src/settlement/testing/params.ts';

const { values } = parseArgs({ options: { bills: { type: 'string' } }, allowPositionals: true });
const N = Number(values.bills ?? 200_000);
const PEOPLE = 2_000;

/** Deterministic PRNG (mulberry32), so every run settles the same mix. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
const rand = rng(20220315);
const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));

// Visit mix of a county: mostly outpatient visits with few lines, fewer admissions with many.
const MIX: { visitType: VisitType; share: number; lines: [number, number]; amount: Fen }[] = [
  { visitType: 'general_outpatient', share: 0.45, lines: [2, 8], amount: 8_000 },
  { visitType: 'chronic_outpatient', share: 0.25, lines: [3, 12], amount: 30_000 },
  { visitType: 'two_diseases', share: 0.1, lines: [1, 4], amount: 10_000 },
  { visitType: 'inpatient', share: 0.2, lines: [15, 60], amount: 60_000 },
];

function pickVisit() {
  let r = rand();
  for (const m of MIX) {
    if ((r -= m.share) <= 0) return m;
  }
  return MIX[0]!;
}

function makeBill(): Bill {
  const m = pickVisit();
  const lines: BillLine[] = [];
  for (let i = int(...m.lines); i > 0; i--) {
    const amount = int(100, m.amount);
    const r = rand();
    if (r < 0.6)
      lines.push({ amount, class: 'A', ...(rand() < 0.1 ? { overLimit: int(0, amount) } : {}) });
    else if (r < 0.9)
      lines.push({ amount, class: 'B', ...(rand() < 0.3 ? { selfPayRatio: 2_000 } : {}) });
    else lines.push({ amount, class: 'C' });
  }
  const month = String(int(1, 12)).padStart(2, '0');
  return {
    date: `2022-${month}-15`,
    visitType: m.visitType,
    hospitalLevel: int(1, 3) as 1 | 2 | 3,
    diagnosis: rand() < 0.05 ? 'F20.0' : 'K35.8',
    remote: null,
    lines,
  };
}

/** Demo-shaped parameters per visit type, for an ordinary person and a key-assistance one. */
function paramsFor(visitType: VisitType, key: boolean): ResolvedParams {
  if (key && visitType === 'inpatient') return subsistenceInpatientL2();
  const ci = cumulative(
    1_500_000,
    [
      [0, 10_000_000, 6_000],
      [10_000_000, 20_000_000, 6_500],
      [20_000_000, null, 7_000],
    ],
    40_000_000,
  );
  const chronic = visitType === 'chronic_outpatient';
  return params({
    context: context({ visitType }),
    basic: basic({
      deductible: resolved('d', chronic ? 60_000 : 0),
      deductibleScope: chronic ? 'annual' : 'admission',
      deductibleKey: chronic ? 'chronic_outpatient' : null,
      ratio: resolved('r', chronic ? 7_000 : 5_000),
      capGroups: chronic
        ? [cap('chronic', 500_000), cap('main', 20_000_000)]
        : [cap('general', 30_000)],
    }),
    criticalIllness: chronic ? counted(ci) : { counts: false, params: null },
    assistance: counted(key ? cumulative(0, [[0, null, 7_000]], 3_000_000) : null),
    reAssistance: { counts: false, params: null },
    backstop: key && chronic ? backstop(10_000, 'backstop_chronic', 300_000) : null,
  });
}

const bills = Array.from({ length: N }, makeBill);
const owner = bills.map(() => int(0, PEOPLE - 1));
const resolvedParams = bills.map((b, i) => paramsFor(b.visitType, owner[i]! % 5 === 0));
const lineCount = bills.reduce((s, b) => s + b.lines.length, 0);

function time(label: string, fn: () => number): { label: string; perSec: number; ms: number } {
  fn(); // warm-up: let the JIT settle before measuring
  let best = Infinity;
  let sink = 0;
  for (let round = 0; round < 3; round++) {
    const t0 = process.hrtime.bigint();
    sink += fn();
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e6);
  }
  if (sink === -1) console.log('impossible'); // keeps the work observable
  return { label, perSec: N / (best / 1000), ms: best };
}

const calc = time('calculate (amounts, delta, next, explain)', () => {
  const accs: Accumulators[] = Array.from({ length: PEOPLE }, () => emptyAccumulators(2022));
  let paid = 0;
  for (let i = 0; i < N; i++) {
    const who = owner[i]!;
    const s = calculate(resolvedParams[i]!, bills[i]!, accs[who]!);
    accs[who] = s.next;
    paid += s.amounts.fund_pay_sumamt;
  }
  return paid;
});
// The explain sentences are written on first read (explain.ts); this prices printing every bill.
const printed = time('calculate + every explain sentence read', () => {
  const accs: Accumulators[] = Array.from({ length: PEOPLE }, () => emptyAccumulators(2022));
  let chars = 0;
  for (let i = 0; i < N; i++) {
    const who = owner[i]!;
    const s = calculate(resolvedParams[i]!, bills[i]!, accs[who]!);
    accs[who] = s.next;
    for (const e of s.explain) chars += e.text.zh.length + e.text.en.length;
  }
  return chars;
});
const split = time('baseline: classifyLines only', () => {
  let inScope = 0;
  for (let i = 0; i < N; i++) inScope += classifyLines(bills[i]!.lines).inScope;
  return inScope;
});
const json = time('baseline: JSON round-trip of the bill', () => {
  let n = 0;
  for (let i = 0; i < N; i++) n += (JSON.parse(JSON.stringify(bills[i])) as Bill).lines.length;
  return n;
});

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
console.log(
  `settlement calculator, ${fmt(N)} bills (${(lineCount / N).toFixed(1)} lines each), ${PEOPLE} people, one core`,
);
for (const r of [calc, printed, split, json]) {
  console.log(
    `  ${r.label.padEnd(44)} ${fmt(r.perSec).padStart(12)} bills/s  (${r.ms.toFixed(0)} ms)`,
  );
}
console.log(`  calculate / classifyLines: ${(calc.ms / split.ms).toFixed(1)}× the time`);
console.log(`  calculate / JSON round-trip: ${(calc.ms / json.ms).toFixed(2)}× the time`);
console.log(
  `  with every sentence read: ${(printed.ms / calc.ms).toFixed(1)}× the time of calculate`,
);
console.log(`  target ≥ 200,000 bills/s: ${calc.perSec >= 200_000 ? 'met' : 'NOT met'}`);
