import { describe, expect, it } from 'vitest';
import { FUNNEL_STEPS, funnelOption, shareOf } from './funnel.ts';

const WENSHANG = {
  screened: 4046,
  visited: 3100,
  applied: 503,
  certified: 407,
  refused: 96,
  notApplying: { no_chronic_disease: 1200 },
};

describe('the screening funnel chart', () => {
  it('gives each step its share of the screened', () => {
    expect(shareOf(407, 4046)).toBe('10.1%');
    expect(shareOf(503, 4046)).toBe('12.4%');
    expect(shareOf(0, 0)).toBe('—');
    expect(shareOf(5, 10)).toBe('50%');
  });

  it('draws the five steps in order with counts and shares as labels', () => {
    const o = funnelOption(WENSHANG, (s) => `<${s}>`) as {
      yAxis: { data: string[] };
      series: {
        data: { value: number }[];
        label: { formatter: (p: { dataIndex: number }) => string };
      }[];
    };
    expect(o.yAxis.data).toEqual(FUNNEL_STEPS.map((s) => `<${s}>`));
    expect(o.series[0]!.data.map((d) => d.value)).toEqual([4046, 3100, 503, 407, 96]);
    const label = o.series[0]!.label.formatter;
    expect(label({ dataIndex: 0 })).toBe('4046');
    expect(label({ dataIndex: 3 })).toBe('407（10.1%）');
  });
});
