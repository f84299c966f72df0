import { afterEach, beforeEach, expect, it } from 'vitest';
import { cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isTriguardError } from '../kernel/errors.ts';
import { choosePack } from './choose.ts';
import { createDraft, parseEdit, publishDraft } from './draft.ts';
import { DEFAULT_ROOT, listPacks, loadPack, loadPacks } from './loader.ts';
import { resolveBill } from './resolve.ts';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'triguard-draft-'));
  for (const name of ['demo-2022', 'demo-2023']) {
    await cp(join(DEFAULT_ROOT, name), join(root, name), { recursive: true });
  }
});
afterEach(() => rm(root, { recursive: true, force: true }));

const codeOf = async (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (e: unknown) => (isTriguardError(e) ? `${e.code} ${e.field}` : String(e)),
  );

const ctx = {
  date: '2023-06-01',
  visitType: 'inpatient' as const,
  hospitalLevel: 2 as const,
  diagnosis: 'K35.8',
  remote: null,
  categories: [],
};

it('copies a pack to a draft with changed parameters, kept out of pack choice', async () => {
  const draft = await createDraft(
    'demo-2023',
    'more',
    [parseEdit('basic.yaml:inpatient.ratio.level2=85%')],
    { root },
  );
  expect(draft).toMatchObject({
    name: 'more',
    draft: true,
    basedOn: 'demo-2023',
    region: '370899',
  });
  expect(resolveBill(draft, ctx).basic.ratio.value).toBe(8_500);
  expect(resolveBill(await loadPack('demo-2023', { root }), ctx).basic.ratio.value).toBe(8_000);
  // The source's comments survive, and its pack tests are not copied.
  expect(await readFile(join(root, 'more', 'basic.yaml'), 'utf8')).toContain('# 支付比例');
  expect(await readdir(join(root, 'more'))).not.toContain('tests');
  expect((await listPacks({ root })).map((p) => p.name)).toEqual(['demo-2022', 'demo-2023']);
  expect((await listPacks({ root, includeDrafts: true })).map((p) => p.name)).toContain('more');
  const all = [...(await loadPacks({ root })), draft];
  expect(choosePack(all, '370899', '2023-06-01').name).toBe('demo-2023');
});

it('refuses an edit of a parameter that does not exist, a bad value, and a taken name, writing nothing', async () => {
  expect(
    await codeOf(
      createDraft('demo-2023', 'x', [parseEdit('basic.yaml:inpatient.ratio.level9=85%')], { root }),
    ),
  ).toBe('policy.edit_not_found --set');
  expect(
    await codeOf(
      createDraft('demo-2023', 'x', [parseEdit('basic.yaml:inpatient.ratio.level2=0.85')], {
        root,
      }),
    ),
  ).toBe('policy.invalid_pack null');
  expect(await codeOf(createDraft('demo-2023', 'demo-2022', [], { root }))).toBe(
    'policy.pack_exists name',
  );
  expect(() => parseEdit('inpatient.ratio=85%')).toThrow(/FILE:KEY=VALUE/);
  // A name is a folder name under the root, never a path out of it.
  for (const name of ['../evil', 'a/b', '', 'UPPER', '.hidden']) {
    expect(await codeOf(createDraft('demo-2023', name, [], { root }))).toBe(
      'policy.bad_pack_name name',
    );
  }
  // A value is one YAML value: a map or a second key in it does not load.
  expect(
    await codeOf(
      createDraft('demo-2023', 'x', [parseEdit('basic.yaml:inpatient.ratio.level2={a: 1}')], {
        root,
      }),
    ),
  ).toBe('policy.invalid_pack null');
  expect(
    await codeOf(
      createDraft(
        'demo-2023',
        'x',
        [parseEdit('basic.yaml:inpatient.ratio.level2==HYPERLINK("x")')],
        {
          root,
        },
      ),
    ),
  ).toBe('policy.invalid_pack null');
  expect((await readdir(root)).sort()).toEqual(['demo-2022', 'demo-2023']);
});

it('publishes a draft from a date: the pack it replaces ends the day before', async () => {
  await createDraft(
    'demo-2023',
    'demo-2024',
    [parseEdit('basic.yaml:inpatient.ratio.level2=85%')],
    { root },
  );
  expect(await codeOf(publishDraft('demo-2024', '2023-01-01', { root }))).toBe(
    'policy.effective_too_early from',
  );
  const done = await publishDraft('demo-2024', '2024-01-01', { root });
  expect(done.replaced).toEqual({ name: 'demo-2023', validTo: '2023-12-31' });
  expect(done.pack).toMatchObject({
    draft: false,
    basedOn: null,
    validity: { from: '2024-01-01', to: null },
  });
  const packs = await loadPacks({ root });
  expect(choosePack(packs, '370899', '2023-12-31').name).toBe('demo-2023');
  expect(choosePack(packs, '370899', '2024-01-01').name).toBe('demo-2024');
  expect(await codeOf(publishDraft('demo-2024', '2025-01-01', { root }))).toBe(
    'policy.not_draft pack',
  );
});
