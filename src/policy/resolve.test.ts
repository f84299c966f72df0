import { beforeAll, describe, expect, it } from 'vitest';
import { loadPack } from './loader.ts';
import { resolveBill, resolvePackWide } from './resolve.ts';
import { choosePack } from './choose.ts';
import type { PolicyPack } from './model.ts';
import {
  CATEGORIES,
  VISIT_TYPES,
  type BillContext,
  type Category,
  type Provenance,
  type Resolved,
  type ResolvedParams,
} from './types.ts';

let demo2022: PolicyPack;
let demo2023: PolicyPack;
let midyear: PolicyPack;
beforeAll(async () => {
  [demo2022, demo2023, midyear] = await Promise.all([
    loadPack('demo-2022'),
    loadPack('demo-2023'),
    loadPack('fixture-midyear'),
  ]);
});

const bill = (over: Partial<BillContext> = {}): BillContext => ({
  date: '2022-03-15',
  visitType: 'inpatient',
  hospitalLevel: 2,
  diagnosis: 'K35.8',
  remote: null,
  categories: [],
  ...over,
});

describe('basic insurance of demo-2022 (docs/settlement.md §5)', () => {
  it('gives the worked example of §6: subsistence, inpatient, level 2 → 250 and 90 %', () => {
    const r = resolveBill(demo2022, bill({ categories: ['subsistence'] }));
    expect(r.basic.deductible.value).toBe(25_000);
    expect(r.basic.ratio.value).toBe(9_000);
    expect(r.basic.deductibleScope).toBe('admission');
    expect(r.basic.deductibleKey).toBeNull();
    expect(r.basic.capGroups.map((c) => [c.group, c.cap.value])).toEqual([['main', 20_000_000]]);
  });

  it('keeps a chronic visit on the annual deductible, its disease sub-cap and both caps, unless the diagnosis is severe mental', () => {
    const chronic = resolveBill(
      demo2022,
      bill({ visitType: 'chronic_outpatient', diagnosis: 'I25.1' }),
    );
    expect(chronic.basic).toMatchObject({
      deductibleScope: 'annual',
      deductibleKey: 'chronic_outpatient',
    });
    expect(chronic.basic.deductible.value).toBe(60_000);
    expect(chronic.basic.ratio.value).toBe(6_500);
    expect(chronic.disease).toMatchObject({
      code: 'M003',
      kind: 'chronic',
      nationalCode: 'M04100',
    });
    expect(chronic.basic.capGroups.map((c) => [c.group, c.cap.value])).toEqual([
      ['chronic:M003', 200_000],
      ['chronic', 500_000],
      ['main', 20_000_000],
    ]);

    const severe = resolveBill(
      demo2022,
      bill({ visitType: 'chronic_outpatient', diagnosis: 'F20.0' }),
    );
    expect(severe.severeMentalDiagnosis).toBe(true);
    expect(severe.basic.deductible.value).toBe(0);
    expect(severe.basic.ratio.value).toBe(8_000);
    expect(severe.basic.capGroups.map((c) => c.group)).toEqual(['main']);
    expect(severe.disease).toMatchObject({ code: 'S004', kind: 'special', severeMental: true });
  });

  it('pays a special disease like a stay: the annual chronic deductible, the inpatient ratio, main only', () => {
    const special = (hospitalLevel: 1 | 2 | 3, categories: Category[] = []) =>
      resolveBill(
        demo2022,
        bill({ visitType: 'chronic_outpatient', diagnosis: 'n18.5', hospitalLevel, categories }),
      );
    expect(special(1).disease?.code).toBe('S002');
    expect([1, 2, 3].map((l) => special(l as 1 | 2 | 3).basic.ratio.value)).toEqual([
      9_000, 8_000, 6_000,
    ]);
    expect(special(2).basic).toMatchObject({ deductibleKey: 'chronic_outpatient' });
    expect(special(2).basic.deductible.value).toBe(60_000);
    expect(special(2).basic.capGroups.map((c) => c.group)).toEqual(['main']);
    expect(special(2, ['subsistence']).basic.deductible.value).toBe(30_000);
    expect(special(2, ['subsistence']).basic.ratio.value).toBe(9_000);
  });

  it('finds no disease for a diagnosis outside the catalogue, nor for other visit types', () => {
    const outside = resolveBill(
      demo2022,
      bill({ visitType: 'chronic_outpatient', diagnosis: 'J06.9' }),
    );
    expect(outside.disease).toBeNull();
    expect(resolveBill(demo2022, bill({ diagnosis: 'I25.1' })).disease).toBeNull();
    expect(
      resolveBill(demo2022, bill({ visitType: 'two_diseases', diagnosis: 'E11.9' })).disease,
    ).toBeNull();
  });

  it('cuts remote ratios after the tilt and the 100 % ceiling, except for severe_mental', () => {
    const r = (remote: BillContext['remote'], categories: Category[], hospitalLevel: 1 | 3 = 1) =>
      resolveBill(demo2022, bill({ remote, categories, hospitalLevel })).basic.ratio.value;
    expect(r('unfiled', ['subsistence'])).toBe(8_000); // min(100, 90 + 10) − 20
    expect(r('filed', [], 3)).toBe(5_000); // 60 − 10
    expect(r('unfiled', ['severe_mental'])).toBe(9_000);
  });

  it('never tilts two-diseases or general outpatient bills', () => {
    for (const visitType of ['two_diseases', 'general_outpatient'] as const) {
      const r = resolveBill(demo2022, bill({ visitType, categories: ['extreme_poverty'] }));
      expect(r.basic.ratio.value).toBe(5_000);
      expect(r.basic.deductible.value).toBe(0);
    }
  });
});

