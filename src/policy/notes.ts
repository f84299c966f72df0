/**
 * Short notes on how a rule changed a number, in the words the one bill uses
 * (e.g. "低保对象起付线减半 / deductible halved for subsistence").
 */
import { formatPercent, type Bp } from '../kernel/ratio.ts';
import { CATEGORY_LABELS, type Category, type Remote } from './types.ts';
import type { Label } from './model.ts';

const who = (held: readonly Category[]): Label => ({
  zh: held.map((c) => CATEGORY_LABELS[c].zh).join('、'),
  en: held.join(', '),
});

const points = (bp: Bp) => Number((bp / 100).toFixed(2));

export function deductibleFactorNote(held: readonly Category[], factor: Bp): Label {
  const w = who(held);
  return factor === 5_000
    ? { zh: `${w.zh}起付线减半`, en: `deductible halved for ${w.en}` }
    : {
        zh: `${w.zh}起付线按 ${formatPercent(factor)}`,
        en: `deductible at ${formatPercent(factor)} for ${w.en}`,
      };
}

export const ratioAddNote = (held: readonly Category[], add: Bp): Label => {
  const w = who(held);
  return {
    zh: `${w.zh}比例提高 ${points(add)} 个百分点`,
    en: `+${points(add)} points for ${w.en}`,
  };
};

export const bracketsAddNote = (held: readonly Category[], add: Bp): Label => {
  const w = who(held);
  return {
    zh: `${w.zh}各段提高 ${points(add)} 个百分点`,
    en: `each bracket +${points(add)} points for ${w.en}`,
  };
};

/** A value a category group sets for its holders. */
export const groupNote = (held: readonly Category[]): Label => {
  const w = who(held);
  return { zh: `${w.zh}适用`, en: `for ${w.en}` };
};

export const remoteCutNote = (remote: Exclude<Remote, null>, cut: Bp): Label =>
  remote === 'filed'
    ? {
        zh: `异地就医已备案降低 ${points(cut)} 个百分点`,
        en: `remote, filed: −${points(cut)} points`,
      }
    : {
        zh: `异地就医未备案降低 ${points(cut)} 个百分点`,
        en: `remote, not filed: −${points(cut)} points`,
      };

export const remoteExemptNote = (held: readonly Category[]): Label => {
  const w = who(held);
  return { zh: `${w.zh}异地就医不降比例`, en: `no remote cut for ${w.en}` };
};

export const SEVERE_MENTAL_NOTE: Label = { zh: '严重精神障碍诊断', en: 'severe mental diagnosis' };

/** A special disease of the catalogue is paid like a stay; undefined for any other disease. */
export const specialDiseaseNote = (
  d: { code: string; kind: string; name: Label } | null,
): Label | undefined =>
  d?.kind === 'special'
    ? { zh: `特殊病 ${d.code} ${d.name.zh}`, en: `special disease ${d.code} (${d.name.en})` }
    : undefined;

export const capRemovedNote = (held: readonly Category[]): Label => {
  const w = who(held);
  return { zh: `${w.zh}不设限额`, en: `no cap for ${w.en}` };
};
