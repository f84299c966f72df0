/**
 * Reading the audit trail for auditors: the audit log's entries and the settlements, which are
 * their own entries (src/settlement/persist/audit-chain.ts), filtered by entity, person and time,
 * limited to the people in the reader's data scope (entries about nobody in particular are visible
 * bureau-wide), newest first, paged by seq — one sequence numbers both, a settlement's id is its
 * seq. Payloads are masked for readers without the sensitive permissions.
 */
import type { Queryable } from '../db/db.ts';
import { AUDIT_SELECT, toRecord, type AuditEntryRecord, type AuditRow } from './log.ts';
import type { AuditTrails } from './trails.ts';
import {
  certnoFor,
  isPsychiatricDiagnosis,
  isSensitiveCategory,
  MASKED,
  mayReadSensitive,
} from '../kernel/access/masking.ts';
import { personScopeSql } from '../kernel/access/scope.ts';
import type { Actor } from '../kernel/access/actor.ts';

export interface AuditFilter {
  entity?: string | undefined;
  /** The person's normalised ID number. */
  certno?: string | undefined;
  /** ISO timestamps: from inclusive, to exclusive. */
  from?: string | undefined;
  to?: string | undefined;
  /** Entries older than this seq (the `next` of the previous page). */
  before?: number | undefined;
  limit: number;
}

export interface AuditEntryView {
  seq: number;
  at: string;
  actor: { id: string; name: string; roles: string[]; origin: string | null };
  action: string;
  entity: string;
  entityId: string;
  certno: string | null;
  before: unknown;
  after: unknown;
  reason: string | null;
  hash: string;
}

/** An 18-digit ID number anywhere in a string (entity ids like `<certno>/3`, free text). */
const CERTNO = /(?<![\dX])\d{17}[\dX](?![\dX])/g;

const maskText = (actor: Actor, s: string): string =>
  s.replace(CERTNO, (id) => certnoFor(actor, id));

/** Masks ID numbers and sensitive categories or diagnoses anywhere in a payload. */
function maskValue(actor: Actor, v: unknown): unknown {
  if (typeof v === 'string') {
    if (!mayReadSensitive(actor) && (isSensitiveCategory(v) || isPsychiatricDiagnosis(v))) {
      return MASKED;
    }
    return maskText(actor, v);
  }
  if (Array.isArray(v)) return v.map((x) => maskValue(actor, x));
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, maskValue(actor, x)]));
  }
  return v;
}

const parse = (json: string | null): unknown =>
  json === null ? null : (JSON.parse(json) as unknown);

export function toEntryView(actor: Actor, r: AuditEntryRecord): AuditEntryView {
  return {
    seq: r.seq,
    at: r.at,
    actor: { id: r.actorId, name: r.actorName, roles: r.actorRoles, origin: r.origin },
    action: r.action,
    entity: r.entity,
    entityId: String(maskValue(actor, r.entityId)),
    certno: r.certno === null ? null : certnoFor(actor, r.certno),
    before: maskValue(actor, parse(r.before)),
    after: maskValue(actor, parse(r.after)),
    reason: r.reason === null ? null : maskText(actor, r.reason),
    hash: r.hash,
  };
}

export async function queryAudit(
  q: Queryable,
  trails: AuditTrails,
  actor: Actor,
  f: AuditFilter,
): Promise<{ entries: AuditEntryView[]; next: number | null }> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: (n: number) => string, value: unknown) => {
    params.push(value);
    where.push(sql(params.length));
  };
  if (f.entity !== undefined) add((n) => `entity = $${n}`, f.entity);
  if (f.certno !== undefined) add((n) => `certno = $${n}`, f.certno);
  if (f.from !== undefined) add((n) => `at >= $${n}::timestamptz`, f.from);
  if (f.to !== undefined) add((n) => `at < $${n}::timestamptz`, f.to);
  if (f.before !== undefined) add((n) => `seq < $${n}`, f.before);
  const scope = personScopeSql(actor.scope, 'p', params.length + 1);
  params.push(...scope.params);
  where.push(
    `(audit_log.certno IS NULL OR EXISTS (SELECT 1 FROM person p WHERE p.certno = audit_log.certno AND ${scope.sql}))`,
  );
  params.push(f.limit + 1);
  const logged = await q.query<AuditRow>(
    `${AUDIT_SELECT} WHERE ${where.join(' AND ')} ORDER BY seq DESC LIMIT $${params.length}`,
    params,
  );
  const settled =
    f.entity === undefined || f.entity === 'settlement'
      ? await trails.settlements.entries(q, {
          certno: f.certno,
          from: f.from,
          to: f.to,
          before: f.before,
          scope: actor.scope,
          limit: f.limit + 1,
        })
      : [];
  // Each source's newest limit+1, merged: the page is the newest `limit` of both.
  const merged: AuditEntryRecord[] = [...logged.rows.map(toRecord), ...settled].sort(
    (a, b) => b.seq - a.seq,
  );
  const rows = merged.slice(0, f.limit);
  return {
    entries: rows.map((row) => toEntryView(actor, row)),
    next: merged.length > f.limit ? rows[rows.length - 1]!.seq : null,
  };
}
