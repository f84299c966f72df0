/** The year-end report as a workbook: one sheet, this year beside last year and the change. */
import { xlsxBuffer } from '../tabular/write.ts';
import type { YearEndReport, YearFigures } from './report.ts';

const yuan = (fen: number | null) => (fen === null ? null : fen / 100);

export const reportXlsx = (r: YearEndReport): Promise<Buffer> =>
  xlsxBuffer((book) => {
    const ws = book.sheet(
      '年度报告',
      [24, 16, 16, 16].map((width) => ({ width })),
    );
    ws.row([`${r.programme.title.zh}（${r.programme.code}）${r.programme.year} 年度报告`], 4);
    ws.row([r.scoped ? '人数和金额限于本账号数据范围；预算执行为全项目' : '全项目']);
    ws.row([]);
    ws.row(['预算执行', '金额(元)']);
    ws.row(['年度预算', yuan(r.budget.budget)]);
    ws.row(['已支出', yuan(r.budget.spent)]);
    ws.row(['结余（负数为超支）', yuan(r.budget.remaining)]);
    ws.row(['执行率', r.budget.usedBp === null ? '' : `${(r.budget.usedBp / 100).toFixed(2)}%`]);
    ws.row(['超支', r.budget.overspent ? '是' : '否']);
    ws.row(['已触发提醒', r.budget.alerts.map((bp) => `${bp / 100}%`).join('、')]);
    ws.row([]);
    const c = r.current;
    const p = r.previous;
    ws.row(['指标', `${c.year} 年`, `${p.year} 年`, '同比增减']);
    const line = (label: string, get: (f: YearFigures) => number | null, money = false) => {
      const a = get(c);
      const b = get(p);
      const diff = a === null || b === null ? null : a - b;
      ws.row(money ? [label, yuan(a), yuan(b), yuan(diff)] : [label, a, b, diff]);
    };
    line('门诊救助人数', (f) => f.outpatient.people);
    line('门诊救助人次', (f) => f.outpatient.times);
    line('门诊救助金额(元)', (f) => f.outpatient.amount, true);
    line('住院救助人数', (f) => f.inpatient.people);
    line('住院救助人次', (f) => f.inpatient.times);
    line('住院救助金额(元)', (f) => f.inpatient.amount, true);
    line('救助总人数', (f) => f.total.people);
    line('救助总金额(元)', (f) => f.total.amount, true);
    line('年度预算(元)', (f) => f.budget, true);
    line('当年发卡', (f) => f.cards.issued);
    line('年末持卡', (f) => f.cards.heldAtYearEnd);
    // A hospital-waiver programme: each rule of the agreement (stays, drugs delivered) apart.
    const codes = [...new Set([...c.waivers, ...p.waivers].map((w) => w.code))].sort();
    const of = (f: YearFigures, code: string) => f.waivers.find((w) => w.code === code);
    for (const code of codes) {
      line(`${code} 人数`, (f) => of(f, code)?.people ?? 0);
      line(`${code} 次数`, (f) => of(f, code)?.times ?? 0);
      line(`${code} 减免金额(元)`, (f) => of(f, code)?.amount ?? 0, true);
    }
  });
