/**
 * The registry's days are the bureau's days (China Standard Time): "today" for a rule, and the
 * day an as-of query means, are dates in Asia/Shanghai whatever the server's time zone.
 */
import type { IsoDate } from './period.ts';
import { addDays } from './dates.ts';

const DAY = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The bureau's date at an instant. */
export const localDate = (at: Date): IsoDate => DAY.format(at);

/** The instant a bureau day ends (the next midnight, +08:00): "as the registry stood that day". */
export const endOfDay = (date: IsoDate): string => `${addDays(date, 1)}T00:00:00+08:00`;
