/**
 * The examples of docs/chronic.md through the real demo-2022 pack and the trial: which chronic and
 * two-diseases bills are refused (§3, in the table's order), what the catalogue pays by kind (§2)
 * and the trial's contract for refusals and bad input (§4). Expected numbers are worked out by
 * hand in the comments.
 */
import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { TriguardError } from '../kernel/errors.ts';
import { errorHandler } from '../http/errors.ts';
import { loadPack, resolveBill } from '../policy/index.ts';
import { emptyAccumulators } from './accumulators.ts';
import type { Bill } from './bill.ts';
import { coverageRefusal, refusalError, settleCovered } from './coverage.ts';
import { makeTrialCommand } from './trial-cli.ts';
import { policyPacks } from './trial-packs.ts';
import { trialRoutesWith } from './trial-routes.ts';
import { answerTrial } from './trial.ts';

type Doc = Record<string, unknown>;
type Line = { amount: number; class: 'A'; days?: number };

const bill = (
  id: string,
  visitType: 'chronic_outpatient' | 'two_diseases' | 'inpatient',
  diagnosis: string,
  amount: number,
  over: { level?: number; date?: string; days?: number[] } = {},
) => ({
  id,
  date: over.date ?? '2022-06-15',
  visitType,
  hospitalLevel: over.level ?? (visitType === 'two_diseases' ? 1 : 2),
  diagnosis,
  remote: null,
  lines: (over.days ?? [undefined]).map((days): Line =>
    days === undefined ? { amount, class: 'A' } : { amount, class: 'A', days },
  ),
});

const trial = (bills: unknown[], person: Doc = {}) =>
  answerTrial({ pack: 'demo-2022', person, bills }, policyPacks);

/** `[id, refusal code and field]` or `[id, hifp]` per result. */
async function outcomes(bills: unknown[], person: Doc = {}) {
  return (await trial(bills, person)).results.map((r) =>
    'refused' in r ? [r.id, r.refused.code, r.refused.field] : [r.id, r.hifp_pay],
  );
}

async function badInput(bills: unknown[], person: Doc): Promise<[string, string | null]> {
  try {
    await trial(bills, person);
  } catch (e) {
    if (e instanceof TriguardError) return [e.code, e.field];
    throw e;
  }
  throw new Error('the trial was accepted');
}

describe('chronic outpatient bills (docs/chronic.md §3)', () => {
  it('refuses a diagnosis outside the catalogue: J06.9 pays nothing', async () => {
    const { results } = await trial([bill('b1', 'chronic_outpatient', 'J06.9', 1_000)]);
    expect(results).toEqual([
      {
        id: 'b1',
        refused: {
          code: 'chronic.not_in_catalogue',
          field: 'bills[0].diagnosis',
          message: {
            zh: expect.stringContaining('J06.9'),
            en: expect.stringContaining(
              'not a disease of the chronic and special disease catalogue',
            ),
          },
        },
      },
    ]);
  });

  it('checks certificates only when the person has the key, on the bill date, for that disease', async () => {
    const certificates = [{ disease: 'M002', from: '2022-03-01', to: '2022-09-30' }];
    const bills = [
      bill('before', 'chronic_outpatient', 'E11.9', 1_000, { date: '2022-02-28' }),
      bill('first day', 'chronic_outpatient', 'E11.9', 1_000, { date: '2022-03-01' }),
      bill('other disease', 'chronic_outpatient', 'I25.1', 1_000, { date: '2022-04-01' }),
      bill('last day', 'chronic_outpatient', 'E11.9', 1_000, { date: '2022-09-30' }),
      bill('after', 'chronic_outpatient', 'E11.9', 1_000, { date: '2022-10-01' }),
    ];
    expect(await outcomes(bills, { certificates })).toEqual([
      ['before', 'chronic.no_certificate', 'bills[0].diagnosis'],
      ['first day', 260], // (1,000 − 600) × 65 %
      ['other disease', 'chronic.no_certificate', 'bills[2].diagnosis'],
      ['last day', 650], // the deductible is met
      ['after', 'chronic.no_certificate', 'bills[4].diagnosis'],
    ]);
    // Without the key the trial answers for a certified patient; an empty list finds none.
    expect(await outcomes(bills.slice(2, 3))).toEqual([['other disease', 260]]);
    expect(await outcomes(bills.slice(2, 3), { certificates: [] })).toEqual([
      ['other disease', 'chronic.no_certificate', 'bills[0].diagnosis'],
    ]);
  });

  it('lets an active severe_mental flag cover S004 instead of a certificate', async () => {
    const b = bill('s', 'chronic_outpatient', 'F20.0', 1_000, { date: '2022-05-10' });
    const flagged = { code: 'severe_mental', from: '2022-05', to: '2022-05' };
    expect(await outcomes([b], { certificates: [], categories: [flagged] })).toEqual([
      ['s', 800], // no deductible, the inpatient 80 % of level 2
    ]);
    expect(
      await outcomes([{ ...b, date: '2022-06-01' }], { certificates: [], categories: [flagged] }),
    ).toEqual([['s', 'chronic.no_certificate', 'bills[0].diagnosis']]);
    expect(
      await outcomes([b], { certificates: [{ disease: 'S004', from: '2022-01-01', to: null }] }),
    ).toEqual([['s', 800]]);
  });

  it('a refused bill adds nothing: the next bill meets the deductible as if it were not there', async () => {
    const certificates = [{ disease: 'M003', from: '2022-01-01', to: null }];
    expect(
      await outcomes(
        [
          bill('refused', 'chronic_outpatient', 'E11.9', 1_000, { level: 1 }),
          bill('paid', 'chronic_outpatient', 'I25.1', 1_000, { level: 1 }),
        ],
        { certificates },
      ),
    ).toEqual([
      ['refused', 'chronic.no_certificate', 'bills[0].diagnosis'],
      ['paid', 280], // the whole 600 deductible still applies: 400 × 70 %
    ]);
  });
});

