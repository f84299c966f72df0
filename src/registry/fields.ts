/**
 * Field parsers shared by the API and the import: each takes what a person typed (or a
 * spreadsheet cell held), returns the normalised value, or throws an error naming the field in
 * Chinese and English. Spreadsheets from departments write the same thing many ways (2022/3/1,
 * 20220301, 低保, 低保对象), so the parsers accept the common spellings.
 */
import { invalid } from '../kernel/errors.ts';
import { normaliseDate, normaliseMonth, type IsoDate, type Month } from '../kernel/period.ts';
import { CATEGORIES, CATEGORY_LABELS, type Category } from '../policy/index.ts';
import { CONTRIBUTION_TYPES, SCHEMES, type ContributionType, type Scheme } from './model.ts';
import { plainText } from './rules/text.ts';

export function parseName(text: string, field: string): string {
  // Checked before spaces are folded, which would turn a line break into a space.
  const name = plainText(text.trim(), field).replace(/\s+/g, ' ');
  if (!name) throw invalid('name.empty', field, `${field} 姓名不能为空`, `${field} is empty`);
  if (name.length > 40 || /[\d@#$%^&*()_+=<>?/\\|{}[\]]/.test(name)) {
    throw invalid(
      'name.invalid',
      field,
      `${field} 姓名无效：${name}`,
      `${field} is not a valid name: ${name}`,
    );
  }
  return name;
}

/** A household number as typed, or null when empty. */
export function parseHouseholdId(text: string | null, field: string): string | null {
  const id = text?.trim() ?? '';
  return id === '' ? null : plainText(id, field);
}

export function parsePhone(text: string, field: string): string | null {
  const phone = text.trim().replace(/[\s-]/g, '');
  if (!phone) return null;
  if (!/^(1\d{10}|0\d{9,11}|\d{7,8})$/.test(phone)) {
    throw invalid(
      'phone.invalid',
      field,
      `${field} 电话号码无效：${text}`,
      `${field} is not a valid phone number: ${text}`,
    );
  }
  return phone;
}

/** Dates: 2022-03-01, 2022-3-1, 2022/3/1, 2022.3.1, 20220301 (normaliseDate), or a spreadsheet date. */
export function parseDateLoose(value: string | Date, field: string): IsoDate {
  if (value instanceof Date) {
    // Spreadsheet dates carry no zone; ExcelJS reads them as UTC midnight.
    if (Number.isNaN(value.getTime())) throw badDate(field, String(value));
    return value.toISOString().slice(0, 10);
  }
  const date = normaliseDate(value);
  if (date === null) throw badDate(field, value.trim());
  return date;
}

const badDate = (field: string, text: string) =>
  invalid(
    'date.invalid',
    field,
    `${field} 日期无效（应为 YYYY-MM-DD）：${text}`,
    `${field} is not a valid date (YYYY-MM-DD): ${text}`,
  );

/** Months: 2022-03, 2022/3, 2022.3, 202203, 2022年3月, or a spreadsheet date. */
export function parseMonthLoose(value: string | Date, field: string): Month {
  if (value instanceof Date) return parseDateLoose(value, field).slice(0, 7);
  const month = normaliseMonth(value);
  if (month === null) {
    throw invalid(
      'month.invalid',
      field,
      `${field} 月份无效（应为 YYYY-MM）：${value.trim()}`,
      `${field} is not a valid month (YYYY-MM): ${value.trim()}`,
    );
  }
  return month;
}

export function notFuture(date: IsoDate, today: IsoDate, field: string): IsoDate {
  if (date > today) {
    throw invalid(
      'date.future',
      field,
      `${field} 不能晚于今天（${today}）：${date}`,
      `${field} is in the future (today is ${today}): ${date}`,
    );
  }
  return date;
}

const CATEGORY_ALIASES: Record<string, Category> = {
  特困: 'extreme_poverty',
  特困人员: 'extreme_poverty',
  五保: 'extreme_poverty',
  低保: 'subsistence',
  低保户: 'subsistence',
  返贫致贫: 'poverty_returned',
  脱贫享受政策人员: 'poverty_returned',
  精准扶贫: 'poverty_returned',
  建档立卡: 'poverty_returned',
  低保边缘: 'low_income_marginal',
  监测对象: 'monitored',
  因病致贫: 'illness_poverty',
  严重精神障碍: 'severe_mental',
  精神障碍救助卡: 'mental_aid_card',
};

/** A category code (docs/settlement.md §4), its Chinese label, or a common short name. */
export function parseCategory(text: string, field: string): Category {
  const t = text.trim();
  const byCode = CATEGORIES.find((c) => c === t);
  if (byCode) return byCode;
  const byLabel = CATEGORIES.find((c) => CATEGORY_LABELS[c].zh === t);
  const found = byLabel ?? CATEGORY_ALIASES[t.replace(/[（(].*[）)]$/, '')];
  if (found) return found;
  throw invalid(
    'category.unknown',
    field,
    `${field} 未知身份类别：${t}`,
    `${field} is not a known category: ${t}`,
  );
}

const SCHEME_ALIASES: Record<string, Scheme> = {
  居民: 'resident',
  城乡居民: 'resident',
  城乡居民基本医疗保险: 'resident',
  居民医保: 'resident',
  '390': 'resident',
  职工: 'employee',
  城镇职工: 'employee',
  职工基本医疗保险: 'employee',
  职工医保: 'employee',
  '310': 'employee',
};

export function parseScheme(text: string, field: string): Scheme {
  const t = text.trim();
  const found = SCHEMES.find((s) => s === t) ?? SCHEME_ALIASES[t];
  if (found) return found;
  throw invalid(
    'scheme.unknown',
    field,
    `${field} 未知险种：${t}（居民 / 职工）`,
    `${field} is not a known scheme: ${t} (resident / employee)`,
  );
}

const CONTRIBUTION_ALIASES: Record<string, ContributionType> = {
  缴费: 'paid',
  个人缴费: 'paid',
  免缴费: 'fee_exemption',
  免缴: 'fee_exemption',
  免缴费认定: 'fee_exemption',
  资助参保: 'funded_enrolment',
  资助: 'funded_enrolment',
};

export function parseContributionType(text: string, field: string): ContributionType {
  const t = text.trim();
  const found = CONTRIBUTION_TYPES.find((c) => c === t) ?? CONTRIBUTION_ALIASES[t];
  if (found) return found;
  throw invalid(
    'contribution_type.unknown',
    field,
    `${field} 未知缴费类型：${t}（个人缴费 / 免缴费 / 资助参保）`,
    `${field} is not a known contribution type: ${t} (paid / fee_exemption / funded_enrolment)`,
  );
}

export function parseYear(text: string, field: string): number {
  const t = text.trim();
  if (!/^\d{4}$/.test(t) || Number(t) < 1998 || Number(t) > 2100) {
    throw invalid(
      'year.invalid',
      field,
      `${field} 年度无效：${t}`,
      `${field} is not a valid year: ${t}`,
    );
  }
  return Number(t);
}
