/**
 * The disease catalogue of a pack (docs/chronic.md §1): what `policy check` refuses, each on an edited
 * copy of demo-2022 with the file, line and key the staffer is sent to.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadPack } from './loader.ts';
import { PackError, type Problem } from './problems.ts';
import { patternsOverlap } from './diagnosis.ts';
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

describe('the catalogue of demo-2022', () => {
  it('lists the ten diseases of docs/chronic.md §1, S004 on the very list of pack.yaml', async () => {
    const pack = await loadPack('demo-2022', { root: copy.root });
    expect(pack.diseases.map((d) => [d.code, d.kind, d.subCap?.entries[0]?.value ?? null])).toEqual(
      [
        ['M001', 'chronic', 150_000],
        ['M002', 'chronic', 200_000],
        ['M003', 'chronic', 200_000],
        ['M004', 'chronic', 200_000],
        ['M005', 'chronic', 150_000],
        ['M006', 'chronic', 150_000],
        ['S001', 'special', null],
        ['S002', 'special', null],
        ['S003', 'special', null],
        ['S004', 'special', null],
      ],
    );
    const s004 = pack.diseases.find((d) => d.code === 'S004');
    expect(s004?.diagnoses).toBe(pack.severeMentalDiagnosis);
    expect(s004?.severeMental).toBe(true);
  });
});

describe('policy check refuses', () => {
  it('a pack serving chronic_outpatient without a catalogue', async () => {
    await rm(join(copy.dir, 'diseases.yaml'));
    expect(await problems()).toEqual([
      problem('diseases.yaml', 0, '', /serves chronic_outpatient but has no disease catalogue/),
    ]);
  });

  it('an empty catalogue', async () => {
    await writeFile(join(copy.dir, 'diseases.yaml'), '{}\n');
    expect(await problems()).toEqual([problem('diseases.yaml', 1, '', /lists no disease/)]);
  });

  it('prefixes of two diseases that overlap', async () => {
    await copy.edit('diseases.yaml', '[I20, I25]', '[I20, I25, I13]');
    const line = await copy.lineOf('diseases.yaml', 'M003:');
    const found = await problems();
    expect(found).toEqual([
      problem('diseases.yaml', line + 4, 'M003.diagnoses', /M003's I13 overlaps M001's I13/),
    ]);
  });

  it('a disease repeating a severe mental prefix instead of naming the list', async () => {
    await copy.edit('diseases.yaml', '[Z94]', '[Z94, F20]');
    expect((await problems()).map((p) => p.message)).toEqual([
      expect.stringMatching(/S004's F20 overlaps S003's F20/),
    ]);
  });

  it('a chronic disease without its sub-cap', async () => {
    const from = `  sub_cap:\n    - { value: 1500, from: 2022-01-01, reference: chronic.md §1 }\nM006:`;
    const line = await copy.edit('diseases.yaml', from, 'M006:');
    expect(await problems()).toEqual([
      problem('diseases.yaml', line - 6, 'M005', /needs its annual sub_cap/),
    ]);
  });

  it('a national code that is not of the national format', async () => {
    const line = await copy.edit('diseases.yaml', 'national_code: M03900', 'national_code: 3900');
    expect(await problems()).toEqual([
      problem('diseases.yaml', line, 'M001.national_code', /not a national disease code/),
    ]);
  });

  it('a special disease when chronic_outpatient does not say how special diseases are paid', async () => {
    const text = '  special_disease: #';
    const line = await copy.lineOf('basic.yaml', text);
    const file = join(copy.dir, 'basic.yaml');
    const lines = (await readFile(file, 'utf8')).split('\n');
    lines.splice(line - 1, 9);
    await writeFile(file, lines.join('\n'));
    expect(await problems()).toEqual([
      problem(
        'basic.yaml',
        await copy.lineOf('basic.yaml', 'chronic_outpatient:'),
        'chronic_outpatient',
        /special disease S001 .* needs chronic_outpatient.special_disease/,
      ),
    ]);
  });
});

describe('patternsOverlap', () => {
  const p = (from: string, to = from) => ({ from, to });
  it('compares prefixes of different lengths and ranges', () => {
    expect(patternsOverlap(p('C'), p('C34'))).toBe(true);
    expect(patternsOverlap(p('I20'), p('I25'))).toBe(false);
    expect(patternsOverlap(p('F70', 'F79'), p('F72.1'))).toBe(true);
    expect(patternsOverlap(p('F70', 'F79'), p('F80'))).toBe(false);
    expect(patternsOverlap(p('E10', 'E14'), p('E1'))).toBe(true);
    expect(patternsOverlap(p('I25.1'), p('I25.2'))).toBe(false);
  });
});
