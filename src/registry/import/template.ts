/**
 * The published import template (导入模板): the first sheet has the Chinese headers (required ones
 * marked *), the second explains every column and lists the accepted categories, schemes and
 * contribution types. Examples live on the instructions sheet so they are never imported.
 */
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { CATEGORIES, CATEGORY_LABELS } from '../../policy/types.ts';
import { IMPORT_COLUMNS } from './columns.ts';

export const TEMPLATE_SHEET = '参保人导入';

export async function writeTemplate(out: Writable): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true });
  const sheet = wb.addWorksheet(TEMPLATE_SHEET);
  sheet.columns = IMPORT_COLUMNS.map((c) => ({
    header: c.required ? `${c.header}*` : c.header,
    key: c.key,
    width: Math.max(12, c.header.length * 2 + 4),
    // Text format keeps 18-digit ID numbers and leading zeros as typed.
    style: { numFmt: '@' },
  }));
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();
  await sheet.commit();

  const help = wb.addWorksheet('填写说明');
  help.columns = [
    { header: '列', key: 'header', width: 18 },
    { header: '是否必填', key: 'required', width: 10 },
    { header: '说明', key: 'note', width: 60 },
  ];
  for (const c of IMPORT_COLUMNS) {
    help.addRow({ header: c.header, required: c.required ? '必填' : '', note: c.note }).commit();
  }
  help.addRow({}).commit();
  help.addRow({ header: '身份类别', note: '可填写下列名称或代码之一' }).commit();
  for (const c of CATEGORIES) {
    help.addRow({ header: CATEGORY_LABELS[c].zh, note: c }).commit();
  }
  help.addRow({}).commit();
  help
    .addRow({
      header: '险种',
      note: '居民（城乡居民基本医疗保险 390）/ 职工（职工基本医疗保险 310）',
    })
    .commit();
  help
    .addRow({ header: '缴费类型', note: '个人缴费 / 免缴费 / 资助参保（须填资助金额和资助方）' })
    .commit();
  help.addRow({ header: '一人多条标识', note: '每条标识占一行，其余人员信息保持一致' }).commit();
  help
    .addRow({
      header: '示例',
      note: '370899196003040072，王秀英，370899001001，H3708990010010000001，13800000000，低保对象，2022-01，，2021-12-20，civil_affairs，民低保〔2021〕12号，2022，居民，免缴费，0，，，2021-12-20',
    })
    .commit();
  await help.commit();
  await wb.commit();
}
