import { expect, it } from 'vitest';
import pg from 'pg';
import { DescribedResult } from './pg-query.ts';

const types = { getTypeParser: pg.types.getTypeParser };
const field = (name: string, dataTypeID: number) => ({ name, dataTypeID, format: 'text' });
/** pg parses a data row of text values through the result (Result#parseRow). */
const parse = (r: DescribedResult, values: (string | null)[]) =>
  (r as unknown as { parseRow(v: (string | null)[]): Record<string, unknown> }).parseRow(values);

it('a statement described the same way again reuses its parsers, and follows a new description', () => {
  const a = new DescribedResult(types, 'tg_unit_1');
  a.addFields([field('n', 20), field('ok', 16)]);
  expect(parse(a, ['12', 't'])).toEqual({ n: '12', ok: true });

  const b = new DescribedResult(types, 'tg_unit_1');
  b.addFields([field('n', 20), field('ok', 16)]);
  expect(parse(b, ['13', 'f'])).toEqual({ n: '13', ok: false });
  expect((b as unknown as { _parsers: unknown })._parsers).toBe(
    (a as unknown as { _parsers: unknown })._parsers,
  );

  // The same statement now describes other columns (say, a search_path change): pg's own path.
  const c = new DescribedResult(types, 'tg_unit_1');
  c.addFields([field('m', 23), field('when', 25)]);
  expect(parse(c, ['7', 'x'])).toEqual({ m: 7, when: 'x' });
  expect(parse(c, [null, 'y'])).toEqual({ m: null, when: 'y' });
});
