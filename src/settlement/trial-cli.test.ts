import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../cli/command.ts';
import { EXAMPLE, handPacks } from './testing/example.ts';
import { makeTrialCommand } from './trial-cli.ts';

async function run(argv: string[], doc?: unknown | string) {
  const dir = await mkdtemp(join(tmpdir(), 'trial-'));
  if (doc !== undefined) {
    await writeFile(join(dir, 'in.json'), typeof doc === 'string' ? doc : JSON.stringify(doc));
  }
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    tty: false,
    env: {},
    cwd: dir,
  };
  const code = await makeTrialCommand(handPacks()).run(argv, io);
  return { code, out, err };
}

describe('triguard trial', () => {
  it('prints only the JSON answer of the worked example', async () => {
    const r = await run(['--input', 'in.json'], EXAMPLE);
    expect(r.code).toBe(0);
    expect(r.err).toEqual([]);
    expect(r.out).toHaveLength(1);
    const answer = JSON.parse(r.out[0]!);
    expect(answer.results[0]).toMatchObject({
      id: 'b1',
      hifp_pay: 13005,
      maf_pay: 1186.5,
      psn_part_amt: 1308.5,
    });
  });

  it('names the field of a broken rule on stderr and exits 1', async () => {
    const bad = {
      ...EXAMPLE,
      bills: [{ ...EXAMPLE.bills[0], lines: [{ amount: 10, class: 'A', overLimit: 11 }] }],
    };
    const r = await run(['--input', 'in.json'], bad);
    expect(r.code).toBe(1);
    expect(r.out).toEqual([]);
    expect(JSON.parse(r.err[0]!)).toMatchObject({
      code: 'bill.over_limit_above_amount',
      field: 'bills[0].lines[0].overLimit',
      message: {
        zh: expect.stringContaining('超限价'),
        en: expect.stringContaining('must not exceed'),
      },
    });
  });

  it('refuses a file that is not JSON, and a missing file', async () => {
    expect((await run(['--input', 'in.json'], '{"pack": ')).err[0]).toContain('trial.bad_json');
    const missing = await run(['--input', 'nowhere.json']);
    expect(missing.code).toBe(1);
    expect(missing.err[0]).toContain('trial.input_unreadable');
  });

  it('without --input exits 2 with an error, and --help prints the help', async () => {
    const r = await run([]);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.err[0]!).code).toBe('cli.missing_input');
    const h = await run(['--help']);
    expect(h.code).toBe(0);
    expect(h.out[0]).toContain('--input FILE');
  });
});
