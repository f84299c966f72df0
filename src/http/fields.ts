/**
 * Request fields every module's schemas share. A date or month is checked for being a real day
 * or month, not only its shape: `2022-13-45` is the client's error (400 naming the field), never a
 * database error. A date is read as the import files read it (kernel normaliseDate): `2022-2-3`
 * is 2022-02-03 in the API as in a spreadsheet, and a month likewise (kernel normaliseMonth).
 */
import { z } from 'zod';
import { normaliseDate, normaliseMonth } from '../kernel/period.ts';

export const isoDate = z
  .string()
  .transform(
    (text, ctx) =>
      normaliseDate(text) ?? (ctx.addIssue({ code: 'custom', message: 'YYYY-MM-DD' }), z.NEVER),
  )
  .describe('YYYY-MM-DD（也接受 2022-2-3、2022/2/3、20220203）');
export const isoMonth = z
  .string()
  .transform(
    (text, ctx) =>
      normaliseMonth(text) ?? (ctx.addIssue({ code: 'custom', message: 'YYYY-MM' }), z.NEVER),
  )
  .describe('YYYY-MM（也接受 2022-2、2022/2、202202）');
