/**
 * Draft packs (docs/replay.md §1): a copy of a pack under a new name, marked `draft: true`, whose
 * parameters are changed by editing its YAML or with `--set`; and publishing one, which clears the
 * mark, dates it and ends the pack it replaces the day before. Files only: the caller audits.
 *
 * Every write goes to a temporary folder first and is loaded and checked there, so a draft that
 * does not load never appears under the packs' root, and a publish that would leave a broken
 * pack changes nothing.
 */
import { cp, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isMap, isSeq, parseDocument, type Document } from 'yaml';
import { conflict, invalid } from '../kernel/errors.ts';
import type { IsoDate } from '../kernel/period.ts';
import { addDays } from './dated.ts';
import { choosePack } from './choose.ts';
import {
  DEFAULT_ROOT,
  PACK_NAME_RE,
  listPacks,
  loadPack,
  packDir,
  type LoadOptions,
} from './loader.ts';
import type { PolicyPack } from './model.ts';
import { PACK_FILES } from './schema.ts';

/** One `--set FILE:KEY=VALUE`: the value of the entry in force at the end of a parameter's history. */
export interface ParamEdit {
  file: string;
  /** Dotted key path inside the file, e.g. `inpatient.ratio.level2`. */
  key: string;
  /** As a person writes it in the YAML: `85%`, `1200`, `null`. */
  value: string;
}

/** Reads `basic.yaml:inpatient.ratio.level2=85%`. */
export function parseEdit(text: string): ParamEdit {
  const m = /^([a-z_]+\.yaml):([A-Za-z0-9_.-]+)=(.+)$/.exec(text.trim());
  if (!m) {
    throw invalid(
      'policy.bad_edit',
      '--set',
      `参数修改应写成 文件:键=值，如 basic.yaml:inpatient.ratio.level2=85%，收到 ${text}`,
      `an edit is FILE:KEY=VALUE, e.g. basic.yaml:inpatient.ratio.level2=85%; got ${text}`,
    );
  }
  return { file: m[1]!, key: m[2]!, value: m[3]! };
}

// post_tier.yaml is read by the settlement engine, beside the files the pack loader reads.
const FILES = new Set<string>([...Object.values(PACK_FILES), 'post_tier.yaml']);

/** Applies one edit to a parsed YAML document of the pack. */
function applyEdit(doc: Document, edit: ParamEdit): void {
  const path = edit.key.split('.');
  const history = doc.getIn(path, true);
  if (!isSeq(history) || history.items.length === 0) {
    throw invalid(
      'policy.edit_not_found',
      '--set',
      `${edit.file} 中没有参数 ${edit.key}（应为一段取值历史）`,
      `${edit.file} has no parameter ${edit.key} (a history of dated values)`,
    );
  }
  const last = history.items[history.items.length - 1];
  if (!isMap(last)) {
    throw invalid(
      'policy.edit_not_found',
      '--set',
      `${edit.file} ${edit.key} 的最后一项不是取值`,
      `the last entry of ${edit.file} ${edit.key} is not a dated value`,
    );
  }
  // Parsed as YAML, so `85%` stays text and `1200` a number, as the person would have typed them.
  const parsed = parseDocument(`v: ${edit.value}`).get('v');
  last.set('value', parsed);
}

/**
 * Copies `source` to a draft named `name` under the same root, with `edits` applied, and returns
 * it loaded. The source's pack tests are not copied: they state the source's numbers, and a draft
 * gets its own before it is published (§1).
 */
