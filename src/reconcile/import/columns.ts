/**
 * The fields of a department list and how its headers map to them. Departments name their columns
 * in many ways (身份证号, 公民身份号码, 证件号码…); the common Chinese headers are recognised, and a
 * department's own mapping (a template, saved for reuse) takes precedence over them.
 */
import { invalid } from '../../kernel/errors.ts';
import type { ListKind } from '../model.ts';

export const LIST_FIELDS = [
  'certno',
  'name',
  'birthDate',
  'regionCode',
  'category',
  'eventDate',
  'otherRegion',
  'changeType',
  'note',
] as const;
export type ListField = (typeof LIST_FIELDS)[number];

export const FIELD_HEADERS: Record<ListField, string> = {
  certno: '身份证号',
  name: '姓名',
  birthDate: '出生日期',
  regionCode: '村(居)区划代码',
  category: '身份类别',
  eventDate: '日期',
  otherRegion: '参保地',
  changeType: '变动类型',
  note: '备注',
};

/** Headers recognised without a template (compared without spaces, brackets or asterisks). */
const SYNONYMS: Record<ListField, readonly string[]> = {
  certno: [
    '身份证号',
    '身份证号码',
    '公民身份号码',
    '公民身份证号',
    '证件号码',
    '证件号',
    '身份证',
    'certno',
  ],
  name: ['姓名', '人员姓名', '户主姓名', '成员姓名', '死者姓名', 'name'],
  birthDate: ['出生日期', '出生年月日', 'birthdate'],
  regionCode: [
    '村居区划代码',
    '区划代码',
    '行政区划代码',
    '村代码',
    '所在村代码',
    '乡镇代码',
    'regioncode',
  ],
  category: ['身份类别', '人员类别', '救助类别', '类别', 'category'],
  eventDate: [
    '日期',
    '认定日期',
    '死亡日期',
    '火化日期',
    '注销日期',
    '脱贫日期',
    '退出日期',
    '取消日期',
    '失联日期',
    '变动日期',
    '参保日期',
    'eventdate',
  ],
  otherRegion: ['参保地', '参保地区划', '参保地区划代码', '参保县', 'otherregion'],
  changeType: ['变动类型', '变动原因', '注销原因', 'changetype'],
  note: ['备注', '说明', 'note'],
};

export const normaliseHeader = (h: string) => h.replace(/[\s*＊（）()]/g, '').toLowerCase();

const BUILTIN = new Map<string, ListField>(
  LIST_FIELDS.flatMap((f) => SYNONYMS[f].map((s) => [normaliseHeader(s), f] as const)),
);

/** A department's mapping: its header text → list field. */
export type ColumnMapping = Record<string, ListField>;

export function isListField(v: string): v is ListField {
  return (LIST_FIELDS as readonly string[]).includes(v);
}

/** Maps a header row to list fields (null for columns nobody knows); the template wins. */
export function mapListHeaders(
  headers: readonly string[],
  template: ColumnMapping = {},
): (ListField | null)[] {
  const own = new Map(Object.entries(template).map(([h, f]) => [normaliseHeader(h), f]));
  const seen = new Set<ListField>();
  return headers.map((h) => {
    const key = normaliseHeader(h);
    const f = own.get(key) ?? BUILTIN.get(key) ?? null;
    // The first column of a field wins; a second one (e.g. two date columns) is ignored.
    if (f === null || seen.has(f)) return null;
    seen.add(f);
    return f;
  });
}

/** Fields a list of this kind must carry. */
export function requiredFields(kind: ListKind): ListField[] {
  switch (kind) {
    case 'deaths':
      return ['certno', 'name', 'eventDate'];
    case 'exits':
      return ['certno', 'name', 'category', 'eventDate'];
    case 'household_changes':
      return ['certno', 'name', 'changeType'];
    case 'poverty_targets':
    case 'subsistence':
    case 'extreme_poverty':
    case 'missing':
    case 'insured_elsewhere':
    case 'employee_insured':
    case 'disabled_persons':
      return ['certno', 'name'];
    default: {
      const never: never = kind;
      throw new Error(`unknown list kind ${String(never)}`);
    }
  }
}

export function checkListHeaders(keys: readonly (ListField | null)[], kind: ListKind): void {
  const missing = requiredFields(kind).filter((f) => !keys.includes(f));
  if (missing.length > 0) {
    throw invalid(
      'reconcile.missing_column',
      'file',
      `名单缺少必填列：${missing.map((f) => FIELD_HEADERS[f]).join('、')}（可用列映射模板指定）`,
      `the list lacks required columns: ${missing.join(', ')} (a column-mapping template can name them)`,
    );
  }
}

/** Parses `--map '证件号码=certno,死亡时间=eventDate'` into a mapping. */
export function parseMappingText(text: string): ColumnMapping {
  const out: ColumnMapping = {};
  for (const part of text.split(/[,，;；]/)) {
    const t = part.trim();
    if (!t) continue;
    const [header, field] = t.split('=').map((s) => s.trim());
    if (!header || !field || !isListField(field)) {
      throw invalid(
        'reconcile.bad_mapping',
        'map',
        `列映射有误：${t}（格式：表头=字段，字段为 ${LIST_FIELDS.join('/')}）`,
        `bad column mapping: ${t} (header=field, field one of ${LIST_FIELDS.join('/')})`,
      );
    }
    out[header] = field;
  }
  return out;
}
