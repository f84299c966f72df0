import { describe, expect, it } from 'vitest';
import type { SettlementAmounts } from './calculate.ts';
import { applyPostTier, type PostTierStep } from './post-tier.ts';

const amounts = (psn: number): SettlementAmounts => ({
  medfee_sumamt: 10_000 + psn,
  fulamt_ownpay_amt: 0,
  overlmt_selfpay: 0,
  preselfpay_amt: 0,
  inscp_scp_amt: 10_000 + psn,
  act_pay_dedc: 0,
  hifp_pay: 10_000,
  hifmi_pay: 0,
  maf_pay: 0,
  reassist_pay: 0,
  backstop_pay: 0,
  fund_pay_sumamt: 10_000,
  psn_part_amt: psn,
  psn_cash_pay: psn,
});

const waiver = (ratio: number): PostTierStep => ({
  kind: 'hospital_waiver',
  code: 'w',
  programme: 'p',
  ratio,
  reference: 'ref',
  why: { zh: '协议', en: 'agreement' },
});

describe('steps after the tiers', () => {
  it('leaves the amounts untouched without steps', () => {
    const a = amounts(333);
    expect(applyPostTier(a, [])).toEqual({ amounts: a, lines: [] });
  });

  it('takes each step’s share of what the patient still pays, in order, rounding half up once', () => {
    const r = applyPostTier(amounts(333), [waiver(5_000), waiver(5_000)]);
    expect(r.lines.map((l) => [l.base, l.amount])).toEqual([
      [333, 167],
      [166, 83],
    ]);
    expect(r.amounts).toMatchObject({ hosp_part_amt: 250, psn_part_amt: 83, psn_cash_pay: 83 });
    expect(r.amounts.medfee_sumamt).toBe(
      r.amounts.fund_pay_sumamt + r.amounts.psn_part_amt + r.amounts.hosp_part_amt!,
    );
  });
});