describe('basic insurance by kind (docs/chronic.md §2)', () => {
  it('chronic: the chronic ratio within the disease sub-cap, caps chronic:<code>, chronic and main', async () => {
    const { results } = await trial([
      bill('m1', 'chronic_outpatient', 'I11.9', 3_000, { level: 1 }),
    ]);
    const r = results[0]!;
    if ('refused' in r) throw new Error('refused');
    expect(r.hifp_pay).toBe(1_500); // (3,000 − 600) × 70 % = 1,680, capped by M001's 1,500
    expect(r.explain[0]?.caps.map((c) => [c.group, c.cap, c.roomBefore])).toEqual([
      ['chronic:M001', 1_500, 1_500],
      ['chronic', 5_000, 5_000],
      ['main', 200_000, 200_000],
    ]);
  });

  it('special: the annual chronic deductible, the inpatient ratio of the level, main only', async () => {
    const { results } = await trial(
      [
        bill('dialysis', 'chronic_outpatient', 'N18.5', 2_000),
        bill('cancer', 'chronic_outpatient', 'C34.9', 10_000, { level: 1 }),
      ],
      { categories: [{ code: 'subsistence', from: '2022-01', to: null }] },
    );
    const [dialysis, cancer] = results;
    if (!dialysis || !cancer || 'refused' in dialysis || 'refused' in cancer) throw new Error();
    // Deductible 600 halved to 300; 80 % + 10 points: (2,000 − 300) × 90 % = 1,530.
    expect([dialysis.act_pay_dedc, dialysis.hifp_pay]).toEqual([300, 1_530]);
    // The year's chronic deductible is met; 100 %, no chronic cap: 10,000.
    expect([cancer.act_pay_dedc, cancer.hifp_pay]).toEqual([0, 10_000]);
    expect(cancer.explain[0]?.caps.map((c) => c.group)).toEqual(['main']);
  });
});

