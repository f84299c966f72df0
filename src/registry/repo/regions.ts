/** Regions and households as the registry uses them: where a person may be placed. */
import type { DataScope } from '../../kernel/access/actor.ts';
import type { Queryable } from '../../db/db.ts';
import { TriguardError, unprocessable } from '../../kernel/errors.ts';

/** Every village code, for validating a whole import file without a query per row. */
export async function villageCodes(q: Queryable): Promise<Set<string>> {
  const r = await q.query<{ code: string }>(`SELECT code FROM region WHERE level = 'village'`);
  return new Set(r.rows.map((x) => x.code));
}

/** May this scope place people in `code`? Only bureau (region) and system scopes register people. */
export function scopeCovers(scope: DataScope, code: string): boolean {
  switch (scope.kind) {
    case 'system':
      return true;
    case 'region':
      return code.startsWith(scope.regionCode);
    case 'institution':
    case 'department':
      return false;
    default: {
      const never: never = scope;
      throw new TypeError(`unknown scope ${JSON.stringify(never)}`);
    }
  }
}

export const outOfScope = (field: string, code: string) =>
  new TriguardError('forbidden', 'region.out_of_scope', field, {
    zh: `${field} 行政区划 ${code} 不在您的数据范围内`,
    en: `${field}: region ${code} is outside your data scope`,
  });

export const unknownVillage = (field: string, code: string) =>
  unprocessable(
    'region.unknown',
    field,
    `${field} 不是已知的村（居）行政区划代码：${code}`,
    `${field} is not a known village region code: ${code}`,
  );

export async function villageInScope(
  q: Queryable,
  scope: DataScope,
  code: string,
  field: string,
): Promise<void> {
  const r = await q.query(`SELECT 1 FROM region WHERE code = $1 AND level = 'village'`, [code]);
  if (r.rows.length === 0) throw unknownVillage(field, code);
  if (!scopeCovers(scope, code)) throw outOfScope(field, code);
}

/** Creates the household when it is new; an existing one is left as it is. */
export async function ensureHousehold(
  q: Queryable,
  householdId: string,
  regionCode: string,
  headCertno: string,
): Promise<void> {
  await q.query(
    `INSERT INTO household (household_id, region_code, head_certno) VALUES ($1, $2, $3)
     ON CONFLICT (household_id) DO NOTHING`,
    [householdId, regionCode, headCertno],
  );
}
