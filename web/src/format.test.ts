import { describe, expect, it } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { formatAmount, formatFen, formatRatio } from './format.ts';
import TierTable from './components/TierTable.vue';
import { plugins } from './test-support.ts';
import type { Explain } from './api/types.ts';

describe('amount formatting', () => {
  it('shows yuan with thousands separators and two decimals, without float noise', () => {
    expect(formatAmount(1234567.5)).toBe('1,234,567.50');
    expect(formatAmount(0.1 + 0.2)).toBe('0.30');
    expect(formatAmount(-2765)).toBe('-2,765.00');
    expect(formatAmount(0)).toBe('0.00');
    expect(formatAmount(null)).toBe('—');
    expect(formatFen(123456)).toBe('1,234.56');
    expect(formatRatio(8250)).toBe('82.5%');
    expect(formatRatio(9000)).toBe('90%');
  });

  it('shows an amount too large for exact fen as a dash instead of throwing', () => {
    expect(formatAmount(99_999_999_999_999)).toBe('—');
    expect(formatFen(1e300)).toBe('—');
    expect(formatAmount(99_999_999.99)).toBe('99,999,999.99');
  });

  it('renders every tier amount of a settlement formatted', async () => {
    const explain: Explain[] = [
      {
        tier: 'basic_insurance',
        counts: true,
        entitled: true,
        base: 25400,
        cumulativeBefore: null,
        deductibleScope: 'admission',
        deductible: 250,
        deductibleLeft: 250,
        deductibleApplied: 250,
        ratios: [],
        caps: [],
        amount: 22635,
        capped: false,
        programme: null,
        text: {
          zh: '基本医保：统筹基金支付 22,635.00 元。',
          en: 'Basic insurance pays 22,635.00.',
        },
      },
    ];
    const w = mount(TierTable, {
      props: {
        explain,
        amounts: { medfee_sumamt: 29000, fund_pay_sumamt: 24570.5, psn_cash_pay: 4429.5 },
      },
      global: { plugins: plugins() },
    });
    // el-table lays its rows out after mounting.
    await flushPromises();
    await new Promise((r) => setTimeout(r, 50));
    expect(w.find('[data-tier=basic_insurance]').text()).toBe('22,635.00');
    expect(w.find('[data-test=fund-total]').text()).toBe('24,570.50');
    expect(w.find('[data-test=cash-total]').text()).toBe('4,429.50');
    expect(w.text()).toContain('29,000.00');
    expect(w.text()).toContain('基本医保：统筹基金支付');
  });
});