describe('a date boundary inside a pack', () => {
  it('changes the level-2 ratio of fixture-midyear on 1 July, with the dated value as provenance', () => {
    const before = resolveBill(midyear, bill({ date: '2022-06-30' })).basic.ratio;
    const after = resolveBill(midyear, bill({ date: '2022-07-01' })).basic.ratio;
    expect(before.value).toBe(8_000);
    expect(after.value).toBe(8_500);
    expect(before.provenance[0]).toMatchObject({
      from: '2022-01-01',
      to: '2022-06-30',
      value: 8_000,
    });
    expect(after.provenance[0]).toMatchObject({ from: '2022-07-01', to: null, value: 8_500 });
    expect(after.provenance[0]?.line).toBe((before.provenance[0]?.line ?? 0) + 1);
  });

  it('applies the tilt to whichever value is in force', () => {
    const r = resolveBill(midyear, bill({ date: '2022-07-01', categories: ['subsistence'] }));
    expect(r.basic.ratio.value).toBe(9_500);
  });
});

describe('a date outside the pack', () => {
  it('is clamped into the validity, so a named pack applies whatever the date', () => {
    const late = resolveBill(midyear, bill({ date: '2023-05-01' }));
    expect(late.basic.ratio.value).toBe(8_500); // the value of 2022-12-31
    expect(late.context.date).toBe('2023-05-01');
    const early = resolveBill(midyear, bill({ date: '2021-05-01' }));
    expect(early.basic.ratio.value).toBe(8_000); // the value of 2022-01-01
  });

  it('takes demo-2023 numbers from demo-2023 even for a 2022 bill', () => {
    const r = resolveBill(demo2023, bill({ date: '2022-03-15' }));
    expect(r.criticalIllness.params?.deductible.value).toBe(1_600_000);
    expect(resolvePackWide(demo2023, '2022-03-15').perCapitaIncome.value).toBe(3_756_000);
  });
});

