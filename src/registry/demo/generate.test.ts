import { describe, expect, it } from 'vitest';
import { checkId } from '../../kernel/idcard.ts';
import { generateCounty, regions, type CountyBatch } from './generate.ts';

const collect = (seed: number, people: number) => {
  const all: CountyBatch = { households: [], persons: [], flags: [], enrolments: [] };
  for (const b of generateCounty({ seed, people, year: 2022 }, 1_000)) {
    all.households.push(...b.households);
    all.persons.push(...b.persons);
    all.flags.push(...b.flags);
    all.enrolments.push(...b.enrolments);
  }
  return all;
};

describe('demo county generator', () => {
  const a = collect(42, 20_000);

  it('is deterministic for a seed and differs across seeds', () => {
    expect(collect(42, 20_000)).toEqual(a);
    expect(collect(43, 20_000).persons[0]).not.toEqual(a.persons[0]);
  });

  it('makes exactly the people asked for, with unique valid IDs matching gender and birth date', () => {
    expect(a.persons).toHaveLength(20_000);
    expect(new Set(a.persons.map((p) => p.certno)).size).toBe(20_000);
    for (const p of a.persons) {
      const c = checkId(p.certno);
      expect(c.valid).toBe(true);
      expect(c.gender).toBe(p.gender);
      expect(c.birthDate).toBe(p.birth_date);
    }
  });

  it('places every person and household in a village of county 370899', () => {
    const villages = new Set(
      regions(20_000)
        .filter((r) => r.level === 'village')
        .map((r) => r.code),
    );
    expect(a.persons.every((p) => villages.has(p.region_code))).toBe(true);
    expect(
      a.households.every((h) => villages.has(h.region_code) && h.region_code.startsWith('370899')),
    ).toBe(true);
  });

  it('flags people at about the asked rates', () => {
    const rate = (cat: string) =>
      new Set(a.flags.filter((f) => f.category === cat).map((f) => f.certno)).size /
      a.persons.length;
    // Household-level draws are lumpy; allow a generous band around each target.
    expect(rate('subsistence')).toBeGreaterThan(0.02);
    expect(rate('subsistence')).toBeLessThan(0.04);
    expect(rate('extreme_poverty')).toBeGreaterThan(0.003);
    expect(rate('extreme_poverty')).toBeLessThan(0.007);
    expect(rate('severe_mental')).toBeGreaterThan(0.0025);
    expect(rate('severe_mental')).toBeLessThan(0.0055);
    expect(rate('poverty_returned')).toBeGreaterThan(0.013);
    expect(rate('poverty_returned')).toBeLessThan(0.027);
    expect(rate('low_income_marginal')).toBeGreaterThan(0.005);
    expect(rate('low_income_marginal')).toBeLessThan(0.015);
    expect(rate('monitored')).toBeGreaterThan(0.002);
    expect(rate('monitored')).toBeLessThan(0.008);
    // Only severe-mental patients hold the assistance card.
    const mental = new Set(
      a.flags.filter((f) => f.category === 'severe_mental').map((f) => f.certno),
    );
    expect(
      a.flags.filter((f) => f.category === 'mental_aid_card').every((f) => mental.has(f.certno)),
    ).toBe(true);
  });

  it('enrols everyone in resident insurance for the year, fee-exempt exactly for the key categories', () => {
    expect(a.enrolments).toHaveLength(a.persons.length);
    expect(new Set(a.enrolments.map((e) => e.certno)).size).toBe(a.persons.length);
    const key = new Set(
      a.flags
        .filter((f) => ['extreme_poverty', 'subsistence', 'poverty_returned'].includes(f.category))
        .map((f) => f.certno),
    );
    expect(key.size).toBeGreaterThan(0);
    for (const e of a.enrolments) {
      expect(e).toMatchObject({
        medical_year: 2022,
        scheme: 'resident',
        benefit_from: '2022-01-01',
      });
      if (key.has(e.certno)) {
        expect(e).toMatchObject({ contribution_type: 'fee_exemption', contribution: 0 });
      } else {
        expect(e).toMatchObject({ contribution_type: 'paid', contribution: 35_000 });
      }
    }
  });
});
