import { describe, expect, it } from 'vitest';
import {
  certnoFor,
  isPsychiatricDiagnosis,
  maskCategories,
  maskCertno,
  maskDiagnosis,
  MASKED,
  maskSensitiveFlags,
  revealsSensitive,
} from './masking.ts';
import { permissionsOf } from './roles.ts';

const who = (...roles: string[]) => ({ permissions: permissionsOf(roles) });
const township = who('township_office');
const staff = who('bureau_staff');
const auditor = who('auditor');
const system = { permissions: new Set(['*']) };

describe('masking', () => {
  it('shows the first 6 and last 4 digits of an ID number', () => {
    expect(maskCertno('37089919600304007X')).toBe('370899********007X');
    expect(maskCertno('12345')).toBe(MASKED);
  });

  it('shows the whole ID number only to roles with registry:certno:read', () => {
    const id = '370899196003040071';
    expect(certnoFor(township, id)).toBe(id);
    expect(certnoFor(staff, id)).toBe(id);
    expect(certnoFor(auditor, id)).toBe('370899********0071');
    expect(certnoFor(who('designated_institution'), id)).toBe('370899********0071');
    expect(certnoFor(system, id)).toBe(id);
  });

  it('drops severe-mental flags and categories for roles without registry:sensitive:read', () => {
    const flags = [
      { category: 'subsistence', from: '2022-01' },
      { category: 'severe_mental', from: '2022-01' },
      { category: 'mental_aid_card', from: '2022-02' },
    ];
    expect(maskSensitiveFlags(township, flags).map((f) => f.category)).toEqual(['subsistence']);
    expect(maskSensitiveFlags(staff, flags)).toEqual(flags);
    expect(maskCategories(auditor, ['severe_mental', 'extreme_poverty'])).toEqual([
      'extreme_poverty',
    ]);
    expect(maskCategories(who('family_doctor'), ['severe_mental'])).toEqual(['severe_mental']);
  });

  it('recognises psychiatric diagnoses by ICD-10 chapter V code or name', () => {
    for (const d of ['F20.0', 'f31', ' F70.1', '精神分裂症', '双相情感障碍', '重度抑郁发作']) {
      expect(isPsychiatricDiagnosis(d)).toBe(true);
    }
    for (const d of ['K35.8', 'I10', 'E11.9', '急性阑尾炎', 'FX', '']) {
      expect(isPsychiatricDiagnosis(d)).toBe(false);
    }
  });

  it('masks psychiatric diagnoses only, and only for roles without the permission', () => {
    expect(maskDiagnosis(township, 'F20.0')).toBe(MASKED);
    expect(maskDiagnosis(township, 'K35.8')).toBe('K35.8');
    expect(maskDiagnosis(who('expert_reviewer'), 'F20.0')).toBe('F20.0');
  });

  it('says when an answer revealed something sensitive (then the read is audited)', () => {
    expect(revealsSensitive(staff, { categories: ['severe_mental'] })).toBe(true);
    expect(revealsSensitive(staff, { diagnoses: ['F31.1'] })).toBe(true);
    expect(revealsSensitive(staff, { categories: ['subsistence'], diagnoses: ['I10'] })).toBe(
      false,
    );
    // Nothing is revealed to a role that sees it masked.
    expect(revealsSensitive(township, { categories: ['severe_mental'] })).toBe(false);
  });
});
