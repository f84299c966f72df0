/** Pieces of SQL that repositories share: placeholders, the caller's data scope, paging, timestamps. */
import { personScopeSql } from '../kernel/access/scope.ts';
import type { DataScope } from '../kernel/access/actor.ts';

/** A timestamp as UTC ISO text with milliseconds, whichever driver reads it. */
export const ts = (col: string) =>
  `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** The scope predicate on the person `p`, its placeholders numbered after `params`. */
export function scoped(scope: DataScope, params: unknown[], alias = 'p'): string {
  const s = personScopeSql(scope, alias, params.length + 1);
  params.push(...s.params);
  return s.sql;
}

/** Pushes a parameter and answers its placeholder. */
export function param(params: unknown[], value: unknown): string {
  params.push(value);
  return `$${params.length}`;
}

export interface Page {
  page: number;
  pageSize: number;
}

export const limitOffset = (params: unknown[], page: Page) =>
  `LIMIT ${param(params, page.pageSize)} OFFSET ${param(params, (page.page - 1) * page.pageSize)}`;
