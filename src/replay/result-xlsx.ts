/**
 * A replay's results as a workbook (docs/replay.md §3), actual beside draft, written through
 * src/tabular (text cells are neutralised). The answer is already masked for its reader.
 */
import { formatYuan } from '../kernel/money.ts';
import { CATEGORY_LABELS, VISIT_TYPES } from '../policy/index.ts';
import { xlsxBuffer, type XlsxColumn } from '../tabular/write.ts';
import { COMPARED } from './core/person.ts';
import type { Pair } from './core/aggregate.ts';
import type { Run } from './repo/runs.ts';

const yuan = (fen: number): number => Number(formatYuan(fen));

/** The compared amounts, in the order of the one bill. */
export const COMPARED_LABELS: Record<(typeof COMPARED)[number], string> = {
  hifp_pay: '基本医保 basic',
  hifmi_pay: '大病保险 critical illness',
  maf_pay: '医疗救助 assistance',
  reassist_pay: '再救助 re-assistance',
  backstop_pay: '兜底 backstop',
  fund_pay_sumamt: '基金合计 fund total',
  psn_part_amt: '个人负担 person',
  hosp_part_amt: '医院减免 hospital waiver',
};

const VISIT_ZH: Record<string, string> = {
  inpatient: '住院',
  general_outpatient: '普通门诊',
  chronic_outpatient: '门诊慢特病',
  two_diseases: '门诊两病',
};

const money = (header: string): XlsxColumn => ({ header, width: 16, numFmt: '0.00' });