describe('two-diseases bills (docs/chronic.md §3)', () => {
  it('pays hypertension and diabetes at level 1 for filed patients', async () => {
    const filings = [{ disease: 'hypertension', from: '2022-01-01', to: null }];
    expect(
      await outcomes(
        [
          bill('i10', 'two_diseases', 'I10', 1_000, { days: [30, 60] }),
          bill('e11', 'two_diseases', 'E11.9', 1_000),
        ],
        { filings },
      ),
    ).toEqual([
      ['i10', 1_000], // 2,000 × 50 %
      ['e11', 'two_diseases.not_filed', 'bills[1].diagnosis'],
    ]);
    expect(await outcomes([bill('e11', 'two_diseases', 'E11.9', 1_000)])).toEqual([['e11', 500]]);
  });

  it('checks in the order of the table: diagnosis, level, days, filing', async () => {
    const person = { filings: [] };
    expect(
      await outcomes(
        [
          bill('diag', 'two_diseases', 'J06.9', 100, { level: 3, days: [90] }),
          bill('level', 'two_diseases', 'I15.0', 100, { level: 2, days: [90] }),
          bill('days', 'two_diseases', 'E14', 100, { days: [60, 61] }),
          bill('filing', 'two_diseases', 'I10', 100, { days: [60] }),
        ],
        person,
      ),
    ).toEqual([
      ['diag', 'two_diseases.diagnosis', 'bills[0].diagnosis'],
      ['level', 'two_diseases.level', 'bills[1].hospitalLevel'],
      ['days', 'two_diseases.days', 'bills[2].lines[1].days'],
      ['filing', 'two_diseases.not_filed', 'bills[3].diagnosis'],
    ]);
  });

  it('answers the §4 example: b3 refused at level 3, the other bills settled', async () => {
    const { results } = await trial([
      bill('b1', 'inpatient', 'K35.8', 10_000),
      bill('b2', 'two_diseases', 'I10', 1_000),
      bill('b3', 'two_diseases', 'I10', 1_000, { level: 3 }),
    ]);
    expect(results[2]).toEqual({
      id: 'b3',
      refused: {
        code: 'two_diseases.level',
        field: 'bills[2].hospitalLevel',
        message: { zh: expect.stringContaining('一级'), en: expect.stringContaining('level 1') },
      },
    });
    expect(results.slice(0, 2).map((r) => ('refused' in r ? null : r.hifp_pay))).toEqual([
      7_600, 500,
    ]);
  });
});

describe('bad input is not a refusal (docs/chronic.md §4)', () => {
  const b = [bill('b1', 'chronic_outpatient', 'E11.9', 100)];
  it.each([
    [
      'an unknown certificate disease',
      { certificates: [{ disease: 'M999', from: '2022-01-01', to: null }] },
      'person.disease_unknown',
      'person.certificates[0].disease',
    ],
    [
      'a certificate whose to is before its from',
      { certificates: [{ disease: 'M002', from: '2022-03-01', to: '2022-02-01' }] },
      'period.reversed',
      'person.certificates[0].to',
    ],
    [
      'an unknown filing disease',
      { filings: [{ disease: 'M002', from: '2022-01-01', to: null }] },
      'person.disease_unknown',
      'person.filings[0].disease',
    ],
  ])('%s', async (_what, person, code, field) => {
    expect(await badInput(b, person)).toEqual([code, field]);
  });

  it('days that are not a positive whole number', async () => {
    expect(await badInput([bill('b1', 'two_diseases', 'I10', 100, { days: [-3] })], {})).toEqual([
      'bill.days',
      'bills[0].lines[0].days',
    ]);
  });
});

describe('the trial edges', () => {
  const doc = {
    pack: 'demo-2022',
    person: { certificates: [] },
    bills: [
      bill('b1', 'inpatient', 'K35.8', 1_000),
      bill('b2', 'chronic_outpatient', 'J06.9', 1_000),
    ],
  };

  it('the CLI exits 0 with refused bills, and 1 naming the field of bad input', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'trial-chronic-'));
    const run = async (d: unknown) => {
      await writeFile(join(dir, 'in.json'), JSON.stringify(d));
      const out: string[] = [];
      const err: string[] = [];
      const code = await makeTrialCommand(policyPacks).run(['--input', 'in.json'], {
        out: (l) => out.push(l),
        err: (l) => err.push(l),
        tty: false,
        env: {},
        cwd: dir,
      });
      return { code, out, err };
    };
    const ok = await run(doc);
    expect(ok.code).toBe(0);
    const answer = JSON.parse(ok.out[0]!) as { results: Record<string, unknown>[] };
    expect(answer.results[1]).toEqual({
      id: 'b2',
      refused: expect.objectContaining({ code: 'chronic.not_in_catalogue' }),
    });
    const bad = await run({
      ...doc,
      person: { certificates: [{ disease: 'X1', from: '2022-01-01' }] },
    });
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.err[0]!)).toMatchObject({
      code: 'person.disease_unknown',
      field: 'person.certificates[0].disease',
    });
  });

  it('HTTP answers 200 with the refusal and no amounts, 422 for bad input', async () => {
    const app = Fastify();
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    app.setErrorHandler(errorHandler);
    await app.register(trialRoutesWith(policyPacks));
    onTestFinished(() => app.close());
    const post = (payload: object) =>
      app.inject({ method: 'POST', url: '/api/v1/settlement/trial', payload });
    const res = await post(doc);
    expect(res.statusCode).toBe(200);
    const body = res.json<{ results: Record<string, unknown>[] }>();
    expect(body.results[0]).toMatchObject({ id: 'b1', hifp_pay: 400 });
    expect(body.results[1]).toEqual({
      id: 'b2',
      refused: {
        code: 'chronic.not_in_catalogue',
        field: 'bills[1].diagnosis',
        message: { zh: expect.any(String), en: expect.any(String) },
      },
    });
    const bad = await post({
      ...doc,
      bills: [bill('b1', 'two_diseases', 'I10', 100, { days: [1.5] })],
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json()).toMatchObject({ code: 'bill.days', field: 'bills[0].lines[0].days' });
  });
});

