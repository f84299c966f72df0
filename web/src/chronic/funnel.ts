/**
 * The screening funnel as a chart: screened → visited → applied → certified as falling bars, the
 * refused beside them in red, each labelled with its count and its share of the screened.
 */
import type { ChartOption } from '../components/ChartBox.vue';
import type { Funnel } from '../api/types.ts';

export const FUNNEL_STEPS = ['screened', 'visited', 'applied', 'certified', 'refused'] as const;
export type FunnelStep = (typeof FUNNEL_STEPS)[number];

const COLOURS: Record<FunnelStep, string> = {
  screened: '#3a7bd5',
  visited: '#5b8ff9',
  applied: '#61ddaa',
  certified: '#2e9f5b',
  refused: '#e8684a',
};

/** Share of the screened as "12.3%" (— when nobody was screened). */
export function shareOf(n: number, screened: number): string {
  if (screened <= 0) return '—';
  return `${((n / screened) * 100).toFixed(1).replace(/\.0$/, '')}%`;
}

export function funnelOption(f: Funnel, label: (step: FunnelStep) => string): ChartOption {
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { left: 100, right: 120, top: 10, bottom: 20 },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', inverse: true, data: FUNNEL_STEPS.map(label) },
    series: [
      {
        type: 'bar',
        data: FUNNEL_STEPS.map((s) => ({ value: f[s], itemStyle: { color: COLOURS[s] } })),
        label: {
          show: true,
          position: 'right',
          formatter: (p: { dataIndex: number }) => {
            const step = FUNNEL_STEPS[p.dataIndex]!;
            const n = f[step];
            return step === 'screened' ? String(n) : `${n}（${shareOf(n, f.screened)}）`;
          },
        },
      },
    ],
  } as ChartOption;
}
