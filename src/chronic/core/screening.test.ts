import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadPack, type PolicyPack } from '../../policy/index.ts';
import { findDisease } from '../../policy/resolve.ts';
import { isTriguardError } from '../../kernel/errors.ts';
import {
  MAX_PERIOD_DAYS,
  STORED_HEAD,
  bareDiagnosis,
  catalogueKeys,
  probeKeys,
  type CatalogueKeys,
  checkPeriod,
  checkVisit,
  diseaseOf,
  emptyFunnel,
  expandPattern,
  runRegion,
} from './screening.ts';

const fails = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    if (isTriguardError(e)) return { kind: e.kind, code: e.code, field: e.field };
    throw e;
  }
  throw new Error('did not throw');
};

describe('expandPattern', () => {
  it('a prefix is itself; a range lists every prefix between its ends', () => {
    expect(expandPattern({ from: 'C', to: 'C' })).toEqual(['C']);
    expect(expandPattern({ from: 'F70', to: 'F79' })).toEqual(
      Array.from({ length: 10 }, (_, i) => `F7${i}`),
    );
    expect(expandPattern({ from: 'i10', to: 'I1.2' })).toEqual(['I10', 'I11', 'I12']);
    // Across a tens boundary: letters sort after digits, as the pack compares codes.
    const e = expandPattern({ from: 'E08', to: 'E11' });
    expect(e).toHaveLength(2 + 26 + 2);
    expect(e).toEqual(expect.arrayContaining(['E08', 'E09', 'E0A', 'E0Z', 'E10', 'E11']));
    expect(e).not.toContain('E1A');
  });

  it('refuses a reversed or uneven range', () => {
    expect(() => expandPattern({ from: 'F79', to: 'F70' })).toThrow(RangeError);
    expect(() => expandPattern({ from: 'F7', to: 'F79' })).toThrow(RangeError);
  });
});

