/**
 * The columns of a batch-assistance file: settlement records of hospitals outside one-stop
 * settlement (非“一站式”医院), as the medical insurance settlement system exports them. Amounts
 * are yuan. The bill's split (own pay, over limit, pre self pay) is enough to settle it again
 * with the same engine; the hospital's own basic and critical-illness figures, when given, are
 * compared with the engine's and any difference is noted on the record.
 */
import { columnSet, type ColumnSpec } from '../../tabular/columns.ts';

export const BATCH_COLUMNS = [
  { key: 'fixmedinsCode', header: '医院编码', required: true, note: '定点医药机构编号' },
  { key: 'fixmedinsName', header: '医院名称', required: false, note: '' },
  { key: 'recordNo', header: '结算单号', required: true, note: '医院结算流水号，同一医院内唯一' },
  { key: 'certno', header: '身份证号', required: true, note: '18位' },
  { key: 'name', header: '姓名', required: false, note: '填写时须与登记库一致' },
  { key: 'date', header: '结算日期', required: true, note: 'YYYY-MM-DD（出院或结算日期）' },
  {
    key: 'visitType',
    header: '就诊类型',
    required: true,
    note: '住院 / 门诊慢特病 / 门诊两病 / 普通门诊（或 21、14、11）',
  },
  { key: 'hospitalLevel', header: '医院等级', required: true, note: '1、2、3 或 一级、二级、三级' },
  { key: 'diagnosis', header: '主诊断', required: true, note: 'ICD-10 编码' },
  { key: 'remote', header: '异地就医', required: false, note: '空或本地 / 已备案 / 未备案' },
  { key: 'medfee', header: '医疗费用总额(元)', required: true, note: '' },
  { key: 'ownPay', header: '全自费(元)', required: false, note: '丙类' },
  { key: 'overLimit', header: '超限价自费(元)', required: false, note: '' },
  { key: 'preSelfPay', header: '先行自付(元)', required: false, note: '乙类先行自付' },
  {
    key: 'inScope',
    header: '政策范围内费用(元)',
    required: false,
    note: '填写时须等于总额减三项自付',
  },
  {
    key: 'hifp',
    header: '统筹基金支付(元)',
    required: false,
    note: '医院结算的基本医保，用于核对',
  },
  { key: 'hifmi', header: '大病保险支付(元)', required: false, note: '用于核对' },
  { key: 'cardRef', header: '社保卡号', required: false, note: '发放救助金的社保卡（银行）账号' },
] as const satisfies readonly (ColumnSpec<string> & { note: string })[];

export type BatchColumn = (typeof BATCH_COLUMNS)[number]['key'];

export const BATCH_COLUMN_SET = columnSet<BatchColumn>(BATCH_COLUMNS);
