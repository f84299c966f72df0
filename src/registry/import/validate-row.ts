/**
 * Checks one import row on its own (pure): the ID number's checksum, the name, known village in
 * the importer's scope, known category, well-formed dates not in the future, amounts that agree
 * with the contribution type. Returns the typed row or the first problem, naming the column.
 */
import { isTriguardError, type Message } from '../../kernel/errors.ts';
import { checkId, checkDigit } from '../../kernel/idcard.ts';
import { parseYuan } from '../../kernel/money.ts';
import type { IsoDate } from '../../kernel/period.ts';
import {
  notFuture,
  parseCategory,
  parseContributionType,
  parseDateLoose,
  parseHouseholdId,
  parseMonthLoose,
  parseName,
  parsePhone,
  parseScheme,
  parseYear,
} from '../fields.ts';
import type { Gender } from '../../kernel/idcard.ts';
import { checkAmounts, type EnrolRequest } from '../rules/enrol.ts';
import type { NewFlag } from '../rules/flag-add.ts';
import { ENROLMENT_KEYS, FLAG_KEYS, headerOf, type ColumnKey, type RawRow } from './columns.ts';
import type { Cell } from '../../tabular/columns.ts';

export interface ImportRow {
  certno: string;
  gender: Gender;
  birthDate: IsoDate;
  name: string;
  regionCode: string;
  householdId: string | null;
  phone: string | null;
  flag: NewFlag | null;
  enrolment: EnrolRequest | null;
}

export interface RowProblem {
  /** The template column at fault (its key), or null for the row as a whole. */
  field: ColumnKey | null;
  reason: Message;
}

export type RowCheck = { ok: true; row: ImportRow } | { ok: false; problem: RowProblem };

export interface RowContext {
  today: IsoDate;
  /** Known village codes. */
  villages: ReadonlySet<string>;
  /** May the importer place people in this village? */
  inScope: (regionCode: string) => boolean;
}

class RowError extends Error {
  constructor(readonly problem: RowProblem) {
    super(problem.reason.en);
  }
}

const fail = (field: ColumnKey, zh: string, en: string): never => {
  throw new RowError({ field, reason: { zh: `${headerOf(field)}：${zh}`, en: `${field}: ${en}` } });
};

export function validateRow(raw: RawRow, ctx: RowContext): RowCheck {
  try {
    return { ok: true, row: build(raw, ctx) };
  } catch (e) {
    if (e instanceof RowError) return { ok: false, problem: e.problem };
    throw e;
  }
}

/** Runs a field parser, turning its error into a row problem for `key`. */
function field<T>(key: ColumnKey, parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    if (isTriguardError(e)) {
      throw new RowError({
        field: key,
        reason: { zh: `${headerOf(key)}：${e.messages.zh}`, en: `${key}: ${e.messages.en}` },
      });
    }
    throw e;
  }
}

const text = (c: Cell | undefined): string | null =>
  c === null || c === undefined ? null : c instanceof Date ? c.toISOString().slice(0, 10) : c;

