/**
 * The published import template: one row per person, with at most one flag and one enrolment
 * (a person with two flags takes two rows). Headers are Chinese; the English keys are accepted
 * too, so a machine-made CSV can use either.
 */
import { columnSet, type Cell, type ColumnSet } from '../../tabular/columns.ts';

export const IMPORT_COLUMNS = [
  { key: 'certno', header: '身份证号', required: true, note: '18位；末位可为X' },
  { key: 'name', header: '姓名', required: true, note: '' },
  {
    key: 'regionCode',
    header: '村(居)区划代码',
    required: true,
    note: '12位村级代码，如 370899001001',
  },
  { key: 'householdId', header: '家庭户编号', required: false, note: '新编号将新建家庭户' },
  { key: 'phone', header: '联系电话', required: false, note: '' },
  {
    key: 'category',
    header: '身份类别',
    required: false,
    note: '特困人员、低保对象、返贫致贫人口等（见说明页）',
  },
  { key: 'fromMonth', header: '标识起始月', required: false, note: 'YYYY-MM；填写身份类别时必填' },
  { key: 'toMonth', header: '标识终止月', required: false, note: 'YYYY-MM；空为长期' },
  {
    key: 'recognisedOn',
    header: '认定日期',
    required: false,
    note: 'YYYY-MM-DD；用于退费截止日判断',
  },
  {
    key: 'source',
    header: '认定部门',
    required: false,
    note: 'civil_affairs 民政 / rural_revitalisation 乡村振兴 / health 卫健',
  },
  { key: 'evidenceNo', header: '认定文号', required: false, note: '' },
  { key: 'year', header: '参保年度', required: false, note: 'YYYY；填写参保信息时必填' },
  { key: 'scheme', header: '险种', required: false, note: '居民 / 职工' },
  {
    key: 'contributionType',
    header: '缴费类型',
    required: false,
    note: '个人缴费 / 免缴费 / 资助参保',
  },
  { key: 'contribution', header: '个人缴费(元)', required: false, note: '' },
  { key: 'fundedAmount', header: '资助金额(元)', required: false, note: '资助参保时必填' },
  { key: 'funder', header: '资助方', required: false, note: '资助参保时必填' },
  { key: 'enrolledOn', header: '参保日期', required: false, note: 'YYYY-MM-DD' },
] as const;

export type ColumnKey = (typeof IMPORT_COLUMNS)[number]['key'];

export type RawRow = Partial<Record<ColumnKey, Cell>>;

export const FLAG_KEYS: readonly ColumnKey[] = [
  'category',
  'fromMonth',
  'toMonth',
  'recognisedOn',
  'source',
  'evidenceNo',
];
export const ENROLMENT_KEYS: readonly ColumnKey[] = [
  'year',
  'scheme',
  'contributionType',
  'contribution',
  'fundedAmount',
  'funder',
  'enrolledOn',
];

/** The registry's template columns. */
export const REGISTRY_COLUMNS: ColumnSet<ColumnKey> = columnSet<ColumnKey>(IMPORT_COLUMNS);

export const headerOf = (key: ColumnKey): string => REGISTRY_COLUMNS.headerOf(key);

/** Maps a header row to column keys (null for columns the template does not know). */
export const mapHeaders = (headers: readonly string[]): (ColumnKey | null)[] =>
  REGISTRY_COLUMNS.map(headers);

/** The required columns a header row lacks. */
export const missingColumns = (keys: readonly (ColumnKey | null)[]): ColumnKey[] =>
  REGISTRY_COLUMNS.missing(keys);
