import { describe, expect, it } from 'vitest';
import { isTriguardError } from '../kernel/errors.ts';
import { readTrialInput } from './trial-input.ts';

const doc = () => ({
  pack: 'demo-2022',
  person: { categories: [{ code: 'subsistence', from: '2022-01', to: null }] },
  bills: [
    {
      id: 'b1',
      date: '2022-03-15',
      visitType: 'inpatient',
      hospitalLevel: 2,
      diagnosis: 'K35.8',
      remote: null,
      lines: [{ amount: 12000, class: 'A' }],
    },
  ],
});

const fieldOf = (raw: unknown): string | null => {
  try {
    readTrialInput(raw);
    return null;
  } catch (e) {
    if (isTriguardError(e) && e.code === 'field.unknown') return e.field;
    throw e;
  }
};

describe('unknown fields in a trial document', () => {
  it('accepts the documented fields', () => {
    expect(fieldOf(doc())).toBeNull();
  });

  it('refuses an unknown field at every level, naming it', () => {
    const top = { ...doc(), extra: 1 };
    expect(fieldOf(top)).toBe('extra');
    const person = doc();
    (person.person as Record<string, unknown>).flags = [];
    expect(fieldOf(person)).toBe('person.flags');
    const category = doc();
    (category.person.categories[0] as Record<string, unknown>).until = '2022-12';
    expect(fieldOf(category)).toBe('person.categories[0].until');
    const bill = doc();
    (bill.bills[0] as Record<string, unknown>).hospital = 'H1';
    expect(fieldOf(bill)).toBe('bills[0].hospital');
    const line = doc();
    (line.bills[0]!.lines[0] as Record<string, unknown>).overlimit = 5;
    expect(fieldOf(line)).toBe('bills[0].lines[0].overlimit');
  });
});
