/**
 * The capitation package's results over several years (docs/payment.md §4): per year and centre,
 * the package, its two parts, what the residents' own and referral bills took, and the outcome —
 * read from each year's approved clearing, the only figures the bureau has signed. A year without
 * an approved clearing is listed as not cleared, never estimated.
 */
import type { Step } from './steps.ts';

export type CapitationOutcome =
  'surplus_retained' | 'surplus_returned' | 'overspend_borne' | 'overspend_topped_up';

export interface CapitationYear {
  year: number;
  institution: string;
  /** null: the year has no approved clearing yet. */
  cleared: {
    package: number;
    centrePart: number;
    referralReserve: number;
    centreItems: number;
    referrals: number;
    outcome: CapitationOutcome;
    /** + surplus, − overspend (fen). */
    balance: number;
    owed: number;
  } | null;
}

export interface ClearedYear {
  year: number;
  status: 'draft' | 'approved' | 'superseded';
  institutions: { institution: string; steps: Step[] }[];
}

const OUTCOMES: readonly CapitationOutcome[] = [
  'surplus_retained',
  'surplus_returned',
  'overspend_borne',
  'overspend_topped_up',
];

/** The package lines of one institution's clearing steps, or null when it had no package. */
export function packageOf(steps: readonly Step[]): CapitationYear['cleared'] {
  const at = (code: string) => steps.find((s) => s.code === code);
  const pkg = at('package');
  const outcome = steps.find((s) => (OUTCOMES as readonly string[]).includes(s.code));
  if (!pkg || !outcome) return null;
  return {
    package: pkg.amount,
    centrePart: at('centre_part')?.amount ?? 0,
    referralReserve: at('referral_reserve')?.amount ?? 0,
    // The clearing writes what the bills took as negative steps; the report shows them as spent.
    centreItems: -(at('centre_items')?.amount ?? 0),
    referrals: -(at('referrals')?.amount ?? 0),
    outcome: outcome.code as CapitationOutcome,
    balance: outcome.amount,
    owed: at('owed')?.amount ?? 0,
  };
}

/**
 * Every year from `from` to `to` for each centre that held a package in any approved clearing of
 * the span; a year whose clearing is missing, drafted or reopened is `cleared: null`.
 */
export function capitationYears(
  clearings: readonly ClearedYear[],
  from: number,
  to: number,
): CapitationYear[] {
  const approved = new Map<number, ClearedYear>();
  for (const c of clearings) if (c.status === 'approved') approved.set(c.year, c);
  const byKey = new Map<string, CapitationYear['cleared']>();
  for (const c of approved.values()) {
    for (const i of c.institutions) {
      const cleared = packageOf(i.steps);
      if (cleared) byKey.set(`${c.year}:${i.institution}`, cleared);
    }
  }
  const centres = [...new Set([...byKey.keys()].map((k) => k.slice(k.indexOf(':') + 1)))].sort();
  const rows: CapitationYear[] = [];
  for (const institution of centres) {
    for (let year = from; year <= to; year++) {
      rows.push({ year, institution, cleared: byKey.get(`${year}:${institution}`) ?? null });
    }
  }
  return rows;
}
