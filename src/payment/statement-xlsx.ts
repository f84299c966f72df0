/** A month's statement as a workbook (docs/payment.md §7), written through src/tabular. */
import { formatYuan } from '../kernel/money.ts';
import { xlsxBuffer } from '../tabular/write.ts';
import type { MonthStatements } from './service.ts';

const METHOD_ZH: Record<string, string> = {
  fee_for_service: '按项目',
  per_bed_day: '按床日',
  capitation: '按人头打包',
  global_budget: '总额控制',
  outpatient_group: '门诊病组',
};

const yuan = (fen: number): number => Number(formatYuan(fen));

export function statementXlsx(m: MonthStatements): Promise<Buffer> {
  return xlsxBuffer((book) => {
    const sheet = book.sheet('结算清单', [
      { header: '机构 institution', width: 16 },
      { header: '支付方式 method', width: 14 },
      { header: '诊断组 group', width: 14 },
      { header: '等级 level', width: 8 },
      { header: '打包 package', width: 12 },
      { header: '调整 adjustment', width: 10 },
      { header: '人次 bills', width: 10 },
      { header: '按项目金额（元）items', width: 18, numFmt: '0.00' },
      { header: '基金应付（元）owed', width: 18, numFmt: '0.00' },
      { header: '说明 note', width: 16 },
    ]);
    for (const s of m.statements) {
      for (const l of s.lines) {
        sheet.row([
          l.institution,
          METHOD_ZH[l.method] ?? l.method,
          l.group,
          l.level,
          l.package,
          l.adjustment ? '是' : '',
          l.bills,
          yuan(l.items),
          yuan(l.owed),
          l.note,
        ]);
      }
      sheet.row([
        s.institution,
        '合计 total',
        null,
        null,
        null,
        null,
        null,
        yuan(s.items),
        yuan(s.owed),
        null,
      ]);
    }
    const refs = book.sheet('转诊 referrals', [
      { header: '打包 package', width: 12 },
      { header: '接诊机构 institution', width: 16 },
      { header: '人次 bills', width: 10 },
      { header: '基金支付（元）items', width: 18, numFmt: '0.00' },
    ]);
    for (const s of m.statements) {
      for (const r of s.referrals) refs.row([r.package, r.institution, r.bills, yuan(r.items)]);
    }
  });
}
