/**
 * One import row on its own (pure): the ID number, dates in order, the disease named as the
 * file may write it. What needs the database (the person in scope, the catalogue of their county,
 * duplicates, the institution) is checked by the service, row by row, in the batch's transaction.
 */
import type { Message } from '../../kernel/errors.ts';
import { checkId } from '../../kernel/idcard.ts';
import { normaliseDate, type IsoDate } from '../../kernel/period.ts';
import type { TwoDiseaseName } from '../../policy/index.ts';
import type { Cell } from '../../registry/import/columns.ts';
import { CERTIFICATE_NO_RE } from '../core/certificate.ts';

export interface RowProblem {
  field: string | null;
  code: string;
  message: Message;
}

export interface CertificateImportRow {
  row: number;
  certno: string;
  name: string | null;
  /** A catalogue code (M002) or a national code (M01600): the service resolves it. */
  disease: string;
  validFrom: IsoDate;
  validTo: IsoDate | null;
  certificateNo: string | null;
  issuedOn: IsoDate | null;
}

export interface FilingImportRow {
  row: number;
  certno: string;
  name: string | null;
  disease: TwoDiseaseName;
  diagnosis: string | null;
  fixmedinsCode: string;
  validFrom: IsoDate;
  validTo: IsoDate | null;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: RowProblem };

class Bad extends Error {
  constructor(readonly problem: RowProblem) {
    super(problem.message.en);
  }
}

const bad = (field: string | null, code: string, zh: string, en: string): never => {
  throw new Bad({ field, code, message: { zh, en } });
};

const textOf = (c: Cell | undefined): string | null =>
  c === null || c === undefined
    ? null
    : c instanceof Date
      ? c.toISOString().slice(0, 10)
      : c.trim() === ''
        ? null
        : c.trim();

function required(cells: Partial<Record<string, Cell>>, key: string, header: string): string {
  return (
    textOf(cells[key]) ??
    bad(key, 'chronic.import.missing', `${header}：不能为空`, `${key}: is required`)
  );
}

function dateOf(text: string | null, key: string, header: string): IsoDate | null {
  if (text === null) return null;
  return (
    normaliseDate(text) ??
    bad(
      key,
      'chronic.import.bad_date',
      `${header}：不是日期：${text}`,
      `${key}: not a date: ${text}`,
    )
  );
}

function certnoOf(cells: Partial<Record<string, Cell>>): string {
  const text = required(cells, 'certno', '身份证号');
  if (text.startsWith('#NUMBER:')) {
    bad(
      'certno',
      'certno.invalid',
      '身份证号：以数字格式保存，末几位已丢失（请设为文本）',
      'certno: stored as a number, its last digits are lost',
    );
  }
  const r = checkId(text);
  if (!r.valid || !r.normalized) {
    bad(
      'certno',
      'certno.invalid',
      `身份证号：无效（${r.error?.zh ?? ''}）`,
      `certno: not a valid ID number (${r.error?.en ?? ''})`,
    );
  }
  return r.normalized!;
}

function period(cells: Partial<Record<string, Cell>>): {
  validFrom: IsoDate;
  validTo: IsoDate | null;
} {
  const validFrom = dateOf(required(cells, 'validFrom', '开始日期'), 'validFrom', '开始日期')!;
  const validTo = dateOf(textOf(cells.validTo), 'validTo', '结束日期');
  if (validTo !== null && validTo < validFrom) {
    bad(
      'validTo',
      'chronic.dates_out_of_order',
      `结束日期 ${validTo} 早于开始日期 ${validFrom}`,
      `validTo ${validTo} is before validFrom ${validFrom}`,
    );
  }
  return { validFrom, validTo };
}

function run<T>(build: () => T): Parsed<T> {
  try {
    return { ok: true, value: build() };
  } catch (e) {
    if (e instanceof Bad) return { ok: false, problem: e.problem };
    throw e;
  }
}

export function parseCertificateRow(
  row: number,
  cells: Partial<Record<string, Cell>>,
): Parsed<CertificateImportRow> {
  return run(() => {
    const certno = certnoOf(cells);
    const disease = required(cells, 'disease', '病种编码').toUpperCase();
    if (!/^[A-Z][A-Z0-9]{1,15}$/.test(disease)) {
      bad(
        'disease',
        'chronic.unknown_disease',
        `病种编码：不是病种编码：${disease}`,
        `disease: not a disease code: ${disease}`,
      );
    }
    const certificateNo = textOf(cells.certificateNo);
    if (certificateNo !== null && !CERTIFICATE_NO_RE.test(certificateNo)) {
      bad(
        'certificateNo',
        'chronic.import.bad_number',
        `证号：只能含字母、数字和 -（4–40 位）：${certificateNo}`,
        `certificateNo: letters, digits and - (4–40): ${certificateNo}`,
      );
    }
    return {
      row,
      certno,
      name: textOf(cells.name),
      disease,
      ...period(cells),
      certificateNo,
      issuedOn: dateOf(textOf(cells.issuedOn), 'issuedOn', '发证日期'),
    };
  });
}

const TWO_DISEASE_WORDS: Record<string, TwoDiseaseName> = {
  hypertension: 'hypertension',
  高血压: 'hypertension',
  高血压病: 'hypertension',
  diabetes: 'diabetes',
  糖尿病: 'diabetes',
};

export function parseFilingRow(
  row: number,
  cells: Partial<Record<string, Cell>>,
): Parsed<FilingImportRow> {
  return run(() => {
    const certno = certnoOf(cells);
    const word = required(cells, 'disease', '两病病种');
    const disease =
      TWO_DISEASE_WORDS[word.toLowerCase()] ??
      bad(
        'disease',
        'chronic.unknown_disease',
        `两病病种：应为 高血压 或 糖尿病：${word}`,
        `disease: hypertension or diabetes, not ${word}`,
      );
    const fixmedinsCode = required(cells, 'fixmedinsCode', '备案机构编码');
    if (!/^[A-Za-z0-9]{1,32}$/.test(fixmedinsCode)) {
      bad(
        'fixmedinsCode',
        'chronic.institution_unknown',
        `备案机构编码：格式无效：${fixmedinsCode}`,
        `fixmedinsCode: not an institution code: ${fixmedinsCode}`,
      );
    }
    return {
      row,
      certno,
      name: textOf(cells.name),
      disease,
      diagnosis: textOf(cells.diagnosis),
      fixmedinsCode,
      ...period(cells),
    };
  });
}
