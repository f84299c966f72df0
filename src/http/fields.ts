/**
 * Request fields every module's schemas share. A date or month is checked for being a real day
 * or month, not only its shape: `2022-13-45` is the client's error (400 naming the field), never a
 * database error. A date is read as the import files read it (kernel normaliseDate): `2022-2-3`
 * is 2022-02-03 in the API as in a spreadsheet, and a month likewise (kernel normaliseMonth).
 * Every integer is bounded by the column it ends in, so an out-of-range number is a 400 here and
 * never a PostgreSQL range error.
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

/** PostgreSQL `integer`. */
export const INT4_MAX = 2_147_483_647;

/** A row id in a path or query (bigint columns; JavaScript numbers are exact to 2^53). */
export const rowIdParam = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
/** A positive `integer` column (pass numbers and the like) in a path or query. */
export const int4Param = z.coerce.number().int().positive().max(INT4_MAX);
/** The same in a JSON body, where numbers are not coerced from text. */
export const int4Body = z.number().int().positive().max(INT4_MAX);
/** An offset into a listing, or a page number. */
export const offsetParam = z.coerce.number().int().min(0).max(INT4_MAX).default(0);
export const pageParam = z.coerce.number().int().min(1).max(100_000).default(1);
