/** Answers of the assistance API: amounts in yuan (docs/settlement.md §1), ID numbers as allowed. */
import { fenToYuanNumber } from '../../kernel/money.ts';
import type { BudgetAlert, Programme } from '../model.ts';
import type { ProgrammeStatus } from '../status.ts';
import type { YearEndReport, YearFigures } from '../report.ts';

export const programmeView = (p: Programme) => ({ ...p, budget: fenToYuanNumber(p.budget) });

export const alertView = (a: BudgetAlert) => ({
  ...a,
  threshold: a.thresholdBp / 100,
  budget: fenToYuanNumber(a.budget),
  spent: fenToYuanNumber(a.spent),
});

export const statusView = (s: ProgrammeStatus) => ({
  ...programmeView(s.programme),
  spent: fenToYuanNumber(s.spent),
  remaining: fenToYuanNumber(s.remaining),
  usedPercent: s.usedBp === null ? null : s.usedBp / 100,
  overspent: s.overspent,
  alerts: s.alerts.map(alertView),
  cards: s.cards,
});

const yearView = (f: YearFigures) => ({
  ...f,
  budget: f.budget === null ? null : fenToYuanNumber(f.budget),
  outpatient: { ...f.outpatient, amount: fenToYuanNumber(f.outpatient.amount) },
  inpatient: { ...f.inpatient, amount: fenToYuanNumber(f.inpatient.amount) },
  total: { ...f.total, amount: fenToYuanNumber(f.total.amount) },
  waivers: f.waivers.map((w) => ({ ...w, amount: fenToYuanNumber(w.amount) })),
});

export const reportView = (r: YearEndReport) => ({
  ...r,
  budget: {
    ...r.budget,
    budget: fenToYuanNumber(r.budget.budget),
    spent: fenToYuanNumber(r.budget.spent),
    remaining: fenToYuanNumber(r.budget.remaining),
    usedPercent: r.budget.usedBp === null ? null : r.budget.usedBp / 100,
    alerts: r.budget.alerts.map((bp) => bp / 100),
  },
  current: yearView(r.current),
  previous: yearView(r.previous),
  change: { ...r.change, amount: fenToYuanNumber(r.change.amount) },
});
