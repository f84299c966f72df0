/**
 * How numbers read on screen: yuan with thousands separators and two decimals (the kernel's own
 * formatter, on fen, so no float rounding shows), ratios as percent, ID numbers as the API gives
 * them (masked already when the reader may not see them whole).
 */
import { formatYuanGrouped } from '../../src/kernel/money.ts';

/** A yuan amount from the API (a JSON number) → "12,345.50"; null/undefined → "—". */
export function formatAmount(yuan: number | null | undefined): string {
  if (yuan === null || yuan === undefined || !Number.isFinite(yuan)) return '—';
  return formatFen(yuan * 100);
}

/**
 * Fen (the accumulators answer in fen) → "12,345.50". A number past what fen can hold exactly
 * (a typo of many nines in a form) shows as "—" instead of stopping the page.
 */
export function formatFen(fen: number | null | undefined): string {
  if (fen === null || fen === undefined || !Number.isFinite(fen)) return '—';
  const whole = Math.round(fen);
  return Number.isSafeInteger(whole) ? formatYuanGrouped(whole) : '—';
}

/** Basis points → "85%" / "82.5%". */
export const formatRatio = (bp: number): string =>
  `${(bp / 100).toFixed(2).replace(/\.?0+$/, '')}%`;

/** A count with thousands separators. */
export const formatCount = (n: number | null | undefined): string =>
  n === null || n === undefined ? '—' : n.toLocaleString('en-US');

/** A timestamp as the bureau's local date and time (YYYY-MM-DD HH:mm). */
export function formatTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).formatToParts(d);
  const v = (t: string) => p.find((x) => x.type === t)?.value ?? '';
  return `${v('year')}-${v('month')}-${v('day')} ${v('hour')}:${v('minute')}`;
}
