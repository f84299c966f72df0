import { describe, expect, it } from 'vitest';
import { TriguardError } from '../kernel/errors.ts';
import type { BillContext } from '../policy/types.ts';
import { answerTrial, categoriesOn, runTrial } from './trial.ts';
import { readTrialInput } from './trial-input.ts';
import { EXAMPLE, handPacks } from './testing/example.ts';
import { basic, params, resolved } from './testing/params.ts';

describe('trial (docs/settlement.md §6)', () => {
  it('answers the worked example in yuan', async () => {
    const seen: string[] = [];
    const answer = await answerTrial(EXAMPLE, handPacks(seen));
    expect(seen).toEqual(['demo-2022']);
    const first = answer.results[0]!;
    if ('refused' in first) throw new Error('the worked example is refused');
    const { explain, ...amounts } = first;
    expect(amounts).toEqual({
      id: 'b1',
      medfee_sumamt: 15500,
      fulamt_ownpay_amt: 500,
      overlmt_selfpay: 0,
      preselfpay_amt: 300,
      inscp_scp_amt: 14700,
      act_pay_dedc: 250,
      hifp_pay: 13005,
      hifmi_pay: 0,
      maf_pay: 1186.5,
      reassist_pay: 0,
      backstop_pay: 0,
      fund_pay_sumamt: 14191.5,
      psn_part_amt: 1308.5,
      psn_cash_pay: 1308.5,
    });
    expect(explain.map((e) => e.tier)).toEqual([
      'basic_insurance',
      'critical_illness',
      'assistance',
      're_assistance',
      'backstop',
    ]);
    expect(explain[0]).toMatchObject({
      base: 14700,
      deductible: 250,
      ratios: [{ ratioBp: 9000, base: 14450 }],
      caps: [{ group: 'main', cap: 200000 }],
    });
    expect(explain[0]?.provenance.deductible[0]?.note?.zh).toBe('低保减半');
    expect(JSON.parse(JSON.stringify(answer))).toEqual(answer);
  });

  it('applies each category only to bills dated inside its month range, ends included', () => {
    const ranges = readTrialInput({
      ...EXAMPLE,
      person: {
        categories: [
          { code: 'subsistence', from: '2022-02', to: '2022-03' },
          { code: 'monitored', from: '2022-03', to: null },
          { code: 'subsistence', from: '2022-06', to: '2022-06' },
        ],
      },
    }).categories;
    expect(categoriesOn(ranges, '2022-01-31')).toEqual([]);
    expect(categoriesOn(ranges, '2022-02-01')).toEqual(['subsistence']);
    expect(categoriesOn(ranges, '2022-03-31')).toEqual(['subsistence', 'monitored']);
    expect(categoriesOn(ranges, '2022-04-01')).toEqual(['monitored']);
    expect(categoriesOn(ranges, '2022-06-15')).toEqual(['monitored', 'subsistence']);
  });

  it('carries accumulators from bill to bill and starts a new calendar year fresh', () => {
    const annual = (ctx: BillContext) =>
      params({
        context: ctx,
        basic: basic({
          deductible: resolved('d', 60_000),
          deductibleScope: 'annual',
          deductibleKey: 'k',
        }),
      });
    const bill = (id: string, date: string) => ({
      ...EXAMPLE.bills[0],
      id,
      date,
      lines: [{ amount: 400, class: 'A' }],
    });
    const input = readTrialInput({
      pack: 'p',
      bills: [
        bill('a', '2022-11-01'),
        bill('b', '2022-12-31'),
        bill('c', '2023-01-01'),
        bill('d', '2022-12-31'),
      ],
    });
    const dedc = runTrial(input, annual).map((r) => [
      r.id,
      r.refused ? null : r.amounts.act_pay_dedc,
    ]);
    // 600 a year: 400 + 200 in 2022; 2023 starts again; back in 2022 it is used up.
    expect(dedc).toEqual([
      ['a', 40_000],
      ['b', 20_000],
      ['c', 40_000],
      ['d', 0],
    ]);
  });

  it('resolves every bill with its own context and the categories of its date', () => {
    const seen: BillContext[] = [];
    const input = readTrialInput({
      ...EXAMPLE,
      person: { categories: [{ code: 'severe_mental', from: '2022-03', to: '2022-03' }] },
      bills: [
        { ...EXAMPLE.bills[0], id: 'x', remote: 'filed', hospitalLevel: 3, diagnosis: 'F20.0' },
        { ...EXAMPLE.bills[0], id: 'y', date: '2022-04-01', visitType: 'chronic_outpatient' },
      ],
    });
    runTrial(input, (ctx) => {
      seen.push(ctx);
      return params({ context: ctx });
    });
    expect(seen).toEqual([
      {
        date: '2022-03-15',
        visitType: 'inpatient',
        hospitalLevel: 3,
        diagnosis: 'F20.0',
        remote: 'filed',
        categories: ['severe_mental'],
      },
      {
        date: '2022-04-01',
        visitType: 'chronic_outpatient',
        hospitalLevel: 2,
        diagnosis: 'K35.8',
        remote: null,
        categories: [],
      },
    ]);
  });
});