describe('most favourable across categories (docs/settlement.md §4)', () => {
  it('takes each critical-illness parameter from whichever category gives the best one', () => {
    const key = resolveBill(demo2022, bill({ categories: ['subsistence'] })).criticalIllness.params;
    const severe = resolveBill(demo2022, bill({ categories: ['severe_mental'] })).criticalIllness
      .params;
    const both = resolveBill(demo2022, bill({ categories: ['subsistence', 'severe_mental'] }))
      .criticalIllness.params;
    expect(key?.deductible.value).toBe(750_000);
    expect(key?.brackets.value.map((b) => b.ratio)).toEqual([6_500, 7_000, 7_500]);
    expect(key?.cap.value).toBeNull();
    expect(severe?.deductible.value).toBe(1_500_000);
    expect(severe?.brackets.value).toEqual([{ from: 0, to: null, ratio: 8_000 }]);
    expect(severe?.cap.value).toBe(40_000_000);
    expect(both?.deductible.value).toBe(750_000);
    expect(both?.brackets.value).toEqual([{ from: 0, to: null, ratio: 8_000 }]);
    expect(both?.cap.value).toBeNull();
  });

  it('does not stack a tilt held through two categories of the same set', () => {
    const r = resolveBill(demo2022, bill({ categories: ['subsistence', 'extreme_poverty'] }));
    expect(r.basic.deductible.value).toBe(25_000);
    expect(r.basic.ratio.value).toBe(9_000);
  });

  it('mixes assistance parameters of different groups independently', () => {
    const r = resolveBill(demo2022, bill({ categories: ['illness_poverty', 'monitored'] }))
      .assistance.params;
    expect(r?.deductible.value).toBe(300_000); // monitored
    expect(r?.brackets.value).toEqual([{ from: 0, to: null, ratio: 6_000 }]); // illness_poverty
    expect(r?.cap.value).toBe(3_000_000);
  });

  it('gives no assistance without an entitling category, while the bill still counts', () => {
    const r = resolveBill(demo2022, bill());
    expect(r.assistance).toEqual({ counts: true, params: null });
    expect(r.reAssistance).toEqual({ counts: true, params: null });
    const outpatient = resolveBill(
      demo2022,
      bill({ visitType: 'general_outpatient', categories: ['subsistence'] }),
    );
    expect(outpatient.assistance).toEqual({ counts: false, params: null });
    expect(outpatient.criticalIllness).toEqual({ counts: false, params: null });
  });
});

describe('backstop', () => {
  it('pays card holders with a severe mental diagnosis, with the chronic cap and the programme', () => {
    const chronic = resolveBill(
      demo2022,
      bill({
        visitType: 'chronic_outpatient',
        diagnosis: 'F31.1',
        categories: ['mental_aid_card'],
      }),
    ).backstop;
    expect(chronic).toMatchObject({
      capGroup: 'backstop_chronic',
      programme: 'mental_disorder_backstop',
    });
    expect(chronic?.ratio.value).toBe(10_000);
    expect(chronic?.cap.value).toBe(300_000);
    const inpatient = resolveBill(
      demo2022,
      bill({ diagnosis: 'F72', categories: ['mental_aid_card'] }),
    ).backstop;
    expect(inpatient?.capGroup).toBe('backstop_inpatient');
    expect(inpatient?.cap.value).toBeNull();
    expect(resolveBill(demo2022, bill({ categories: ['mental_aid_card'] })).backstop).toBeNull();
  });
});

describe('pack-wide parameters', () => {
  it('gives income, monitoring, refund cut-off and programme budgets', () => {
    const w = resolvePackWide(demo2022, '2022-06-01');
    expect(w.perCapitaIncome.value).toBe(3_570_500);
    expect(w.monitoring.inscopeCategories).toEqual(['low_income_marginal', 'monitored']);
    expect(w.monitoring.inscopeShare.value).toBe(5_000);
    expect(w.monitoring.totalShare.value).toBe(10_000);
    expect(w.refundCutoff.value).toBe('2021-12-31');
    expect(w.programmes).toEqual([
      expect.objectContaining({ code: 'mental_disorder_backstop', tiers: ['backstop'] }),
    ]);
    expect(w.programmes[0]?.budget.value).toBe(100_000_000);
  });
});

