import { expect, it } from 'vitest';
import { maskIdsInText } from './logging.ts';

it('masks ID numbers in logged URLs', () => {
  expect(maskIdsInText('/api/v1/persons/11010519491231002X/accumulators')).toBe(
    '/api/v1/persons/110105********002X/accumulators',
  );
  expect(maskIdsInText('/api/v1/persons/110105491231002')).toBe(
    '/api/v1/persons/110105********1002',
  );
  expect(maskIdsInText('/api/v1/settlements/42')).toBe('/api/v1/settlements/42');
});
