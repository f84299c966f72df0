/**
 * The national catalogue's classes of a fee line — 甲类 A, 乙类 B, 丙类 C (out of catalogue) — and
 * the share a class B line pays first when it carries no ratio of its own (docs/settlement.md §2).
 * The catalogue classes its items with them and the settlement calculator splits bills by them.
 */
import type { Bp } from './ratio.ts';

export const LINE_CLASSES = ['A', 'B', 'C'] as const;
/** 甲类 A, 乙类 B, 丙类 C (out of catalogue). */
export type LineClass = (typeof LINE_CLASSES)[number];

/** Class B lines pay this share first when the line carries no ratio of its own. */
export const DEFAULT_SELF_PAY_RATIO: Bp = 1_000;
