/**
 * A small demo county with a settled year, and drafts in a scratch copy of the packs, for the
 * replay's tests: the same steps as `triguard demo`, at a size a test can afford.
 */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Db } from '../../db/db.ts';
import { loadDemoCounty } from '../../registry/index.ts';
import { loadDemoCatalogue } from '../../catalogue/index.ts';
import { demoAssistanceStep } from '../../assistance/index.ts';
import { loadChronicDemo } from '../../chronic/index.ts';
import { settleDemoYear } from '../../settlement/index.ts';
import { createDraft, DEFAULT_ROOT, type ParamEdit } from '../../policy/index.ts';

export const YEAR = 2022;

export async function settledDemoYear(db: Db, opts: { people?: number; bills?: number } = {}) {
  const people = opts.people ?? 3_000;
  await loadDemoCounty(db, { seed: 11, people, year: YEAR });
  await loadDemoCatalogue(db);
  await demoAssistanceStep(db, { year: YEAR }, { err: () => undefined });
  await loadChronicDemo(db, { seed: 11, year: YEAR });
  return settleDemoYear(db, { seed: 11, year: YEAR, bills: opts.bills ?? 500, county: '370899' });
}

/** A scratch root holding copies of the shipped packs, where drafts can be made and removed. */
export interface ScratchPacks {
  root: string;
  draft(source: string, name: string, edits?: ParamEdit[]): Promise<void>;
  remove(): Promise<void>;
}

export async function scratchPacks(): Promise<ScratchPacks> {
  const root = await mkdtemp(join(tmpdir(), 'triguard-replay-'));
  for (const name of ['demo-2022', 'demo-2023']) {
    await cp(join(DEFAULT_ROOT, name), join(root, name), { recursive: true });
  }
  return {
    root,
    draft: async (source, name, edits = []) => {
      await createDraft(source, name, edits, { root });
    },
    remove: () => rm(root, { recursive: true, force: true }),
  };
}
