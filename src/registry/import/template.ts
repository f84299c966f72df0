/**
 * The published import template (导入模板): the first sheet has the Chinese headers (required ones
 * marked *), the second explains every column and lists the accepted categories, schemes and
 * contribution types. Examples live on the instructions sheet so they are never imported.
 */
import type { Writable } from 'node:stream';
import { CATEGORIES, CATEGORY_LABELS } from '../../policy/index.ts';
import { xlsxWriter } from '../../tabular/write.ts';
import { IMPORT_COLUMNS } from './columns.ts';

export const TEMPLATE_SHEET = '参保人导入';

export async function writeTemplate(out: Writable): Promise<void> {
  const book = xlsxWriter(out);
  book.sheet(
    TEMPLATE_SHEET,
    IMPORT_COLUMNS.map((c) => ({
      header: c.required ? `${c.header}*` : c.header,
      key: c.key,
      width: Math.max(12, c.header.length * 2 + 4),
      // Text format keeps 18-digit ID numbers and leading zeros as typed.
      numFmt: '@',
    })),
  );

  const help = book.sheet('填写说明', [
    { header: '列', key: 'header', width: 18 },
    { header: '是否必填', key: 'required', width: 10 },
    { header: '说明', key: 'note', width: 60 },
  ]);
  for (const c of IMPORT_COLUMNS) {
    help.row({ header: c.header, required: c.required ? '必填' : '', note: c.note });
  }
  help.row({});
  help.row({ header: '身份类别', note: '可填写下列名称或代码之一' });
  for (const c of CATEGORIES) help.row({ header: CATEGORY_LABELS[c].zh, note: c });
  help.row({});
  help.row({
    header: '险种',
    note: '居民（城乡居民基本医疗保险 390）/ 职工（职工基本医疗保险 310）',
  });
  help.row({ header: '缴费类型', note: '个人缴费 / 免缴费 / 资助参保（须填资助金额和资助方）' });
  help.row({ header: '一人多条标识', note: '每条标识占一行，其余人员信息保持一致' });
  help.row({
    header: '示例',
    note: '370899196003040072，王秀英，370899001001，H3708990010010000001，13800000000，低保对象，2022-01，，2021-12-20，civil_affairs，民低保〔2021〕12号，2022，居民，免缴费，0，，，2021-12-20',
  });
  await book.close();
}
