/**
 * The XLSX of a push (预警名单) for civil affairs and rural revitalisation: one row per warning,
 * ID numbers and categories as the reader may see them (kernel/access/masking.ts), amounts in yuan.
 */
import type { Writable } from 'node:stream';
import type { Actor } from '../../kernel/access/actor.ts';
import { certnoFor, maskCategories } from '../../kernel/access/masking.ts';
import { CATEGORY_LABELS, type Category } from '../../policy/index.ts';
import type { WarningRow } from '../repo/warnings.ts';
import { STATUS_LABELS } from '../status.ts';
import { xlsxWriter, type XlsxColumn } from '../../tabular/write.ts';
import { THRESHOLD_LABELS } from '../thresholds.ts';

const YUAN = '0.00';

const COLUMNS: XlsxColumn[] = [
  { header: '预警编号', key: 'warningId', width: 10 },
  { header: '身份证号', key: 'certno', width: 22 },
  { header: '姓名', key: 'name', width: 10 },
  { header: '乡镇', key: 'township', width: 12 },
  { header: '村(居)区划代码', key: 'regionCode', width: 16 },
  { header: '身份类别', key: 'categories', width: 26 },
  { header: '预警类型', key: 'threshold', width: 34 },
  { header: '年度', key: 'year', width: 6 },
  { header: '监测月份', key: 'month', width: 10 },
  { header: '年度累计个人负担（元）', key: 'amount', width: 20, numFmt: YUAN },
  { header: '预警线（元）', key: 'line', width: 14, numFmt: YUAN },
  { header: '超出（元）', key: 'excess', width: 14, numFmt: YUAN },
  { header: '状态', key: 'status', width: 8 },
];

export async function writeWarningsXlsx(
  actor: Actor,
  title: string,
  rows: readonly WarningRow[],
  out: Writable,
): Promise<void> {
  const book = xlsxWriter(out);
  const sheet = book.sheet('预警名单', COLUMNS);
  for (const w of rows) {
    sheet.row({
      warningId: w.warning_id,
      certno: certnoFor(actor, w.certno),
      name: w.name,
      township: w.township_name ?? w.township_code,
      regionCode: w.region_code,
      categories: maskCategories<Category>(actor, w.categories)
        .map((c) => CATEGORY_LABELS[c].zh)
        .join('、'),
      threshold: THRESHOLD_LABELS[w.threshold].zh,
      year: w.year,
      month: w.month,
      amount: w.amount / 100,
      line: w.line / 100,
      excess: (w.amount - w.line) / 100,
      status: STATUS_LABELS[w.status].zh,
    });
  }
  const about = book.sheet('说明');
  about.row([title]);
  about.row([`共 ${rows.length} 条 / ${rows.length} warnings`]);
  about.row(['个人负担为基本医保、大病保险报销后的年度累计（防止因病返贫致贫动态监测）']);
  await book.close();
}
