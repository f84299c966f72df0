/**
 * Who sees which warning. Everyone sees the warnings of the people in their data scope
 * (kernel/access/scope.ts). A department (civil affairs, rural revitalisation) sees, besides the people it
 * flagged, every warning pushed to it within its region: pushing is exactly the sharing of that
 * warning with the department, which has to confirm or dismiss people it may not have flagged
 * (anyone can cross the total-burden line).
 */
import { personScopeSql, type SqlFragment } from '../../kernel/access/scope.ts';
import type { DataScope } from '../../kernel/access/actor.ts';

export function warningScopeSql(
  scope: DataScope,
  person: string,
  warning: string,
  firstParam: number,
): SqlFragment {
  const s = personScopeSql(scope, person, firstParam);
  if (scope.kind !== 'department') return s;
  const n = firstParam + s.params.length;
  return {
    sql: `(${s.sql} OR (${warning}.pushed_at IS NOT NULL AND ${person}.region_code LIKE $${n} || '%'))`,
    params: [...s.params, scope.regionCode],
  };
}
