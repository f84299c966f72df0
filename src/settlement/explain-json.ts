/**
 * The JSON text of explanations: the document stored with each settlement (fen, as the
 * calculator gives it, without the sentences: storedExplainJson) and the API's answer (yuan,
 * `explainJson`). Both have the same keys in the same order; only the numbers and the ratios'
 * keys differ, which this does not look into.
 *
 * Most of an explanation's bytes are the pack rules behind its numbers (provenance), and those
 * lists are shared: the settle service resolves a bill's parameters once per pack and bill
 * context and keeps them deep-frozen (ResolvedCache), so the tiers of thousands of settlements
 * point at the same few arrays. The text of a frozen list is made once and kept with it (a
 * WeakMap: it goes when the list goes); a list that is not frozen may still change, so it is
 * serialised every time. An inpatient bill's explanation is several kilobytes, most of it these
 * shared lists, so writing their text once roughly halves the cost of writing the answer.
 *
 * The output is exactly JSON.stringify's (tests compare the strings).
 */
import type { Provenance } from '../policy/index.ts';
import type { Label } from './labels.ts';

/** What the two forms of a tier's explanation share (TierExplanation and the answer's). */
export interface ExplainShape {
  readonly tier: string;
  readonly counts: boolean;
  readonly entitled: boolean;
  readonly base: number;
  readonly cumulativeBefore: number | null;
  readonly deductibleScope: string;
  readonly deductible: number | null;
  readonly deductibleLeft: number | null;
  readonly deductibleApplied: number;
  readonly ratios: readonly object[];
  readonly caps: readonly {
    readonly group: string;
    readonly cap: number | null;
    readonly roomBefore: number | null;
    readonly provenance: readonly Provenance[];
  }[];
  readonly amount: number;
  readonly capped: boolean;
  readonly programme: string | null;
  readonly provenance: {
    readonly deductible: readonly Provenance[];
    readonly ratio: readonly Provenance[];
  };
  readonly text: Label;
}

const kept = new WeakMap<readonly Provenance[], string>();

/** A provenance list's JSON, kept for a frozen list. */
function rulesJson(list: readonly Provenance[]): string {
  if (!Object.isFrozen(list)) return JSON.stringify(list);
  let text = kept.get(list);
  if (text === undefined) {
    text = JSON.stringify(list);
    kept.set(list, text);
  }
  return text;
}

/** A number as JSON.stringify writes it (a non-finite one is null). */
const num = (n: number | null): string => (n !== null && Number.isFinite(n) ? String(n) : 'null');
const str = (s: string | null): string => (s === null ? 'null' : JSON.stringify(s));

function tierJson(e: ExplainShape, withText: boolean): string {
  const caps = e.caps
    .map(
      (c) =>
        `{"group":${str(c.group)},"cap":${num(c.cap)},"roomBefore":${num(c.roomBefore)},` +
        `"provenance":${rulesJson(c.provenance)}}`,
    )
    .join(',');
  return (
    `{"tier":${str(e.tier)},"counts":${e.counts},"entitled":${e.entitled},"base":${num(e.base)},` +
    `"cumulativeBefore":${num(e.cumulativeBefore)},"deductibleScope":${str(e.deductibleScope)},` +
    `"deductible":${num(e.deductible)},"deductibleLeft":${num(e.deductibleLeft)},` +
    `"deductibleApplied":${num(e.deductibleApplied)},"ratios":${JSON.stringify(e.ratios)},` +
    `"caps":[${caps}],"amount":${num(e.amount)},"capped":${e.capped},` +
    `"programme":${str(e.programme)},"provenance":{"deductible":${rulesJson(e.provenance.deductible)},` +
    `"ratio":${rulesJson(e.provenance.ratio)}}` +
    (withText ? `,"text":${JSON.stringify(e.text)}}` : '}')
  );
}

/** `JSON.stringify(list)` for a settlement's explanation, in either form. */
export function explainListJson(list: readonly ExplainShape[]): string {
  return `[${list.map((e) => tierJson(e, true)).join(',')}]`;
}

/**
 * The explanation as a settlement stores it: every fact and the rules behind it, without the
 * sentences. Those are written from the facts (explain-text.ts) whenever the settlement is read,
 * so storing them kept a second copy of what the facts say — and, in Chinese, made the whole
 * document a two-byte string to build, encode and send. `JSON.stringify` of the facts.
 */
export function storedExplainJson(list: readonly ExplainShape[]): string {
  return `[${list.map((e) => tierJson(e, false)).join(',')}]`;
}
