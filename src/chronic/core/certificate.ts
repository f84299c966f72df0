/**
 * The certificate (门诊慢特病证, docs/chronic.md §13–§14): its number, and ending one of its
 * diseases. Pure.
 */
import { conflict, notFound, unprocessable } from '../../kernel/errors.ts';
import type { IsoDate } from '../../kernel/period.ts';
import type { CertificateDisease } from './model.ts';

/**
 * `MT` + the county's six digits + the year of issue + a serial of at least six digits:
 * MT3708992022000123. The serial comes from one database sequence, so numbers are unique and
 * never reused, though not consecutive within a county.
 */
export function certificateNumber(regionCode: string, issuedOn: IsoDate, serial: number): string {
  return `MT${regionCode.slice(0, 6)}${issuedOn.slice(0, 4)}${String(serial).padStart(6, '0')}`;
}

export const CERTIFICATE_NO_RE = /^[A-Za-z0-9-]{4,40}$/;

/** The row of a disease a person's certificate holds now: the latest one not ended. */
type Row = Pick<CertificateDisease, 'disease' | 'validFrom' | 'validTo' | 'endedReason'>;

export function diseaseToEnd<R extends Row>(rows: readonly R[], disease: string): R {
  const mine = rows
    .filter((r) => r.disease === disease)
    .sort((a, b) => b.validFrom.localeCompare(a.validFrom));
  if (mine.length === 0) {
    throw notFound(
      'chronic.disease_not_certified',
      'disease',
      `门诊慢特病证上没有病种 ${disease}`,
      `the certificate does not hold ${disease}`,
    );
  }
  const open = mine.find((r) => r.endedReason === null);
  if (!open) {
    throw conflict(
      'chronic.already_ended',
      'disease',
      `病种 ${disease} 已终止`,
      `${disease} has already ended`,
    );
  }
  return open;
}

/** The last day of cover must fall inside the disease's validity. */
export function checkEndDate(row: Pick<CertificateDisease, 'validFrom' | 'validTo'>, on: IsoDate) {
  if (on < row.validFrom) {
    throw unprocessable(
      'chronic.dates_out_of_order',
      'on',
      `终止日期 ${on} 早于有效期起始日 ${row.validFrom}`,
      `the end date ${on} is before the start of validity ${row.validFrom}`,
    );
  }
  if (row.validTo !== null && on > row.validTo) {
    throw unprocessable(
      'chronic.dates_out_of_order',
      'on',
      `终止日期 ${on} 晚于有效期截止日 ${row.validTo}`,
      `the end date ${on} is after the end of validity ${row.validTo}`,
    );
  }
}