export function replayXlsx(run: Run): Promise<Buffer> {
  const r = run.result;
  return xlsxBuffer((book) => {
    const about = book.sheet('说明', [
      { header: '项目 item', width: 24 },
      { header: '值 value', width: 60 },
    ]);
    about.row(['模拟 replay', String(run.id)]);
    about.row(['草案 draft', run.pack]);
    about.row(['草案摘要 pack digest', run.packHash]);
    about.row(['实际使用的政策包 packs settled with', run.actualPacks.join(', ')]);
    about.row(['年度 year', String(run.year)]);
    about.row(['区划 region', run.filters.region ?? run.region]);
    about.row(['身份类别 category', run.filters.category ?? '']);
    about.row(['就诊类型 visit type', run.filters.visitType ?? '']);
    about.row(['截至结算ID cut-off', String(run.cutoff)]);
    about.row(['状态 status', run.status]);
    if (r) {
      about.row(['单据 bills', r.counts.bills]);
      about.row(['人数 people', r.counts.people]);
      about.row(['草案拒付 refused', r.counts.refused]);
      about.row(['与实际一致的人 reproduced', r.counts.reproduced]);
      about.row(['结果变化的人 changed', r.counts.changed]);
      about.row(['含撤销的人 with a cancellation', r.counts.withCancellation]);
    }
    about.row([
      '说明 note',
      '被拒付的单据从未入库，故无法显示草案会新增准入的单据 / refused bills were never stored, so bills a draft would admit cannot be shown',
    ]);
    if (!r) return;

    const tiers = book.sheet('分段 tiers', [
      { header: '项目 amount', width: 28 },
      money('实际 actual（元）'),
      money('草案 draft（元）'),
      money('差额 change（元）'),
    ]);
    for (const k of COMPARED) {
      tiers.row([
        COMPARED_LABELS[k],
        yuan(r.totals.actual[k]),
        yuan(r.totals.draft[k]),
        yuan(r.totals.draft[k] - r.totals.actual[k]),
      ]);
    }

    const pairSheet = (
      name: string,
      keyHeader: string,
      rows: Record<string, Pair>,
      label: (k: string) => string,
    ) => {
      const sheet = book.sheet(name, [
        { header: keyHeader, width: 22 },
        { header: '单据 bills', width: 10 },
        ...COMPARED.flatMap((k) => [
          money(`${COMPARED_LABELS[k]} 实际`),
          money(`${COMPARED_LABELS[k]} 草案`),
        ]),
      ]);
      for (const [key, p] of Object.entries(rows)) {
        sheet.row([
          label(key),
          p.bills,
          ...COMPARED.flatMap((k) => [yuan(p.actual[k]), yuan(p.draft[k])]),
        ]);
      }
    };
    pairSheet('按月 months', '月份 month', r.byMonth, (k) => k);
    pairSheet('按乡镇 townships', '乡镇 township', r.byTownship, (k) =>
      `${k} ${r.regionNames[k] ?? ''}`.trim(),
    );
    pairSheet('按类别 categories', '身份类别 category', r.byCategory, (k) =>
      k in CATEGORY_LABELS ? `${CATEGORY_LABELS[k as keyof typeof CATEGORY_LABELS].zh} ${k}` : k,
    );
    pairSheet('按就诊类型 visits', '就诊类型 visit type', r.byVisitType, (k) =>
      (VISIT_TYPES as readonly string[]).includes(k) ? `${VISIT_ZH[k] ?? ''} ${k}` : k,
    );

    const prog = book.sheet('兜底项目 programmes', [
      { header: '项目 programme', width: 20 },
      money('实际 actual'),
      money('草案 draft'),
    ]);
    for (const [code, v] of Object.entries(r.backstopProgrammes))
      prog.row([code, yuan(v.actual), yuan(v.draft)]);

    const dist = book.sheet('负担变化 distribution', [
      { header: '项目 item', width: 28 },
      money('元 yuan'),
    ]);
    const d = r.distribution;
    dist.row(['人数 people', d.people]);
    dist.row(['多付 pays more', d.pays_more]);
    dist.row(['少付 pays less', d.pays_less]);
    dist.row(['不变 unchanged', d.unchanged]);
    dist.row(['最小 min', yuan(d.min)]);
    d.deciles.forEach((v, i) => dist.row([`第 ${(i + 1) * 10} 百分位 p${(i + 1) * 10}`, yuan(v)]));
    d.changedDeciles.forEach((v, i) =>
      dist.row([`负担有变化者 第 ${(i + 1) * 10} 百分位 changed p${(i + 1) * 10}`, yuan(v)]),
    );
    dist.row(['最大 max', yuan(d.max)]);
    dist.row(['平均 mean', yuan(d.mean)]);

    const people = (name: string, list: typeof r.largestIncrease) => {
      const sheet = book.sheet(name, [
        { header: '身份证号 certno', width: 22, numFmt: '@' },
        { header: '乡镇 township', width: 16 },
        { header: '身份类别 categories', width: 24 },
        money('实际个人负担 actual'),
        money('草案个人负担 draft'),
        money('变化 change'),
      ]);
      for (const p of list) {
        sheet.row([
          p.certno,
          `${p.township} ${r.regionNames[p.township] ?? ''}`.trim(),
          p.categories.join(','),
          yuan(p.actual),
          yuan(p.draft),
          yuan(p.change),
        ]);
      }
    };
    people('负担增加最多 rises', r.largestIncrease);
    people('负担减少最多 falls', r.largestDecrease);

    const cross = book.sheet('预警线 warning lines', [
      { header: '身份证号 certno', width: 22, numFmt: '@' },
      { header: '乡镇 township', width: 16 },
      { header: '身份类别 categories', width: 24 },
      { header: '标准 threshold', width: 12 },
      { header: '变化 direction', width: 14 },
      money('实际负担 actual'),
      money('草案负担 draft'),
      money('实际线 actual line'),
      money('草案线 draft line'),
    ]);
    for (const c of r.crossings) {
      cross.row([
        c.certno,
        `${c.township} ${r.regionNames[c.township] ?? ''}`.trim(),
        c.categories.join(','),
        c.threshold,
        c.direction === 'crosses' ? '新超线 crosses' : '不再超线 no longer',
        yuan(c.actualBurden),
        yuan(c.draftBurden),
        yuan(c.actualLine),
        yuan(c.draftLine),
      ]);
    }

    const refused = book.sheet('草案拒付 refused', [
      { header: '身份证号 certno', width: 22, numFmt: '@' },
      { header: '结算ID settlement', width: 12 },
      { header: '日期 date', width: 12 },
      { header: '就诊类型 visit', width: 18 },
      { header: '诊断 diagnosis', width: 10 },
      { header: '原因 code', width: 26 },
      { header: '说明 message', width: 60 },
      money('实际基金支付 fund paid'),
    ]);
    for (const b of r.refused) {
      refused.row([
        b.certno,
        b.settlementId,
        b.date,
        b.visitType,
        b.diagnosis,
        b.code,
        b.message.zh,
        yuan(b.fundPaid),
      ]);
    }
  });
}
