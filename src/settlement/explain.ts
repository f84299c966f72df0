/**
 * What a settlement says about each tier, for the one bill (一单式结算单) and the trial: the base,
 * the deductible, the ratio(s), the cap(s) and room left, the amount, the pack rules that gave each
 * number, and one plain sentence in Chinese and in English.
 */
import type { Fen } from '../kernel/money.ts';
import type { Bp } from '../kernel/ratio.ts';
import type { Provenance, Tier } from '../policy/index.ts';
import { describe, type VisitInfo } from './explain-text.ts';
import type { Label } from './labels.ts';

/** One ratio applied to part of the base. Basic and backstop have one, with no bounds. */
export interface ExplainRatio {
  /** Bracket bounds measured above the annual deductible (cumulative tiers only). */
  from: Fen | null;
  to: Fen | null;
  ratio: Bp;
  /** The part of this bill's base the ratio was applied to. */
  base: Fen;
}

export interface ExplainCap {
  /** Basic: the cap group; cumulative tiers: the tier; backstop: its cap group. */
  group: string;
  /** null = no cap. */
  cap: Fen | null;
  /** Room left before this bill; null = no cap. */
  roomBefore: Fen | null;
  provenance: Provenance[];
}

export type DeductibleScope = 'admission' | 'annual' | 'cumulative' | 'none';

/** The numbers of one tier on one bill, as the tier functions compute them. */
export interface TierFacts {
  tier: Tier;
  /** Did this bill add to the tier's year-to-date base? */
  counts: boolean;
  /** Did the person's parameters entitle them to the tier on this bill? */
  entitled: boolean;
  /** The base of this bill for the tier (basic: in scope; later tiers: what is left). */
  base: Fen;
  /** The tier's year-to-date base before this bill (cumulative tiers), else null. */
  cumulativeBefore: Fen | null;
  deductibleScope: DeductibleScope;
  /** The deductible parameter (起付线), null when the tier has none. */
  deductible: Fen | null;
  /** What of the deductible was still unmet before this bill. */
  deductibleLeft: Fen | null;
  /** The part of this bill's base that fell under the deductible (basic: act_pay_dedc). */
  deductibleApplied: Fen;
  ratios: readonly ExplainRatio[];
  caps: readonly ExplainCap[];
  /** What the tier pays on this bill. */
  amount: Fen;
  /** True when a cap (the smallest room left) cut the amount. */
  capped: boolean;
  /** Backstop: the programme whose budget pays it. */
  programme: string | null;
  provenance: { readonly deductible: readonly Provenance[]; readonly ratio: readonly Provenance[] };
}

const NONE = Object.freeze([]) as readonly never[];
const NO_PROVENANCE = Object.freeze({ deductible: NONE, ratio: NONE });

/**
 * The facts of a tier that pays nothing on this bill for want of parameters (not counted, not
 * entitled). Its empty lists are shared and frozen: most bills have two or three such tiers, and
 * allocating their empties is a measurable share of the calculation.
 */
export function unpaid(
  tier: Tier,
  counts: boolean,
  base: Fen,
  cumulativeBefore: Fen | null,
): TierFacts {
  return {
    tier,
    counts,
    entitled: false,
    base,
    cumulativeBefore,
    deductibleScope: 'none',
    deductible: null,
    deductibleLeft: null,
    deductibleApplied: 0,
    ratios: NONE,
    caps: NONE,
    amount: 0,
    capped: false,
    programme: null,
    provenance: NO_PROVENANCE,
  };
}

/** A tier's facts and the sentence that tells them. */
export interface ExplainTier extends TierFacts {
  readonly text: Label;
}

/**
 * The sentences cost more than the whole calculation (formatting a dozen amounts in two
 * languages), and the settle service needs them only when a one bill is printed or a trial
 * answered, so they are written on first read and kept. `toJSON` includes them, so a stored or
 * sent explanation is complete. A class, not an object literal with a getter: V8 builds those
 * on a slow path, 40× the cost of this constructor.
 */
export class TierExplanation implements ExplainTier {
  readonly tier: Tier;
  readonly counts: boolean;
  readonly entitled: boolean;
  readonly base: Fen;
  readonly cumulativeBefore: Fen | null;
  readonly deductibleScope: DeductibleScope;
  readonly deductible: Fen | null;
  readonly deductibleLeft: Fen | null;
  readonly deductibleApplied: Fen;
  readonly ratios: readonly ExplainRatio[];
  readonly caps: readonly ExplainCap[];
  readonly amount: Fen;
  readonly capped: boolean;
  readonly programme: string | null;
  readonly provenance: TierFacts['provenance'];
  readonly #visit: VisitInfo;
  #text: Label | undefined;

  constructor(f: TierFacts, visit: VisitInfo) {
    this.tier = f.tier;
    this.counts = f.counts;
    this.entitled = f.entitled;
    this.base = f.base;
    this.cumulativeBefore = f.cumulativeBefore;
    this.deductibleScope = f.deductibleScope;
    this.deductible = f.deductible;
    this.deductibleLeft = f.deductibleLeft;
    this.deductibleApplied = f.deductibleApplied;
    this.ratios = f.ratios;
    this.caps = f.caps;
    this.amount = f.amount;
    this.capped = f.capped;
    this.programme = f.programme;
    this.provenance = f.provenance;
    this.#visit = visit;
  }

  get text(): Label {
    return (this.#text ??= describe(this, this.#visit));
  }

  toJSON(): TierFacts & { text: Label } {
    return {
      tier: this.tier,
      counts: this.counts,
      entitled: this.entitled,
      base: this.base,
      cumulativeBefore: this.cumulativeBefore,
      deductibleScope: this.deductibleScope,
      deductible: this.deductible,
      deductibleLeft: this.deductibleLeft,
      deductibleApplied: this.deductibleApplied,
      ratios: this.ratios,
      caps: this.caps,
      amount: this.amount,
      capped: this.capped,
      programme: this.programme,
      provenance: this.provenance,
      text: this.text,
    };
  }
}
