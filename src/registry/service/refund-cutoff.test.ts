import { expect, it } from 'vitest';
import { loadRefundCutoffs } from './refund-cutoff.ts';

it('takes the refund cut-off from the county’s pack for the year, and nothing where none applies', async () => {
  const cutoff = await loadRefundCutoffs();
  expect(cutoff('370899001001', 2022)).toBe('2021-12-31');
  expect(cutoff('370899001001', 2023)).toBe('2022-12-31');
  expect(cutoff('110101001001', 2022)).toBeUndefined();
});
