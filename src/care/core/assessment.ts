/**
 * The year-end assessment of an institution and of each of its teams (docs/care.md §5): records
 * made on time, what the bureau's spot checks found, corrections closed. Pure.
 */

export interface AssessmentCounts {
  /** Contract-months in the year: one per contracted person and month the contract held. */
  dueMonths: number;
  /** Of those, months with a record dated in the month. */
  onTime: number;
  spotChecks: number;
  /** Spot checks that found a missing or inaccurate record. */
  findings: number;
  corrections: number;
  correctionsClosed: number;
}

export interface Assessment extends AssessmentCounts {
  /** Basis points, half up. */
  onTimeBp: number;
  accurateBp: number;
  closedBp: number;
  /** The weighted score (basis points) the contract fee is paid on. */
  scoreBp: number;
}

const bp = (n: number, d: number) => (d === 0 ? 10_000 : Math.floor((n * 20_000 + d) / (2 * d)));

/**
 * Weights: on-time records 60 %, accurate spot checks 20 %, corrections closed 20 % (docs/care.md
 * §5). Nothing checked counts as accurate, nothing to correct as closed.
 */
export function assess(c: AssessmentCounts): Assessment {
  const onTimeBp = bp(c.onTime, c.dueMonths);
  const accurateBp = bp(c.spotChecks - c.findings, c.spotChecks);
  const closedBp = bp(c.correctionsClosed, c.corrections);
  const scoreBp = Math.floor((onTimeBp * 6 + accurateBp * 2 + closedBp * 2 + 5) / 10);
  return { ...c, onTimeBp, accurateBp, closedBp, scoreBp };
}
