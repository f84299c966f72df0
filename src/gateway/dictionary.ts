/**
 * The national platform's codes as data (table `gateway_dict`): the fund each tier pays from
 * (fund_pay_type), the identity types 1101 answers (psn_idet_type) and the accumulator codes of
 * 5206 (cum_type_code). Read once per database and kept: a county changes a code with SQL and a
 * restart, never with a release.
 */
import type { Queryable } from '../db/db.ts';
import type { Category, Tier } from '../policy/index.ts';

export interface Code {
  code: string;
  name: string;
}

export interface Dictionary {
  fund: Map<Tier, Code>;
  idet: Map<Category, Code>;
  /** In code order; `value` says what the code reads: `tier.base`, `tier.paid`, `deductible`… */
  cum: { code: string; name: string; value: string }[];
}

const cache = new WeakMap<object, Promise<Dictionary>>();

export function dictionary(db: Queryable): Promise<Dictionary> {
  let d = cache.get(db);
  if (!d) {
    d = readDictionary(db);
    cache.set(db, d);
    d.catch(() => cache.delete(db));
  }
  return d;
}

async function readDictionary(q: Queryable): Promise<Dictionary> {
  const r = await q.query<{ dict_type: string; code: string; name: string; value: string }>(
    'SELECT dict_type, code, name, value FROM gateway_dict ORDER BY dict_type, code',
  );
  const out: Dictionary = { fund: new Map(), idet: new Map(), cum: [] };
  for (const row of r.rows) {
    const c = { code: row.code, name: row.name };
    if (row.dict_type === 'fund_pay_type') out.fund.set(row.value as Tier, c);
    else if (row.dict_type === 'psn_idet_type') out.idet.set(row.value as Category, c);
    else if (row.dict_type === 'cum_type_code') out.cum.push({ ...c, value: row.value });
  }
  return out;
}
