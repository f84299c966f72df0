/** Column-mapping templates per department, saved for reuse by the next upload. */
import type { Actor } from '../../kernel/access/actor.ts';
import type { Queryable } from '../../db/db.ts';
import { notFound } from '../../kernel/errors.ts';
import type { ColumnMapping } from '../import/columns.ts';
import type { ListKind } from '../model.ts';

export interface Template {
  department: string;
  name: string;
  listKind: ListKind;
  mapping: ColumnMapping;
  updatedAt: string;
  updatedBy: string;
}

const COLS = `department, name, list_kind AS "listKind", mapping, updated_at::text AS "updatedAt",
  updated_by AS "updatedBy"`;

export async function saveTemplate(
  q: Queryable,
  actor: Actor,
  t: { department: string; name: string; listKind: ListKind; mapping: ColumnMapping },
): Promise<Template> {
  const r = await q.query<Template>(
    `INSERT INTO reconcile_template (department, name, list_kind, mapping, updated_by)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (department, name) DO UPDATE SET list_kind = EXCLUDED.list_kind,
       mapping = EXCLUDED.mapping, updated_at = now(), updated_by = EXCLUDED.updated_by
     RETURNING ${COLS}`,
    [t.department, t.name, t.listKind, JSON.stringify(t.mapping), actor.id],
  );
  return r.rows[0]!;
}

export async function listTemplates(q: Queryable, department?: string): Promise<Template[]> {
  const r = await q.query<Template>(
    `SELECT ${COLS} FROM reconcile_template WHERE $1::text IS NULL OR department = $1
     ORDER BY department, name`,
    [department ?? null],
  );
  return r.rows;
}

export async function getTemplate(
  q: Queryable,
  department: string,
  name: string,
): Promise<Template> {
  const r = await q.query<Template>(
    `SELECT ${COLS} FROM reconcile_template WHERE department = $1 AND name = $2`,
    [department, name],
  );
  const t = r.rows[0];
  if (!t) {
    throw notFound(
      'reconcile.template_not_found',
      'template',
      `${department} 没有名为 ${name} 的列映射模板`,
      `${department} has no column-mapping template ${name}`,
    );
  }
  return t;
}
