import type { Queryable } from './db.ts';

/** Multi-row INSERTs in chunks that stay under PostgreSQL's 65,535 bind parameters. */
export async function insertRows(
  q: Queryable,
  table: string,
  columns: readonly string[],
  rows: Iterable<readonly unknown[]>,
): Promise<number> {
  const perChunk = Math.max(1, Math.floor(60_000 / columns.length));
  const head = `INSERT INTO ${table} (${columns.join(', ')}) VALUES `;
  let chunk: unknown[] = [];
  let n = 0;
  let count = 0;
  const flush = async () => {
    if (n === 0) return;
    const tuples: string[] = [];
    for (let r = 0; r < n; r++) {
      const base = r * columns.length;
      tuples.push(`(${columns.map((_, c) => `$${base + c + 1}`).join(', ')})`);
    }
    await q.query(head + tuples.join(', '), chunk);
    count += n;
    chunk = [];
    n = 0;
  };
  for (const row of rows) {
    chunk.push(...row);
    n++;
    if (n === perChunk) await flush();
  }
  await flush();
  return count;
}
