import { describe, expect, it } from 'vitest';
import {
  parseCategory,
  parseContributionType,
  parseDateLoose,
  parseMonthLoose,
  parseName,
  parsePhone,
  parseScheme,
} from './fields.ts';

describe('field parsers (the spellings department spreadsheets use)', () => {
  it('reads dates and months written the common ways', () => {
    for (const d of ['2022-03-01', '2022/3/1', '2022.3.1', '20220301', '2022年3月1日']) {
      expect(parseDateLoose(d, 'd')).toBe('2022-03-01');
    }
    expect(parseDateLoose(new Date(Date.UTC(2022, 2, 1)), 'd')).toBe('2022-03-01');
    for (const m of ['2022-03', '2022/3', '202203', '2022年3月']) {
      expect(parseMonthLoose(m, 'm')).toBe('2022-03');
    }
    expect(() => parseDateLoose('2022-02-30', '认定日期')).toThrow(/认定日期/);
    expect(() => parseMonthLoose('2022-13', 'fromMonth')).toThrow(/fromMonth/);
  });

  it('knows categories by code, label and short name, and refuses others naming the field', () => {
    expect(parseCategory('subsistence', 'c')).toBe('subsistence');
    expect(parseCategory('低保对象', 'c')).toBe('subsistence');
    expect(parseCategory('五保', 'c')).toBe('extreme_poverty');
    expect(parseCategory('脱贫享受政策人员', 'c')).toBe('poverty_returned');
    expect(() => parseCategory('贫困户甲', '身份类别')).toThrow(
      expect.objectContaining({ code: 'category.unknown', field: '身份类别' }),
    );
  });

  it('knows schemes and contribution types in Chinese and by code', () => {
    expect(parseScheme('居民', 's')).toBe('resident');
    expect(parseScheme('310', 's')).toBe('employee');
    expect(parseContributionType('免缴费', 't')).toBe('fee_exemption');
    expect(parseContributionType('资助参保', 't')).toBe('funded_enrolment');
    expect(() => parseScheme('商业', 's')).toThrow(/scheme/);
  });

  it('checks names and phones', () => {
    expect(parseName('  阿依·买买提 ', 'name')).toBe('阿依·买买提');
    expect(() => parseName('   ', 'name')).toThrow(/empty/);
    expect(() => parseName('张3', 'name')).toThrow(/not a valid name/);
    expect(parsePhone('138-0000-0000', 'phone')).toBe('13800000000');
    expect(parsePhone('', 'phone')).toBeNull();
    expect(() => parsePhone('12', 'phone')).toThrow(/phone/);
  });
});