describe('readTrialInput', () => {
  const refuse = (doc: unknown) => {
    try {
      readTrialInput(doc);
    } catch (e) {
      if (e instanceof TriguardError) return [e.kind, e.code, e.field];
      throw e;
    }
    throw new Error('expected a refusal');
  };
  const withCategory = (c: Record<string, unknown>) => ({
    ...EXAMPLE,
    person: { categories: [c] },
  });
  const withBill = (b: Record<string, unknown>) => ({
    ...EXAMPLE,
    bills: [EXAMPLE.bills[0], { ...EXAMPLE.bills[0], ...b }],
  });

  it.each([
    ['no pack', { ...EXAMPLE, pack: undefined }, 'field.required', 'pack'],
    [
      'an unknown category',
      withCategory({ code: 'vip', from: '2022-01' }),
      'person.category_unknown',
      'person.categories[0].code',
    ],
    [
      'a bad month',
      withCategory({ code: 'subsistence', from: '2022-13' }),
      'month.invalid',
      'person.categories[0].from',
    ],
    [
      'a missing month',
      withCategory({ code: 'subsistence' }),
      'month.invalid',
      'person.categories[0].from',
    ],
    [
      'a reversed range',
      withCategory({ code: 'subsistence', from: '2022-05', to: '2022-04' }),
      'period.reversed',
      'person.categories[0].to',
    ],
    [
      'categories not a list',
      { ...EXAMPLE, person: { categories: 'subsistence' } },
      'field.not_list',
      'person.categories',
    ],
    ['no bills', { ...EXAMPLE, bills: [] }, 'field.not_list', 'bills'],
    ['a repeated id', withBill({ id: 'b1' }), 'trial.duplicate_bill_id', 'bills[1].id'],
    [
      'a bad date in a later bill',
      withBill({ id: 'b2', date: '2022-3-1' }),
      'date.invalid',
      'bills[1].date',
    ],
    [
      'a negative amount',
      withBill({ id: 'b2', lines: [{ amount: -5, class: 'A' }] }),
      'money.negative',
      'bills[1].lines[0].amount',
    ],
    ['a body that is not an object', [1, 2], 'field.not_object', 'body'],
    [
      'days that are not a positive whole number',
      withBill({ id: 'b2', lines: [{ amount: 5, class: 'A', days: 0 }] }),
      'bill.days',
      'bills[1].lines[0].days',
    ],
    [
      'fractional days',
      withBill({ id: 'b2', lines: [{ amount: 5, class: 'A', days: 30.5 }] }),
      'bill.days',
      'bills[1].lines[0].days',
    ],
    [
      'a certificate ending before it starts',
      {
        ...EXAMPLE,
        person: { certificates: [{ disease: 'M002', from: '2022-03-01', to: '2022-02-28' }] },
      },
      'period.reversed',
      'person.certificates[0].to',
    ],
    [
      'a certificate with a bad date',
      { ...EXAMPLE, person: { certificates: [{ disease: 'M002', from: '2022-02-30' }] } },
      'date.invalid',
      'person.certificates[0].from',
    ],
    [
      'a filing for another disease',
      { ...EXAMPLE, person: { filings: [{ disease: 'asthma', from: '2022-01-01', to: null }] } },
      'person.disease_unknown',
      'person.filings[0].disease',
    ],
    [
      'certificates not a list',
      { ...EXAMPLE, person: { certificates: { disease: 'M002' } } },
      'field.not_list',
      'person.certificates',
    ],
  ])('refuses %s as unprocessable, naming the field', (_what, doc, code, field) => {
    expect(refuse(doc)).toEqual(['unprocessable', code, field]);
  });

  it('numbers bills without an id from 1 and allows a person without categories', () => {
    const noPerson: Record<string, unknown> = { ...EXAMPLE };
    delete noPerson.person;
    const input = readTrialInput({
      ...noPerson,
      bills: [
        { ...EXAMPLE.bills[0], id: undefined },
        { ...EXAMPLE.bills[0], id: 7 },
      ],
    });
    expect(input.categories).toEqual([]);
    expect(input.bills.map((b) => b.id)).toEqual(['1', '7']);
  });
});