/** Every Resolved<…> inside a value, found by shape. */
function resolvedValues(x: unknown, path = ''): [string, Resolved<unknown>][] {
  if (typeof x !== 'object' || x === null) return [];
  if ('value' in x && 'provenance' in x) return [[path, x as Resolved<unknown>]];
  return Object.entries(x).flatMap(([k, v]) => resolvedValues(v, `${path}.${k}`));
}

describe('provenance', () => {
  it('is present, complete and points into the pack for every resolved value of every bill', () => {
    let checked = 0;
    const subsets: Category[][] = [[], ...CATEGORIES.map((c) => [c]), [...CATEGORIES]];
    for (const visitType of VISIT_TYPES) {
      for (const hospitalLevel of [1, 2, 3] as const) {
        for (const diagnosis of ['K35.8', 'F20.0']) {
          for (const remote of [null, 'filed', 'unfiled'] as const) {
            for (const categories of subsets) {
              const r: ResolvedParams = resolveBill(
                demo2022,
                bill({ visitType, hospitalLevel, diagnosis, remote, categories }),
              );
              for (const [path, v] of resolvedValues(r)) {
                expect(v.provenance.length, path).toBeGreaterThan(0);
                v.provenance.forEach((p: Provenance) => {
                  expect(p.pack).toBe('demo-2022');
                  expect(p.line, `${path} ${p.key}`).toBeGreaterThan(0);
                  expect(p.key).not.toBe('');
                  expect(p.reference).not.toBe('');
                  expect(demo2022.params.some((q) => q.file === p.file && q.key === p.key)).toBe(
                    true,
                  );
                });
                checked += 1;
              }
            }
          }
        }
      }
    }
    // The grid really ran: 4 visit types × 3 levels × 2 diagnoses × 3 remotes × 10 category sets.
    expect(checked).toBeGreaterThan(4_000);
    const wide = resolvedValues(resolvePackWide(demo2022, '2022-06-01'));
    expect(wide.length).toBe(5);
    wide.forEach(([, v]) => expect(v.provenance.length).toBeGreaterThan(0));
  });

  it('notes how a tilt changed a value', () => {
    const r = resolveBill(demo2022, bill({ categories: ['subsistence'] }));
    expect(r.basic.deductible.provenance.map((p) => p.key)).toEqual([
      'inpatient.deductible.level2',
      'tilts.key_assistance.deductible_factor',
    ]);
    expect(r.basic.deductible.provenance[1]?.note).toEqual({
      zh: '低保对象起付线减半',
      en: 'deductible halved for subsistence',
    });
  });
});

describe('choosePack', () => {
  it('picks the pack whose validity holds the date, and says when none does', () => {
    const packs = [demo2022, demo2023, midyear];
    expect(choosePack(packs, '370899', '2022-12-31').name).toBe('demo-2022');
    expect(choosePack(packs, '370899', '2023-01-01').name).toBe('demo-2023');
    expect(choosePack(packs, '370899', '2030-06-01').name).toBe('demo-2023');
    expect(() => choosePack(packs, '370899', '2021-12-31')).toThrow(
      /no policy pack for region 370899 on 2021-12-31/,
    );
    expect(() => choosePack(packs, '110101', '2022-06-01')).toThrow(
      expect.objectContaining({ kind: 'not_found' }),
    );
  });

  it('refuses to guess between two packs valid on the same day', () => {
    const twin = { ...demo2022, name: 'twin' };
    expect(() => choosePack([demo2022, twin], '370899', '2022-06-01')).toThrow(
      expect.objectContaining({ kind: 'conflict', code: 'policy.ambiguous_pack' }),
    );
  });
});