export async function createDraft(
  source: string,
  name: string,
  edits: readonly ParamEdit[],
  opts: LoadOptions = {},
): Promise<PolicyPack> {
  const root = opts.root ?? DEFAULT_ROOT;
  const from = await packDir(source, opts);
  if (!PACK_NAME_RE.test(name)) {
    throw invalid(
      'policy.bad_pack_name',
      'name',
      `政策包名无效：${name}（只能含小写字母、数字、-、_）`,
      `not a pack name: ${name} (lower-case letters, digits, - and _)`,
    );
  }
  const exists = await packDir(name, opts).then(
    () => true,
    () => false,
  );
  if (exists) {
    throw conflict('policy.pack_exists', 'name', `政策包 ${name} 已存在`, `pack ${name} exists`);
  }
  for (const e of edits) {
    if (!FILES.has(e.file)) {
      throw invalid(
        'policy.edit_not_found',
        '--set',
        `政策包里没有文件 ${e.file}`,
        `a pack has no file ${e.file}`,
      );
    }
  }
  const tmpRoot = await mkdtemp(join(root, '.draft-'));
  try {
    const dir = join(tmpRoot, name);
    await cp(from, dir, {
      recursive: true,
      filter: (src) => !src.startsWith(join(from, 'tests')),
    });
    await editFile(dir, PACK_FILES.pack, (doc) => {
      doc.set('name', name);
      doc.set('draft', true);
      doc.set('based_on', source);
    });
    for (const e of edits) await editFile(dir, e.file, (doc) => applyEdit(doc, e));
    await loadPack(name, { root: tmpRoot });
    await rename(dir, join(root, name));
  } finally {
    await rm(tmpRoot, { recursive: true, force: true });
  }
  return loadPack(name, opts);
}

async function editFile(dir: string, file: string, change: (doc: Document) => void): Promise<void> {
  const path = join(dir, file);
  const doc = parseDocument(await readFile(path, 'utf8'));
  change(doc);
  await writeFile(path, doc.toString({ lineWidth: 0 }));
}

/** What publishing changed: the pack, and the one it replaces from the effective date. */
export interface Published {
  pack: PolicyPack;
  replaced: { name: string; validTo: IsoDate } | null;
}

/**
 * Publishes a draft from `effective`: the draft is no longer one and is valid from that date; the
 * published pack of the same region that held that date ends the day before. A draft without
 * pack tests cannot be published (a pack is tested like code); the caller runs them.
 */
export async function publishDraft(
  name: string,
  effective: IsoDate,
  opts: LoadOptions = {},
): Promise<Published> {
  const root = opts.root ?? DEFAULT_ROOT;
  const draft = await loadPack(name, opts);
  if (!draft.draft) {
    throw conflict('policy.not_draft', 'pack', `${name} 不是草案`, `${name} is not a draft`);
  }
  const published = await Promise.all((await listPacks(opts)).map((s) => loadPack(s.name, opts)));
  let previous: PolicyPack | null = null;
  try {
    previous = choosePack(published, draft.region, effective);
  } catch {
    previous = null; // nothing holds the date: the draft opens the region's history
  }
  if (previous && previous.validity.from >= effective) {
    throw conflict(
      'policy.effective_too_early',
      'from',
      `生效日期 ${effective} 不晚于 ${previous.name} 的起始日期 ${previous.validity.from}`,
      `the effective date ${effective} is not after ${previous.name} starts (${previous.validity.from})`,
    );
  }
  const later = published.find(
    (p) => p.region === draft.region && p.validity.from > effective && p !== previous,
  );
  if (later) {
    throw conflict(
      'policy.effective_overlaps',
      'from',
      `${later.name} 自 ${later.validity.from} 起生效，草案不能在它之前无期限生效`,
      `${later.name} starts on ${later.validity.from}; the draft cannot take effect open-ended before it`,
    );
  }
  const tmpRoot = await mkdtemp(join(root, '.publish-'));
  const validTo = addDays(effective, -1);
  try {
    // Both packs are edited in a copy and loaded together before either replaces the real one.
    const names = previous ? [name, previous.name] : [name];
    for (const n of names) await cp(join(root, n), join(tmpRoot, n), { recursive: true });
    await editFile(join(tmpRoot, name), PACK_FILES.pack, (doc) => {
      doc.delete('draft');
      doc.delete('based_on');
      doc.set('valid_from', effective);
      doc.delete('valid_to');
    });
    if (previous) {
      await editFile(join(tmpRoot, previous.name), PACK_FILES.pack, (doc) =>
        doc.set('valid_to', validTo),
      );
    }
    for (const n of names) await loadPack(n, { root: tmpRoot });
    for (const n of names) {
      await rm(join(root, n), { recursive: true, force: true });
      await rename(join(tmpRoot, n), join(root, n));
    }
  } finally {
    await rm(tmpRoot, { recursive: true, force: true });
  }
  return {
    pack: await loadPack(name, opts),
    replaced: previous ? { name: previous.name, validTo } : null,
  };
}