describe('the rule function for day-to-day settlement', () => {
  it('names the fields of a settle request and raises a 422 with the same code', async () => {
    const pack = await loadPack('demo-2022');
    const b: Bill = {
      date: '2022-06-15',
      visitType: 'two_diseases',
      hospitalLevel: 1,
      diagnosis: 'E11.9',
      remote: null,
      lines: [{ amount: 10_000, class: 'A', days: 90 }],
    };
    const params = resolveBill(pack, { ...b, categories: [] });
    const r = coverageRefusal(params, b, {}, 'bill');
    expect(r).toMatchObject({ code: 'two_diseases.days', field: 'bill.lines[0].days' });
    const e = refusalError(r!);
    expect([e.kind, e.code, e.field]).toEqual([
      'unprocessable',
      'two_diseases.days',
      'bill.lines[0].days',
    ]);
    const acc = emptyAccumulators(2022);
    expect(settleCovered(params, b, acc, {}, 'bill')).toEqual({ refused: r });
    const fine = { ...b, lines: [{ amount: 10_000, class: 'A' as const, days: 60 }] };
    const settled = settleCovered(params, fine, acc, { filings: [] }, 'bill');
    expect(settled.refused?.code).toBe('two_diseases.not_filed');
    const filed = settleCovered(
      params,
      fine,
      acc,
      { filings: [{ disease: 'diabetes', from: '2022-06-15', to: '2022-06-15' }] },
      'bill',
    );
    expect(filed.refused).toBeNull();
  });

  it('checks the drug list after the days and the refill after the list, the filing last (§3, §5)', async () => {
    const pack = await loadPack('demo-2022');
    const b: Bill = {
      date: '2022-06-15',
      visitType: 'two_diseases',
      hospitalLevel: 1,
      diagnosis: 'I10',
      remote: null,
      lines: [
        { amount: 3_000, class: 'A', itemCode: 'D1', days: 30 },
        { amount: 1_000, class: 'A', itemCode: 'S1' },
      ],
    };
    const params = resolveBill(pack, { ...b, categories: [] });
    const drugs = (listed: string[], last: [string, string, number][] = []) => ({
      listed: new Set(listed),
      last: new Map(last.map(([code, date, days]) => [code, { date, days }])),
      refillToleranceDays: 7,
    });
    const code = (bill: Bill, evidence: Parameters<typeof coverageRefusal>[2]) =>
      coverageRefusal(params, bill, evidence, 'bill');
    // 61 days: the days check comes first, whatever the items.
    const long = { ...b, lines: [{ ...b.lines[0]!, days: 61 }, b.lines[1]!] };
    expect(code(long, { filings: [], drugs: drugs([]) })).toMatchObject({
      code: 'two_diseases.days',
    });
    // S1 (a consultation) is not on the list; a line without a code is not either.
    expect(code(b, { filings: [], drugs: drugs(['D1']) })).toMatchObject({
      code: 'two_diseases.item',
      field: 'bill.lines[1]',
    });
    const noCode = { ...b, lines: [{ amount: 100, class: 'A' as const }] };
    expect(code(noCode, { drugs: drugs(['D1']) })).toMatchObject({ field: 'bill.lines[0]' });
    // D1 prescribed for 60 days on 1 May runs to 29 June: 15 days left on 15 June, more than 7.
    const one = { ...b, lines: [b.lines[0]!] };
    expect(
      code(one, { filings: [], drugs: drugs(['D1'], [['D1', '2022-05-01', 60]]) }),
    ).toMatchObject({ code: 'two_diseases.refill', field: 'bill.lines[0]' });
    // Seven left: renewed; then the filing is checked.
    expect(
      code(one, { filings: [], drugs: drugs(['D1'], [['D1', '2022-04-23', 60]]) }),
    ).toMatchObject({ code: 'two_diseases.not_filed' });
    // Without drug evidence (the trial), neither the list nor refills are checked.
    expect(code(b, {})).toBeNull();
  });
});
