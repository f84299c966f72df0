/**
 * The registry's rows against the audit log (docs/audit.md). Every change the application makes
 * to a person, flag or enrolment row is audited with the row as it became: one entry per row
 * (`after`, the row's record), or, for bulk writes (imports, the demo county), one entry per batch
 * whose `rowSeals` lists a seal of each row written. `audit verify` reads the last such entry of
 * every row and compares it with the row as it is now: a row edited, added or deleted behind the
 * application's back is reported with the row it concerns.
 */
import { hash } from 'node:crypto';
import type { Queryable } from '../db/db.ts';
import { enrolmentFromJson, flagFromJson, personFromJson } from './repo/rows.ts';
import { canonicalJson } from '../kernel/canonical-json.ts';
import {
  type AuditTrails,
  AUDIT_SELECT,
  appendAudit,
  toRecord,
  type AuditProblem,
  type AuditRecord,
  type AuditRow,
} from '../audit/index.ts';

/** The registry tables whose rows are sealed. */
export const SEALED_ENTITIES = ['person', 'person_flag', 'enrolment'] as const;
export type SealedEntity = (typeof SEALED_ENTITIES)[number];

/** A bulk write's seal of one row: [entity, id, seal]. */
export type RowSeal = [SealedEntity, string, string];

/** Actions that empty the registry: rows sealed before them are gone on purpose. */
export const REGISTRY_CLEAR_ACTION = 'registry.demo.clear';
/**
 * The entries sealing the rows no entry had sealed, written once, with the first checkpoint
 * (rows written before row seals existed). Until one exists, a row no entry seals is not reported.
 */
export const REGISTRY_BASELINE_ACTION = 'registry.baseline';
/** The entity of the entries that seal rows in bulk (baseline, demo county, clear). */
export const BULK_ENTITY = 'registry_rows';
/** Entities of entries that may seal rows: a row's own, a bulk write's, an import batch's. */
const SEALING_ENTITIES = [...['person', 'person_flag', 'enrolment'], BULK_ENTITY, 'import'];

/** The seal of a row's record: sha256 of its canonical JSON, 128 bits as hex. */
export const sealOfJson = (json: string): string => hash('sha256', json, 'hex').slice(0, 32);

const MAPPERS = {
  person: { from: personFromJson, id: (r: { certno: string }) => r.certno },
  person_flag: { from: flagFromJson, id: (r: { flagId: number }) => String(r.flagId) },
  enrolment: { from: enrolmentFromJson, id: (r: { enrolmentId: number }) => String(r.enrolmentId) },
} as const;

/** A row (as `row_to_json` gives it) as its record, its id and its seal. */
export function sealRow(
  entity: SealedEntity,
  json: Record<string, unknown>,
): { id: string; certno: string; seal: string } {
  const record = MAPPERS[entity].from(json) as never;
  return {
    id: (MAPPERS[entity].id as (r: never) => string)(record),
    certno: String(json.certno),
    seal: sealOfJson(canonicalJson(record)),
  };
}

/**
 * The seals of the rows of `certnos` written at or after `since` (a write stamp): what a bulk
 * write's audit entry records. One statement per table.
 */
export async function bulkRowSeals(
  q: Queryable,
  certnos: readonly string[],
  since: string | null,
): Promise<RowSeal[]> {
  const out: RowSeal[] = [];
  for (const entity of SEALED_ENTITIES) {
    const r = await q.query<{ j: Record<string, unknown> }>(
      `SELECT row_to_json(t) AS j FROM ${entity} t WHERE t.certno = ANY($1::bpchar[])
         AND ($2::timestamptz IS NULL OR t.updated_at >= $2::timestamptz)`,
      [certnos, since],
    );
    for (const row of r.rows) {
      const s = sealRow(entity, row.j);
      out.push([entity, s.id, s.seal]);
    }
  }
  return out;
}

interface Seal {
  seq: number;
  seal: string;
  certno: string | null;
}

/** Collects, while the log is walked, the last seal of every registry row. */
export class RegistrySeals {
  private readonly seals = new Map<string, Seal>();
  private clearedAt = 0;
  private baselineAt = 0;

  take(r: AuditRecord): void {
    if (r.action === REGISTRY_BASELINE_ACTION) this.baselineAt = Math.max(this.baselineAt, r.seq);
    if (r.action === REGISTRY_CLEAR_ACTION) {
      this.clearedAt = Math.max(this.clearedAt, r.seq);
      return;
    }
    if (r.after === null) return;
    if ((SEALED_ENTITIES as readonly string[]).includes(r.entity)) {
      // A row's own entry: its after is the record, with its version.
      if (!r.after.includes('"version":')) return;
      this.put(`${r.entity}:${r.entityId}`, {
        seq: r.seq,
        seal: sealOfJson(r.after),
        certno: r.certno,
      });
      return;
    }
    if (!r.after.includes('"rowSeals":')) return;
    let seals: unknown;
    try {
      seals = (JSON.parse(r.after) as { rowSeals?: unknown }).rowSeals;
    } catch {
      return; // an altered entry: its hash check reports it
    }
    if (!Array.isArray(seals)) return;
    for (const s of seals as unknown[]) {
      if (!Array.isArray(s) || s.length !== 3) continue;
      const [entity, id, seal] = s as [unknown, unknown, unknown];
      this.put(`${String(entity)}:${String(id)}`, { seq: r.seq, seal: String(seal), certno: null });
    }
  }

  has(key: string): boolean {
    const s = this.seals.get(key);
    return s !== undefined && s.seq >= this.clearedAt;
  }

  private put(key: string, s: Seal) {
    const had = this.seals.get(key);
    if (had === undefined || had.seq < s.seq) this.seals.set(key, s);
  }

