/**
 * coverage.yaml: how settlement checks certificates (门诊慢特病证) and two-diseases filings
 * (两病备案), docs/chronic.md §5 — from which date it checks them, and how many days of a drug's
 * last two-diseases prescription may remain when the next one is made.
 */
import { z } from 'zod';
import { date, dated, days } from './schema-common.ts';

export const coverageFile = z.strictObject({
  checked_from: dated(date),
  two_diseases: z.strictObject({
    refill_tolerance_days: dated(days),
  }),
});

export type CoverageFile = z.output<typeof coverageFile>;
