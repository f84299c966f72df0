/**
 * The columns of the two catalogue import files: the catalogue itself (医保目录) and an
 * institution's mapping onto it (目录对照). Chinese headers; the English keys are accepted too.
 */
import { columnSet, type ColumnSpec } from '../registry/import/columns.ts';

export const ITEM_COLUMNS = [
  { key: 'med_list_codg', header: '医保目录编码', required: true },
  { key: 'name', header: '名称', required: true },
  { key: 'list_type', header: '目录类别', required: true },
  { key: 'chrgitm_lv', header: '收费项目等级', required: true },
  { key: 'selfpay_prop', header: '先行自付比例', required: false },
  { key: 'pric_uplmt_amt', header: '最高限价(元)', required: false },
  { key: 'med_chrgitm_type', header: '医疗收费项目类别', required: false },
  { key: 'spec', header: '规格', required: false },
  { key: 'dosform', header: '剂型', required: false },
  { key: 'prcunt', header: '计价单位', required: false },
  { key: 'begndate', header: '开始日期', required: true },
  { key: 'enddate', header: '结束日期', required: false },
  { key: 'two_diseases', header: '两病用药', required: false },
] as const satisfies readonly ColumnSpec<string>[];

export type ItemColumn = (typeof ITEM_COLUMNS)[number]['key'];

export const MAPPING_COLUMNS = [
  { key: 'fixmedins_code', header: '定点医药机构编号', required: false },
  { key: 'medins_list_codg', header: '医药机构目录编码', required: true },
  { key: 'medins_list_name', header: '医药机构目录名称', required: true },
  { key: 'med_list_codg', header: '医保目录编码', required: true },
  { key: 'begndate', header: '开始日期', required: false },
  { key: 'enddate', header: '结束日期', required: false },
] as const satisfies readonly ColumnSpec<string>[];

export type MappingColumn = (typeof MAPPING_COLUMNS)[number]['key'];

export const ITEM_SET = columnSet<ItemColumn>(ITEM_COLUMNS);
export const MAPPING_SET = columnSet<MappingColumn>(MAPPING_COLUMNS);