  /**
   * Compares every person, flag and enrolment row with its last seal: a row that differs, a row
   * no entry sealed, and a sealed row that is gone are reported.
   */
  async verify(q: Queryable, report: (p: AuditProblem) => void, batch = 5000): Promise<number> {
    for (const [k, s] of this.seals) if (s.seq < this.clearedAt) this.seals.delete(k);
    const seen = new Set<string>();
    let rows = 0;
    const problem = (
      kind: AuditProblem['kind'],
      entity: string,
      id: string,
      certno: string | null,
      seq: number,
      detail: string,
    ) =>
      report({
        trail: 'registry',
        seq,
        chain: -1,
        chainSeq: 0,
        kind,
        entity,
        entityId: id,
        ...(certno === null ? {} : { certno }),
        detail: `${entity} ${entity === 'person' ? `…${id.slice(-4)}` : id}: ${detail}`,
      });
    for (const entity of SEALED_ENTITIES) {
      const order =
        entity === 'person'
          ? 't.certno'
          : `t.certno, t.${entity === 'person_flag' ? 'flag_id' : 'enrolment_id'}`;
      let offset = { certno: '', id: 0 };
      for (;;) {
        const page = await q.query<{ j: Record<string, unknown>; k: number }>(
          entity === 'person'
            ? `SELECT row_to_json(t) AS j, 0 AS k FROM person t WHERE t.certno > $1
                ORDER BY ${order} LIMIT $2`
            : `SELECT row_to_json(t) AS j, t.${entity === 'person_flag' ? 'flag_id' : 'enrolment_id'} AS k
                 FROM ${entity} t
                WHERE (t.certno, t.${entity === 'person_flag' ? 'flag_id' : 'enrolment_id'}) > ($1, $2::bigint)
                ORDER BY ${order} LIMIT $3`,
          entity === 'person' ? [offset.certno, batch] : [offset.certno, offset.id, batch],
        );
        for (const row of page.rows) {
          const s = sealRow(entity, row.j);
          const k = `${entity}:${s.id}`;
          seen.add(k);
          rows++;
          const sealed = this.seals.get(k);
          if (sealed === undefined) {
            if (this.baselineAt === 0) continue;
            problem('row_unaudited', entity, s.id, s.certno, 0, 'no audit entry records this row');
          } else if (sealed.seal !== s.seal) {
            problem(
              'row_mismatch',
              entity,
              s.id,
              s.certno,
              sealed.seq,
              `the row differs from what audit entry ${sealed.seq} recorded`,
            );
          }
        }
        const lastRow = page.rows[page.rows.length - 1];
        if (lastRow) offset = { certno: String(lastRow.j.certno), id: Number(lastRow.k) };
        if (page.rows.length < batch) break;
      }
    }
    for (const [k, s] of this.seals) {
      if (seen.has(k)) continue;
      const [entity, id] = [k.slice(0, k.indexOf(':')), k.slice(k.indexOf(':') + 1)];
      problem(
        'row_missing',
        entity,
        id,
        s.certno,
        s.seq,
        `the row audit entry ${s.seq} recorded is gone`,
      );
    }
    return rows;
  }
}

/**
 * Seals, once, every registry row no audit entry seals yet (rows written before row seals, or by
 * a load that did not seal them), in entries of `batch` rows: from then on, a row no entry
 * accounts for is reported. Returns the rows sealed (0 when a baseline exists already).
 */
export async function ensureRegistryBaseline(
  tx: Queryable,
  append: (rowSeals: RowSeal[], part: number) => Promise<void>,
  batch = 20_000,
): Promise<number> {
  const done = await tx.query(`SELECT 1 FROM audit_log WHERE entity = $1 AND action = $2 LIMIT 1`, [
    BULK_ENTITY,
    REGISTRY_BASELINE_ACTION,
  ]);
  if (done.rows.length > 0) return 0;
  const seals = new RegistrySeals();
  let after = 0;
  for (;;) {
    const page = await tx.query<AuditRow>(
      `${AUDIT_SELECT} WHERE entity = ANY($1::text[]) AND seq > $2 ORDER BY seq LIMIT 5000`,
      [SEALING_ENTITIES, after],
    );
    for (const row of page.rows) seals.take(toRecord(row));
    if (page.rows.length < 5000) break;
    after = Number(page.rows[page.rows.length - 1]!.seq);
  }
  const pending: RowSeal[] = [];
  let sealed = 0;
  let part = 0;
  const flush = async (final: boolean) => {
    if (pending.length === 0 && !(final && part === 0)) return;
    await append(pending.splice(0), ++part);
  };
  for (const entity of SEALED_ENTITIES) {
    const r = await tx.query<{ j: Record<string, unknown> }>(
      `SELECT row_to_json(t) AS j FROM ${entity} t`,
    );
    for (const row of r.rows) {
      const s = sealRow(entity, row.j);
      if (seals.has(`${entity}:${s.id}`)) continue;
      pending.push([entity, s.id, s.seal]);
      sealed++;
      if (pending.length >= batch) await flush(false);
    }
  }
  await flush(true);
  return sealed;
}

/** The registry's row seals, as the audit domain verifies them and its first checkpoint takes. */
export const registryTrail: AuditTrails['registry'] = {
  seals: () => new RegistrySeals(),
  baseline: (tx, actor) =>
    ensureRegistryBaseline(tx, async (rowSeals, part) => {
      await appendAudit(tx, {
        actor,
        action: REGISTRY_BASELINE_ACTION,
        entity: BULK_ENTITY,
        entityId: `baseline#${part}`,
        certno: null,
        before: null,
        after: { rows: rowSeals.length, rowSeals },
      });
    }),
};
