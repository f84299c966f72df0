/** Every parameter and setting that differs between two packs, old → new (`policy diff`). */
import type { PolicyPack } from './model.ts';
import { renderHistory } from './render.ts';

export interface DiffRow {
  /** `file key`, e.g. `basic.yaml inpatient.ratio.level2`. */
  key: string;
  /** null when the other pack does not have it. */
  old: string | null;
  new: string | null;
}

function flatten(pack: PolicyPack): Map<string, string> {
  const out = new Map<string, string>([
    ['pack.yaml region', pack.region],
    ['pack.yaml scheme', pack.scheme],
    ['pack.yaml valid_from', pack.validity.from],
    ['pack.yaml valid_to', pack.validity.to ?? 'none'],
  ]);
  for (const s of pack.settings) out.set(`${s.file} ${s.key}`, s.text);
  for (const p of pack.params) out.set(`${p.file} ${p.key}`, renderHistory(pack, p));
  return out;
}

export function diffPacks(a: PolicyPack, b: PolicyPack): DiffRow[] {
  const left = flatten(a);
  const right = flatten(b);
  const keys = [...new Set([...left.keys(), ...right.keys()])];
  return keys
    .map((key) => ({ key, old: left.get(key) ?? null, new: right.get(key) ?? null }))
    .filter((r) => r.old !== r.new);
}
