/**
 * Request fields every module's schemas share. A date or month is checked for being a real day
 * or month, not only its shape: `2022-13-45` is the client's error (400 naming the field), never a
 * database error.
 */
import { z } from 'zod';
import { isDate, isMonth } from '../kernel/period.ts';

export const isoDate = z.string().refine(isDate, { message: 'YYYY-MM-DD' });
export const isoMonth = z.string().refine(isMonth, { message: 'YYYY-MM' });
