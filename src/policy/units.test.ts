import { describe, expect, it } from 'vitest';
import { parseDiagnosisPattern, parseMoney, parsePoints, parseRatio } from './units.ts';
import { matchesDiagnosis } from './diagnosis.ts';

describe('units as staff write them', () => {
  it('reads yuan into fen', () => {
    expect(parseMoney(8926.25)).toEqual({ ok: true, value: 892_625 });
    expect(parseMoney('200,000')).toEqual({ ok: true, value: 20_000_000 });
    expect(parseMoney(true)).toMatchObject({ ok: false, en: 'true is not an amount in yuan' });
  });

  it('reads percent with or without the sign, and refuses fractions and more than 100 %', () => {
    expect(parseRatio('80%')).toEqual({ ok: true, value: 8_000 });
    expect(parseRatio(62.5)).toEqual({ ok: true, value: 6_250 });
    expect(parseRatio('0%')).toEqual({ ok: true, value: 0 });
    expect(parseRatio(0.8)).toMatchObject({
      ok: false,
      en: '0.8 looks like a fraction; write 80% if that is meant',
    });
    expect(parseRatio('101%')).toMatchObject({ ok: false, en: '101% is above 100 %' });
    expect(parseRatio('-5%')).toMatchObject({ ok: false });
    expect(parsePoints(10)).toEqual({ ok: true, value: 1_000 });
  });

  it('reads ICD-10 codes and ranges', () => {
    expect(parseDiagnosisPattern('F70-F79')).toEqual({
      ok: true,
      value: { from: 'F70', to: 'F79' },
    });
    expect(parseDiagnosisPattern('F79-F70')).toMatchObject({ ok: false });
    expect(parseDiagnosisPattern('schizophrenia')).toMatchObject({ ok: false });
  });
});

describe('matchesDiagnosis', () => {
  const patterns = [
    { from: 'F20', to: 'F20' },
    { from: 'F70', to: 'F79' },
  ];
  it('matches codes and their subcodes by prefix, and ranges inclusively', () => {
    expect(['F20', 'f20.0', ' F70.1', 'F79'].map((d) => matchesDiagnosis(patterns, d))).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(['F2', 'F21', 'F69.9', 'F80', ''].map((d) => matchesDiagnosis(patterns, d))).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});
