/**
 * The trial end to end on the real demo-2022 pack: the command in its own process (stdin and a
 * file, stdout holding only JSON, a broken rule on stderr with a non-zero exit), and the HTTP
 * route as the app's error handler answers it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { afterAll, describe, expect, it } from 'vitest';
import { errorHandler } from '../http/errors.ts';
import { EXAMPLE } from './testing/example.ts';
import { trialRoutes } from './trial-routes.ts';

const script = fileURLToPath(new URL('../../test/support/run-trial.ts', import.meta.url));

function runCommand(args: string[], stdin?: string) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', script, ...args], {
    input: stdin ?? '',
    encoding: 'utf8',
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const WORKED = {
  id: 'b1',
  hifp_pay: 13005,
  hifmi_pay: 0,
  maf_pay: 1186.5,
  reassist_pay: 0,
  psn_part_amt: 1308.5,
  medfee_sumamt: 15500,
};

describe('triguard trial, its own process, demo-2022', () => {
  it('reads stdin with --input - and prints only the JSON answer', () => {
    const r = runCommand(['--input', '-'], JSON.stringify(EXAMPLE));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).results[0]).toMatchObject(WORKED);
  });

  it('reads a file; a broken rule exits non-zero with the field on stderr and nothing on stdout', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trial-e2e-'));
    const file = join(dir, 'bad.json');
    writeFileSync(
      file,
      JSON.stringify({ ...EXAMPLE, bills: [{ ...EXAMPLE.bills[0], date: '2022-02-30' }] }),
    );
    const r = runCommand(['--input', file]);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(JSON.parse(r.err.trim().split('\n').pop()!)).toMatchObject({
      code: 'date.invalid',
      field: 'bills[0].date',
    });
  });
});

describe('POST /api/v1/settlement/trial on demo-2022', () => {
  const app = Fastify();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  const ready = app.register(trialRoutes);
  afterAll(() => app.close());

  const post = async (payload: object) => {
    await ready;
    return app.inject({ method: 'POST', url: '/api/v1/settlement/trial', payload });
  };

  it('answers the worked example', async () => {
    const res = await post(EXAMPLE);
    expect(res.statusCode).toBe(200);
    expect(res.json().results[0]).toMatchObject(WORKED);
    expect(res.json().results[0].explain[0].provenance.deductible[0].file).toBe('basic.yaml');
  });

  it('answers 422 for a pack that does not exist, naming the field', async () => {
    const res = await post({ ...EXAMPLE, pack: 'demo-1999' });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'policy.pack_not_found', field: 'pack' });
  });
});
