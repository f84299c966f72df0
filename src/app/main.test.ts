import { expect, it } from 'vitest';
import type { CliIo } from '../cli/command.ts';
import { commands } from './commands/index.ts';
import { main } from './main.ts';

function io() {
  const out: string[] = [];
  const err: string[] = [];
  const value: CliIo = {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    tty: false,
    env: {},
    cwd: '.',
  };
  return { out, err, io: value };
}

it('idcard check prints one JSON object per number: valid, upgraded, bad checksum', async () => {
  const t = io();
  const code = await main(
    ['idcard', 'check', '11010519491231002X', '110105491231002', '110105194912310021'],
    t.io,
  );
  expect(code).toBe(1);
  const [a, b, c] = t.out.map((l) => JSON.parse(l));
  expect(a).toMatchObject({
    valid: true,
    normalized: '11010519491231002X',
    gender: 'female',
    birthDate: '1949-12-31',
    regionCode: '110105',
    error: null,
  });
  expect(b).toMatchObject({
    input: '110105491231002',
    valid: true,
    normalized: '11010519491231002X',
  });
  expect(c).toMatchObject({ valid: false, normalized: null });
  expect(c.error.zh).toContain('校验码');
  expect(c.error.en).toContain('check digit');
});

it('lists every command under --help and refuses an unknown one', async () => {
  const t = io();
  expect(await main(['--help'], t.io)).toBe(0);
  for (const name of ['serve', 'migrate', 'demo', 'idcard'])
    expect(t.out.join('\n')).toContain(name);
  const u = io();
  expect(await main(['frobnicate'], u.io)).toBe(2);
});

it('answers --help on every command', async () => {
  for (const name of ['serve', 'migrate', 'demo', 'idcard']) {
    const t = io();
    expect(await main([name, '--help'], t.io)).toBe(0);
    expect(t.out.join('\n')).toContain(`triguard ${name}`);
  }
});

it('lists each command with the name and summary of the module that runs it', async () => {
  for (const entry of commands) {
    const command = await entry.load();
    expect({ name: command.name, summary: command.summary }).toEqual({
      name: entry.name,
      summary: entry.summary,
    });
  }
});
