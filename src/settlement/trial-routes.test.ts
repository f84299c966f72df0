import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { afterAll, describe, expect, it } from 'vitest';
import { errorHandler } from '../http/errors.ts';
import { EXAMPLE, handPacks } from './testing/example.ts';
import { trialRoutesWith } from './trial-routes.ts';

// The app's own compilers and error handler, so statuses are what the real server answers.
const app = Fastify();
app.setValidatorCompiler(validatorCompiler);
app.setSerializerCompiler(serializerCompiler);
app.setErrorHandler(errorHandler);
await app.register(trialRoutesWith(handPacks()));
afterAll(() => app.close());

const post = (payload: unknown) =>
  app.inject({ method: 'POST', url: '/api/v1/settlement/trial', payload: payload as object });

describe('POST /api/v1/settlement/trial', () => {
  it('answers the worked example', async () => {
    const res = await post(EXAMPLE);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.results[0]).toMatchObject({ id: 'b1', hifp_pay: 13005, fund_pay_sumamt: 14191.5 });
    expect(body.results[0].explain[0].text.zh).toContain('起付线 250.00 元');
  });

  it('answers 422 naming the field of a broken rule', async () => {
    const res = await post({
      ...EXAMPLE,
      person: { categories: [{ code: 'rich', from: '2022-01' }] },
    });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({
      code: 'person.category_unknown',
      field: 'person.categories[0].code',
    });
  });

  it('answers 400 when the body is not an object', async () => {
    expect((await post([EXAMPLE])).statusCode).toBe(400);
  });
});
