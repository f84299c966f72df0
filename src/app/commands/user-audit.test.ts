/**
 * `triguard user add|disable|reset|token|list`, `triguard audit verify` and `audit checkpoint` against an embedded
 * database folder, as an operator would run them; verify must catch a row edited afterwards.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIo } from '../../cli/command.ts';
import { main } from '../main.ts';
import { openPglite } from '../../db/pglite.ts';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'triguard-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    tty: false,
    env: { TRIGUARD_DATA: dir, USER: 'tester' },
    cwd: '.',
  };
  const code = await main(argv, io);
  return { code, out, err, json: () => JSON.parse(out.join('\n')) as Record<string, unknown> };
}

it('adds accounts with a first password to change, or as machine clients with tokens', async () => {
  const add = await run(
    'user',
    'add',
    'zhang',
    '--role',
    'township_office',
    '--region',
    '370899001',
    '--name',
    '张经办',
  );
  expect(add.code).toBe(0);
  expect(add.json()).toMatchObject({
    account: {
      username: 'zhang',
      displayName: '张经办',
      roles: ['township_office'],
      scope: { kind: 'region', regionCode: '370899001' },
      mustChangePassword: true,
    },
    temporaryPassword: expect.stringMatching(/.{10,}/),
  });
  const machine = await run(
    'user',
    'add',
    'his',
    '--role',
    'designated_institution',
    '--region',
    '370899',
    '--institution',
    'H37089900001',
    '--machine',
  );
  expect(machine.json()).toMatchObject({
    temporaryPassword: null,
    account: { mustChangePassword: false },
  });
  const token = await run('user', 'token', 'his', '--label', 'HIS 接口', '--days', '30');
  expect(token.code).toBe(0);
  expect(token.json().token).toMatch(/^[\w-]{43}$/);
}, 60_000);

it('refuses bad input naming the field, and duplicates', async () => {
  const bad = await run('user', 'add', 'liwei', '--role', 'mayor', '--region', '370899');
  expect(bad.code).toBe(1);
  expect(JSON.parse(bad.err.join(''))).toMatchObject({ field: expect.stringContaining('--role') });
  const region = await run('user', 'add', 'liwei', '--role', 'auditor', '--region', '3708');
  expect(JSON.parse(region.err.join(''))).toMatchObject({
    field: expect.stringContaining('regionCode'),
  });
  const dup = await run('user', 'add', 'zhang', '--role', 'auditor', '--region', '370899');
  expect(JSON.parse(dup.err.join(''))).toMatchObject({ code: 'auth.username_taken' });
}, 60_000);

it('resets and disables accounts; disabling needs a reason', async () => {
  const reset = await run('user', 'reset', 'zhang', '--reason', 'forgot');
  expect(reset.json()).toMatchObject({ account: { mustChangePassword: true } });
  expect((await run('user', 'disable', 'zhang')).code).toBe(1);
  const off = await run('user', 'disable', 'zhang', '--reason', '调离 transferred');
  expect(off.json()).toMatchObject({ account: { disabled: true } });
  const missing = await run('user', 'reset', 'nobody');
  expect(JSON.parse(missing.err.join(''))).toMatchObject({ code: 'auth.user_not_found' });
  const list = await run('user', 'list');
  expect(list.out.map((l) => JSON.parse(l).username)).toEqual(['his', 'zhang']);
}, 60_000);

it('audit verify passes on the intact log and catches an edited row', async () => {
  const ok = await run('audit', 'verify');
  expect(ok.code).toBe(0);
  expect(ok.json()).toMatchObject({ ok: true, problems: [], checkpoint: null });
  expect(ok.json().entries).toBeGreaterThanOrEqual(5);

  // A checkpoint, printed and exported; verify then checks against it, or against the file.
  const file = join(dir, 'checkpoint.json');
  const cp = await run('audit', 'checkpoint', '--export', file);
  expect(cp.code).toBe(0);
  expect(cp.json()).toMatchObject({ id: 1, format: 'triguard-audit-checkpoint/1' });
  expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ id: 1, settlements: [] });
  const last = await run('audit', 'checkpoint', '--last');
  expect(last.json()).toMatchObject({ id: 1, digest: cp.json().digest });
  const against = await run('audit', 'verify');
  expect(against.json()).toMatchObject({ ok: true, checkpoint: { id: 1, source: 'database' } });
  const fromFile = await run('audit', 'verify', '--checkpoint', file);
  expect(fromFile.code).toBe(0);
  expect(fromFile.json()).toMatchObject({ ok: true, checkpoint: { id: 1, source: 'file' } });

  const db = await openPglite(dir);
  await db.query(
    `UPDATE audit_log SET reason = 'nothing happened' WHERE action = 'auth.user.disable'`,
  );
  await db.close();

  const tampered = await run('audit', 'verify');
  expect(tampered.code).toBe(1);
  expect(tampered.json()).toMatchObject({ ok: false, problems: [{ kind: 'hash_mismatch' }] });
  expect(tampered.err.join('\n')).toMatch(/TAMPERED/);
}, 60_000);