function build(raw: RawRow, ctx: RowContext): ImportRow {
  const certText = text(raw.certno);
  if (!certText) return fail('certno', '不能为空', 'is empty');
  if (certText.startsWith('#NUMBER:')) {
    return fail(
      'certno',
      '在Excel中存成了数字，末几位已丢失；请将该列设为文本后重新填写',
      'was stored as a number in Excel and lost its last digits; format the column as text',
    );
  }
  const id = checkId(certText);
  if (/^\d{15}$/.test(certText.trim()) && id.valid) {
    // Accepted in searches, but a department list must carry today's 18-digit number.
    return fail(
      'certno',
      `为15位旧号码，请填写18位号码（应为 ${id.normalized}）`,
      `is an old 15-digit number; give the 18-digit one (${id.normalized})`,
    );
  }
  if (!id.valid || !id.normalized || !id.birthDate || !id.gender) {
    const raw17 = certText.trim().toUpperCase().slice(0, 17);
    const hint = /^\d{17}$/.test(raw17) ? `（校验码应为 ${checkDigit(raw17)}）` : '';
    return fail(
      'certno',
      `无效：${id.error?.zh ?? ''}${hint}`,
      `is not valid: ${id.error?.en ?? ''}`,
    );
  }
  if (id.birthDate > ctx.today) {
    return fail(
      'certno',
      `出生日期 ${id.birthDate} 晚于今天`,
      `birth date ${id.birthDate} is in the future`,
    );
  }
  const name = field('name', () => parseName(text(raw.name) ?? '', '姓名'));
  const regionCode = text(raw.regionCode) ?? '';
  if (!ctx.villages.has(regionCode)) {
    return fail(
      'regionCode',
      `不是已知的村（居）区划代码：${regionCode}`,
      `is not a known village code: ${regionCode}`,
    );
  }
  if (!ctx.inScope(regionCode)) {
    return fail(
      'regionCode',
      `${regionCode} 不在您的数据范围内`,
      `${regionCode} is outside your data scope`,
    );
  }
  const phoneText = text(raw.phone);
  return {
    certno: id.normalized,
    gender: id.gender,
    birthDate: id.birthDate,
    name,
    regionCode,
    householdId: field('householdId', () => parseHouseholdId(text(raw.householdId), '家庭户编号')),
    phone: phoneText ? field('phone', () => parsePhone(phoneText, '联系电话')) : null,
    flag: FLAG_KEYS.some((k) => raw[k] != null) ? buildFlag(raw, ctx) : null,
    enrolment: ENROLMENT_KEYS.some((k) => raw[k] != null) ? buildEnrolment(raw, ctx) : null,
  };
}

function required(raw: RawRow, key: ColumnKey, group: 'flag' | 'enrolment'): string | Date {
  const v = raw[key];
  if (v === null || v === undefined) {
    return group === 'flag'
      ? fail(key, '填写标识信息时必填', 'is required for a flag')
      : fail(key, '填写参保信息时必填', 'is required for an enrolment');
  }
  return v;
}

function buildFlag(raw: RawRow, ctx: RowContext): NewFlag {
  const category = field('category', () =>
    parseCategory(text(required(raw, 'category', 'flag')) ?? '', '身份类别'),
  );
  const fromMonth = field('fromMonth', () =>
    parseMonthLoose(required(raw, 'fromMonth', 'flag'), '标识起始月'),
  );
  const toMonth = raw.toMonth
    ? field('toMonth', () => parseMonthLoose(raw.toMonth!, '标识终止月'))
    : null;
  if (toMonth !== null && toMonth < fromMonth) {
    return fail('toMonth', '早于标识起始月', 'is before fromMonth');
  }
  const recognisedOn = raw.recognisedOn
    ? field('recognisedOn', () =>
        notFuture(parseDateLoose(raw.recognisedOn!, '认定日期'), ctx.today, '认定日期'),
      )
    : null;
  return {
    category,
    fromMonth,
    toMonth,
    recognisedOn,
    source: text(raw.source),
    evidenceNo: text(raw.evidenceNo),
  };
}

function buildEnrolment(raw: RawRow, ctx: RowContext): EnrolRequest {
  const year = field('year', () =>
    parseYear(text(required(raw, 'year', 'enrolment')) ?? '', '参保年度'),
  );
  const scheme = field('scheme', () =>
    parseScheme(text(required(raw, 'scheme', 'enrolment')) ?? '', '险种'),
  );
  const contributionType = field('contributionType', () =>
    parseContributionType(text(required(raw, 'contributionType', 'enrolment')) ?? '', '缴费类型'),
  );
  const yuan = (key: ColumnKey, label: string) => {
    const t = text(raw[key]);
    return t ? field(key, () => parseYuan(t, label)) : 0;
  };
  const enrolledOn = field('enrolledOn', () =>
    notFuture(
      parseDateLoose(required(raw, 'enrolledOn', 'enrolment'), '参保日期'),
      ctx.today,
      '参保日期',
    ),
  );
  const req: EnrolRequest = {
    year,
    scheme,
    contributionType,
    contribution: yuan('contribution', '个人缴费(元)'),
    fundedAmount: yuan('fundedAmount', '资助金额(元)'),
    funder: text(raw.funder),
    enrolledOn,
  };
  if (Number(enrolledOn.slice(0, 4)) > year) {
    return fail('enrolledOn', `晚于参保年度 ${year}`, `is after the medical year ${year}`);
  }
  field('contributionType', () => checkAmounts(req));
  return req;
}
