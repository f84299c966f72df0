import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorHandler } from '../http/errors.ts';
import { policyRoutes } from './routes.ts';
import type { ResolvedParams } from './types.ts';

let app: FastifyInstance;
beforeAll(async () => {
  app = Fastify();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  await app.register(policyRoutes);
  await app.ready();
});
afterAll(() => app.close());

describe('GET /api/v1/policies', () => {
  it('lists the packs, fixtures on request', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/policies' });
    expect(res.statusCode).toBe(200);
    expect(res.json<{ packs: { name: string }[] }>().packs.map((p) => p.name)).toEqual([
      'demo-2022',
      'demo-2023',
    ]);
    const all = await app.inject({ method: 'GET', url: '/api/v1/policies?fixtures=true' });
    expect(all.json<{ packs: { name: string }[] }>().packs).toHaveLength(3);
  });
});

describe('GET /api/v1/policies/{pack}', () => {
  it('reads the date 2022-3-15 as 2022-03-15, as files and other API fields do', async () => {
    const url = (date: string) => `/api/v1/policies/demo-2022?date=${date}&categories=subsistence`;
    const loose = await app.inject({ method: 'GET', url: url('2022-3-15') });
    expect(loose.statusCode).toBe(200);
    const strict = await app.inject({ method: 'GET', url: url('2022-03-15') });
    expect(loose.json()).toEqual(strict.json());
  });

  it('returns the resolved parameters with provenance for a date and categories', async () => {
    const res = await app.inject({
      method: 'GET',
      url: '/api/v1/policies/demo-2022?date=2022-03-15&categories=subsistence,severe_mental',
    });
    expect(res.statusCode).toBe(200);
    const body = res.json<{
      pack: { name: string };
      categories: string[];
      bills: ResolvedParams[];
      packWide: { perCapitaIncome: { value: number } };
    }>();
    expect(body.pack.name).toBe('demo-2022');
    expect(body.categories).toEqual(['subsistence', 'severe_mental']);
    const l2 = body.bills.find(
      (b) =>
        b.context.visitType === 'inpatient' &&
        b.context.hospitalLevel === 2 &&
        !b.severeMentalDiagnosis,
    );
    expect(l2?.basic.deductible.value).toBe(25_000);
    expect(l2?.basic.ratio.provenance.map((p) => p.key)).toEqual([
      'inpatient.ratio.level2',
      'tilts.key_assistance.ratio_add',
    ]);
    expect(l2?.criticalIllness.params?.brackets.value).toEqual([
      { from: 0, to: null, ratio: 8_000 },
    ]);
    expect(body.packWide.perCapitaIncome.value).toBe(3_570_500);
  });

  it('refuses a bad query with a TriguardError naming the field', async () => {
    const cases: [string, number, string][] = [
      ['/api/v1/policies/demo-2022', 400, 'date'],
      ['/api/v1/policies/demo-2022?date=2022-02-30', 400, 'date'],
      ['/api/v1/policies/demo-2022?date=2022-02-03&categories=poor', 400, 'categories'],
      ['/api/v1/policies/demo-2022?date=2022-02-03&remote=far', 400, 'remote'],
      ['/api/v1/policies/nope?date=2022-02-03', 404, 'pack'],
      ['/api/v1/policies/..%2Fsecrets?date=2022-02-03', 400, 'pack'],
    ];
    for (const [url, status, field] of cases) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(status);
      expect(res.json<{ field: string }>().field, url).toBe(field);
    }
  });
});
