/**
 * Similar names (相似姓名) by trigram, matched among the distinct names (`person_name`) rather than
 * among people, so the cost follows the number of names, not the size of the county.
 */
import type { Queryable } from '../../db/db.ts';

/** How many similar names a search follows, after the exact one. */
export const SIMILAR_NAMES = 20;

/**
 * pg_trgm's similarity threshold, set for the transaction. A two-character name has three
 * trigrams; one shared trigram (often just the surname) can never reach a similarity of 0.3, so
 * asking for just over a third makes the GIN index require two and read far fewer entries.
 */
const thresholdFor = (name: string) => ([...name].length === 2 ? 0.34 : 0.3);

/** The name itself, then up to `limit` similar names, most similar first. Run in a transaction. */
export async function withSimilarNames(
  tx: Queryable,
  name: string,
  limit = SIMILAR_NAMES,
): Promise<string[]> {
  if ([...name].length < 2) return [name];
  await tx.query(`SELECT set_config('pg_trgm.similarity_threshold', $1, true)`, [
    String(thresholdFor(name)),
  ]);
  const r = await tx.query<{ name: string }>(
    `SELECT name FROM person_name WHERE name % $1 AND name <> $1
     ORDER BY similarity(name, $1) DESC, name LIMIT $2`,
    [name, limit],
  );
  return [name, ...r.rows.map((x) => x.name)];
}