describe('catalogueKeys', () => {
  let pack: PolicyPack;
  beforeAll(async () => {
    pack = await loadPack('demo-2022');
  });

  it('maps the demo catalogue’s prefixes to their diseases, S004 from the severe mental list', () => {
    const c = catalogueKeys(pack, '2022-12-31');
    expect(c.pack).toBe('demo-2022');
    expect(c.keys.I63).toBe('M004');
    expect(c.keys.C).toBe('S001');
    expect(c.keys.F75).toBe('S004');
    expect(c.lengths).toEqual([3, 1]);
    expect(c.severeMental).toBe('S004');
    expect(diseaseOf(c, 'i63.9')).toBe('M004');
    expect(diseaseOf(c, ' C34.9')).toBe('S001');
    expect(diseaseOf(c, 'J18.9')).toBeNull();
    expect(diseaseOf(c, 'I10')).toBeNull();
  });

  it('gives the pack’s own answer for any diagnosis (findDisease)', () => {
    const c = catalogueKeys(pack, '2022-06-30');
    const code = fc
      .tuple(
        fc.constantFrom(...'ACEFIJMNZKSO'.split('')),
        fc.integer({ min: 0, max: 99 }),
        fc.option(fc.integer({ min: 0, max: 9 }), { nil: undefined }),
        fc.boolean(),
      )
      .map(([l, n, d, lower]) => {
        const s = `${l}${String(n).padStart(2, '0')}${d === undefined ? '' : `.${d}`}`;
        return lower ? s.toLowerCase() : s;
      });
    fc.assert(
      fc.property(code, (dx) => {
        expect(diseaseOf(c, dx)).toBe(findDisease(pack, dx, '2022-06-30')?.code ?? null);
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('probeKeys', () => {
  /** The SQL's probe of a stored code: its first three characters as stored, longer heads bare. */
  const probe = (c: CatalogueKeys, dx: string) => {
    const p = probeKeys(c);
    for (const n of p.lengths) {
      const code = n <= STORED_HEAD ? dx : bareDiagnosis(dx);
      if (code.length < n) continue;
      const d = p.keys[code.slice(0, n)];
      if (d !== undefined) return d;
    }
    return null;
  };
  const stored = fc
    .tuple(
      fc.constantFrom(...'ACEFIJMNZ'.split('')),
      fc.integer({ min: 0, max: 99 }),
      fc.option(fc.stringMatching(/^[0-9A-Za-z]{1,4}$/), { nil: undefined }),
    )
    .map(([l, n, ext]) => `${l}${String(n).padStart(2, '0')}${ext === undefined ? '' : `.${ext}`}`);

  it('finds on a stored code what the catalogue finds on its normal form', async () => {
    const c = catalogueKeys(await loadPack('demo-2022'), '2022-12-31');
    expect(probeKeys(c).lengths).toEqual([3]);
    expect(probeKeys(c).keys.C34).toBe('S001');
    fc.assert(
      fc.property(stored, (dx) => {
        expect(probe(c, dx)).toBe(diseaseOf(c, dx));
      }),
      {
        numRuns: 2_000,
      },
    );
  });

  it('probes longer prefixes on the normal form', () => {
    const c: CatalogueKeys = {
      pack: 't',
      on: '2022-01-01',
      keys: { C: 'S001', I251: 'M009', I63: 'M004', F7: 'S004' },
      lengths: [4, 3, 2, 1],
      diseases: [],
      severeMental: null,
    };
    expect(probeKeys(c).lengths).toEqual([4, 3]);
    expect(probe(c, 'I25.1x01')).toBe('M009');
    expect(probe(c, 'I25.2')).toBeNull();
    expect(probe(c, 'F72.1')).toBe('S004');
    fc.assert(
      fc.property(stored, (dx) => {
        expect(probe(c, dx)).toBe(diseaseOf(c, dx));
      }),
      {
        numRuns: 2_000,
      },
    );
  });
});

describe('checkPeriod', () => {
  it('keeps the categories once, sorted', () => {
    expect(
      checkPeriod({
        periodFrom: '2022-01-01',
        periodTo: '2022-12-31',
        categories: ['subsistence', 'monitored', 'subsistence'],
      }),
    ).toEqual({ categories: ['monitored', 'subsistence'] });
  });

  it('names the field of a reversed or too long period, or an unknown category', () => {
    expect(fails(() => checkPeriod({ periodFrom: '2022-02-01', periodTo: '2022-01-31' }))).toEqual({
      kind: 'unprocessable',
      code: 'chronic.period_reversed',
      field: 'periodTo',
    });
    expect(fails(() => checkPeriod({ periodFrom: '2020-01-01', periodTo: '2022-12-31' }))).toEqual({
      kind: 'unprocessable',
      code: 'chronic.period_too_long',
      field: 'periodTo',
    });
    expect(MAX_PERIOD_DAYS).toBeGreaterThanOrEqual(366);
    expect(
      fails(() =>
        checkPeriod({
          periodFrom: '2022-01-01',
          periodTo: '2022-12-31',
          // @ts-expect-error: an unknown category from the CLI
          categories: ['subsistence', 'rich'],
        }),
      ),
    ).toEqual({ kind: 'invalid', code: 'chronic.category_unknown', field: 'categories[1]' });
  });
});

describe('runRegion', () => {
  const county = { kind: 'region', regionCode: '370899' } as const;
  const township = { kind: 'region', regionCode: '370899001' } as const;
  it('narrows to the smaller of the request and the scope', () => {
    expect(runRegion(county, undefined)).toBe('370899');
    expect(runRegion(county, '370899002')).toBe('370899002');
    expect(runRegion(township, '370899')).toBe('370899001');
    expect(runRegion({ kind: 'system' }, undefined)).toBeNull();
    expect(runRegion({ kind: 'system' }, '370899003')).toBe('370899003');
  });
  it('refuses a region beside the scope', () => {
    expect(fails(() => runRegion(township, '370899002'))).toEqual({
      kind: 'forbidden',
      code: 'region.out_of_scope',
      field: 'regionCode',
    });
  });
});

describe('checkVisit', () => {
  it('a visit is between the run and today; the note is trimmed', () => {
    expect(
      checkVisit({ visitedOn: '2023-01-10', note: '  在家  ' }, '2023-01-05', '2023-02-01'),
    ).toEqual({ visitedOn: '2023-01-10', notApplying: null, note: '在家' });
    expect(
      checkVisit(
        { visitedOn: '2023-01-05', notApplying: 'no_outpatient_need', note: ' ' },
        '2023-01-05',
        '2023-01-05',
      ),
    ).toEqual({ visitedOn: '2023-01-05', notApplying: 'no_outpatient_need', note: null });
  });
  it('names visitedOn when it is in the future or before the list', () => {
    expect(
      fails(() => checkVisit({ visitedOn: '2023-02-02' }, '2023-01-05', '2023-02-01')),
    ).toEqual({ kind: 'unprocessable', code: 'chronic.visit_in_future', field: 'visitedOn' });
    expect(
      fails(() => checkVisit({ visitedOn: '2023-01-04' }, '2023-01-05', '2023-02-01')),
    ).toEqual({
      kind: 'unprocessable',
      code: 'chronic.visit_before_screening',
      field: 'visitedOn',
    });
    expect(
      fails(() =>
        checkVisit({ visitedOn: '2023-01-06', note: 'x'.repeat(501) }, '2023-01-05', '2023-02-01'),
      ),
    ).toEqual({ kind: 'invalid', code: 'chronic.note_too_long', field: 'note' });
  });
});

it('an empty funnel counts every reason as zero', () => {
  expect(emptyFunnel(3)).toEqual({
    screeningId: 3,
    screened: 0,
    visited: 0,
    applied: 0,
    certified: 0,
    refused: 0,
    notApplying: {
      no_chronic_disease: 0,
      review_not_passed: 0,
      not_in_catalogue: 0,
      no_outpatient_need: 0,
    },
  });
});
