/**
 * applications.yaml (docs/chronic.md §10): the checklist, the review steps and the two-diseases
 * national codes of a pack, and what `policy check` refuses, each on an edited copy of
 * demo-2022 with the file, line and key the staffer is sent to.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadPack } from './loader.ts';
import { PackError, type Problem } from './problems.ts';
import { copyPack, type PackCopy } from './testing/copy-pack.ts';

let copy: PackCopy;
beforeEach(async () => {
  copy = await copyPack('demo-2022');
});
afterEach(() => copy.remove());

async function problems(): Promise<Problem[]> {
  try {
    await loadPack('demo-2022', { root: copy.root });
  } catch (e) {
    if (e instanceof PackError) return e.problems;
    throw e;
  }
  throw new Error('the pack was accepted');
}

const problem = (file: string, line: number, key: string, message: RegExp) =>
  expect.objectContaining({ file, line, key, message: expect.stringMatching(message) });

describe('the application rules of the shipped packs', () => {
  it.each(['demo-2022', 'demo-2023', 'fixture-midyear'])(
    '%s: one review step, two documents required',
    async (name) => {
      const pack = await loadPack(name);
      expect(pack.applications.reviewSteps).toBe(1);
      expect(pack.applications.documents.map((d) => [d.kind, d.required])).toEqual([
        ['medical_record', true],
        ['test_result', true],
        ['prescription_history', false],
        ['family_doctor_contract', false],
        ['health_check', false],
      ]);
      expect(pack.applications.twoDiseases).toEqual({
        hypertension: ['M03901'],
        diabetes: ['M01601'],
      });
    },
  );
});

describe('policy check refuses', () => {
  it('a pack without applications.yaml', async () => {
    await rm(join(copy.dir, 'applications.yaml'));
    expect(await problems()).toEqual([problem('applications.yaml', 0, '', /file is missing/)]);
  });

  it('three review steps', async () => {
    const line = await copy.edit('applications.yaml', 'review_steps: 1', 'review_steps: 3');
    expect(await problems()).toEqual([
      problem('applications.yaml', line, 'review_steps', /1 or 2/),
    ]);
  });

  it('a document that is not on the checklist', async () => {
    const line = await copy.edit('applications.yaml', '  health_check:', '  blood_type:');
    expect(await problems()).toEqual([
      problem('applications.yaml', line, 'documents.blood_type', /unknown document "blood_type"/),
    ]);
  });

  it('a two-diseases code that is already a catalogue disease', async () => {
    const line = await copy.edit('applications.yaml', '[M01601]', '[M01600]');
    expect(await problems()).toEqual([
      problem(
        'applications.yaml',
        line,
        'two_diseases.diabetes.national_codes[0]',
        /already M002's/,
      ),
    ]);
  });

  it('a national code not in the national format', async () => {
    const line = await copy.edit('applications.yaml', '[M03901]', '[HBP]');
    expect(await problems()).toEqual([
      problem(
        'applications.yaml',
        line,
        'two_diseases.hypertension.national_codes[0]',
        /not a national disease code/,
      ),
    ]);
  });
});
