/** The year-end report as a workbook: one sheet, this year beside last year and the change. */
import ExcelJS from 'exceljs';
import type { YearEndReport, YearFigures } from './report.ts';

const yuan = (fen: number | null) => (fen === null ? null : fen / 100);

export async function reportXlsx(r: YearEndReport): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('年度报告');
  ws.addRow([`${r.programme.title.zh}（${r.programme.code}）${r.programme.year} 年度报告`]);
  ws.mergeCells(1, 1, 1, 4);
  ws.addRow([r.scoped ? '人数和金额限于本账号数据范围；预算执行为全项目' : '全项目']);
  ws.addRow([]);
  ws.addRow(['预算执行', '金额(元)']);
  ws.addRow(['年度预算', yuan(r.budget.budget)]);
  ws.addRow(['已支出', yuan(r.budget.spent)]);
  ws.addRow(['结余（负数为超支）', yuan(r.budget.remaining)]);
  ws.addRow(['执行率', r.budget.usedBp === null ? '' : `${(r.budget.usedBp / 100).toFixed(2)}%`]);
  ws.addRow(['超支', r.budget.overspent ? '是' : '否']);
  ws.addRow(['已触发提醒', r.budget.alerts.map((bp) => `${bp / 100}%`).join('、')]);
  ws.addRow([]);
  const c = r.current;
  const p = r.previous;
  ws.addRow(['指标', `${c.year} 年`, `${p.year} 年`, '同比增减']);
  const line = (label: string, get: (f: YearFigures) => number | null, money = false) => {
    const a = get(c);
    const b = get(p);
    const diff = a === null || b === null ? null : a - b;
    ws.addRow(money ? [label, yuan(a), yuan(b), yuan(diff)] : [label, a, b, diff]);
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
  ws.getColumn(1).width = 24;
  [2, 3, 4].forEach((i) => (ws.getColumn(i).width = 16));
  return Buffer.from(await wb.xlsx.writeBuffer());
}
