import { describe, expect, it } from 'vitest';
import {
  applicationBody,
  checkApplication,
  chosenFiles,
  diagnosisMatches,
  fileProblem,
  missingDocuments,
  newApplication,
  unmask,
} from './application-form.ts';
import type { CatalogueDisease, ChecklistDocument } from '../api/types.ts';

const CHECKLIST: ChecklistDocument[] = [
  { kind: 'medical_record', required: true, name: { zh: '病历', en: 'medical records' } },
  { kind: 'test_result', required: true, name: { zh: '检查检验报告', en: 'test results' } },
  { kind: 'health_check', required: false, name: { zh: '健康体检', en: 'health check' } },
];
const M002: CatalogueDisease = {
  code: 'M002',
  name: { zh: '糖尿病（合并并发症）', en: 'diabetes with complications' },
  nationalCode: 'M01600',
  kind: 'chronic',
  subCap: 2000,
  diagnoses: ['E10', 'E11', 'E12', 'E13', 'E14'],
};
const pdf = (name = 'a.pdf') => new File(['%PDF-1.4'], name, { type: 'application/pdf' });

const filled = () => ({
  ...newApplication('2024-03-01'),
  certno: '370899199001010011',
  diseases: ['M002'],
  diagnoses: { M002: 'e11.9' },
});

describe('the chronic application form', () => {
  it('matches diagnoses as the spec does: upper case, the dot ignored', () => {
    expect(diagnosisMatches('e11.9', M002.diagnoses)).toBe(true);
    expect(diagnosisMatches('E119', M002.diagnoses)).toBe(true);
    expect(diagnosisMatches('I10', M002.diagnoses)).toBe(false);
    expect(diagnosisMatches('F20.0', ['F20', 'F70'])).toBe(true);
  });

  it('refuses files that are not PDF, JPEG or PNG, or over 10 MB', () => {
    expect(fileProblem({ type: 'application/pdf', size: 1000 })).toBeNull();
    expect(fileProblem({ type: 'image/png', size: 10 * 1024 * 1024 })).toBeNull();
    expect(fileProblem({ type: 'image/gif', size: 10 })).toBe('type');
    expect(fileProblem({ type: 'image/jpeg', size: 10 * 1024 * 1024 + 1 })).toBe('size');
  });

  it('counts only required documents as missing', () => {
    expect(missingDocuments(CHECKLIST, (k) => k === 'medical_record')).toEqual(['test_result']);
    expect(missingDocuments(CHECKLIST, (k) => k !== 'health_check')).toEqual([]);
  });

  it('asks for the person, a disease and a diagnosis of that disease', () => {
    const p = checkApplication(
      { ...newApplication('2024-03-01'), diseases: ['M002'], diagnoses: { M002: 'I10' } },
      [M002],
      [],
    );
    expect(Object.keys(p).sort()).toEqual(['diagnosis.M002', 'person']);
    expect(p['diagnosis.M002']?.params?.prefixes).toBe('E10, E11, E12, E13, E14');
    expect(checkApplication(newApplication('2024-03-01'), [M002], []).diseases?.key).toBe(
      'chronic.application.chooseDiseases',
    );
  });

  it('needs a 容缺 deadline, not before acceptance, when required documents are missing', () => {
    const form = filled();
    expect(checkApplication(form, [M002], CHECKLIST).documentsDue?.key).toBe(
      'chronic.application.documentsDueRequired',
    );
    expect(
      checkApplication({ ...form, documentsDue: '2024-02-28' }, [M002], CHECKLIST).documentsDue,
    ).toBeDefined();
    expect(checkApplication({ ...form, documentsDue: '2024/4/1' }, [M002], CHECKLIST)).toEqual({});
    // On-site assessment is accepted with documents missing and no deadline.
    expect(checkApplication({ ...form, onsite: true }, [M002], CHECKLIST)).toEqual({});
  });

  it('sends the deadline typed, the acceptance day when every document is in hand, none on site', () => {
    const form = { ...filled(), documentsDue: '2024-3-31', note: '  家属代办  ' };
    expect(applicationBody(form, CHECKLIST)).toEqual({
      certno: '370899199001010011',
      diseases: [{ disease: 'M002', diagnosis: 'E11.9' }],
      acceptedOn: '2024-03-01',
      documentsDue: '2024-03-31',
      note: '家属代办',
    });
    const complete = {
      ...form,
      files: { medical_record: pdf(), test_result: pdf('b.pdf'), health_check: null },
    };
    expect(applicationBody(complete, CHECKLIST).documentsDue).toBe('2024-03-01');
    expect(chosenFiles(complete, CHECKLIST).map((f) => f.kind)).toEqual([
      'medical_record',
      'test_result',
    ]);
    const onsite = applicationBody({ ...form, onsite: true }, CHECKLIST);
    expect(onsite.onsite).toBe(true);
    expect(onsite).not.toHaveProperty('documentsDue');
  });

  it('takes a typed ID number only when it is the one shown masked', () => {
    expect(unmask('370899199001010011', null)).toBe('370899199001010011');
    expect(unmask('370899********0011', '370899199001010011')).toBe('370899199001010011');
    expect(unmask('370899********0011', '370899199001010022')).toBeNull();
    expect(unmask('370899********001X', '37089919900101001x')).toBe('37089919900101001X');
    expect(unmask('370899********0011', '')).toBeNull();
  });
});
