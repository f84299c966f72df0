/**
 * The data-scope predicate every people-reading query includes. Region codes are hierarchical
 * prefixes (county 370899, township 370899001, village 370899001001), so a region scope is a
 * prefix match on the person's village code.
 */
import type { DataScope } from './actor.ts';

export interface SqlFragment {
  sql: string;
  params: unknown[];
}

/**
 * A boolean SQL expression restricting `alias` (a `person` row) to the scope. `firstParam` is the
 * number of the first `$n` placeholder it may use, so callers can append it to their own params.
 */
export function personScopeSql(scope: DataScope, alias: string, firstParam: number): SqlFragment {
  switch (scope.kind) {
    case 'system':
      return { sql: 'TRUE', params: [] };
    case 'region':
      return { sql: `${alias}.region_code LIKE $${firstParam} || '%'`, params: [scope.regionCode] };
    case 'institution':
      return {
        sql: `EXISTS (SELECT 1 FROM institution_patient ip WHERE ip.certno = ${alias}.certno AND ip.fixmedins_code = $${firstParam})`,
        params: [scope.fixmedinsCode],
      };
    // A department sees the people it flagged, within its own region: a county's civil affairs
    // bureau does not see those another county's bureau flagged in a city-wide deployment.
    case 'department':
      return {
        sql:
          `(${alias}.region_code LIKE $${firstParam + 1} || '%' AND EXISTS (SELECT 1 FROM person_flag f` +
          ` WHERE f.certno = ${alias}.certno AND f.source = $${firstParam}))`,
        params: [scope.department, scope.regionCode],
      };
    default: {
      const never: never = scope;
      throw new Error(`unknown scope ${JSON.stringify(never)}`);
    }
  }
}
