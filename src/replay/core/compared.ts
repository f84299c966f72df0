/**
 * The amounts a replay compares, actual beside draft, under the national field names
 * (docs/replay.md §3). Pure and import-free: the web app reads it too.
 */
export const COMPARED = [
  'hifp_pay',
  'hifmi_pay',
  'maf_pay',
  'reassist_pay',
  'backstop_pay',
  'fund_pay_sumamt',
  'psn_part_amt',
  'hosp_part_amt',
] as const;
export type Compared = (typeof COMPARED)[number];
/** Fen. */
export type Amounts = Record<Compared, number>;

/** The five tiers of the safety net among them, in the order of the one bill. */
export const TIER_AMOUNTS = COMPARED.slice(0, 5);
