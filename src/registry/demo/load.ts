/**
 * Loads the demo county into a database with COPY (PostgreSQL) or multi-row INSERTs (PGlite),
 * batch by batch, reporting progress. Regions go in first; people (with their pinyin initials),
 * households, flags and enrolments follow.
 */
import type { Db } from '../../db/db.ts';
import { recordAudit } from '../../audit/index.ts';
import { BULK_ENTITY, bulkRowSeals, REGISTRY_CLEAR_ACTION } from '../audit-seals.ts';
import { SYSTEM_ACTOR } from '../../kernel/access/actor.ts';
import { nameInitials } from '../pinyin.ts';
import { generateCounty, regions, type CountyOptions } from './generate.ts';

export interface LoadCounts {
  regions: number;
  households: number;
  persons: number;
  flags: number;
  enrolments: number;
}

const PERSON_COLS = [
  'certno',
  'name',
  'gender',
  'birth_date',
  'household_id',
  'region_code',
  'phone',
] as const;
const ENROLMENT_COLS = [
  'certno',
  'medical_year',
  'scheme',
  'contribution_type',
  'contribution',
  'enrolled_on',
  'benefit_from',
] as const;
const HOUSEHOLD_COLS = ['household_id', 'region_code', 'head_certno', 'address'] as const;
const FLAG_COLS = [
  'certno',
  'category',
  'from_month',
  'to_month',
  'source',
  'evidence_no',
] as const;
const REGION_COLS = ['code', 'name', 'level', 'parent_code'] as const;

export async function loadDemoCounty(
  db: Db,
  opts: CountyOptions,
  onProgress: (persons: number) => void = () => undefined,
): Promise<LoadCounts> {
  const counts: LoadCounts = { regions: 0, households: 0, persons: 0, flags: 0, enrolments: 0 };
  const regionRows = regions(opts.people);
  counts.regions = await db.copyRows(
    'region',
    REGION_COLS,
    regionRows.map((r) => REGION_COLS.map((c) => r[c])),
  );
  let part = 0;
  for (const batch of generateCounty(opts)) {
    counts.persons += await db.copyRows(
      'person',
      [...PERSON_COLS, 'name_pinyin_initials'],
      batch.persons.map((p) => [...PERSON_COLS.map((c) => p[c]), nameInitials(p.name)]),
    );
    counts.households += await db.copyRows(
      'household',
      HOUSEHOLD_COLS,
      batch.households.map((h) => HOUSEHOLD_COLS.map((c) => h[c])),
    );
    counts.flags += await db.copyRows(
      'person_flag',
      FLAG_COLS,
      batch.flags.map((f) => FLAG_COLS.map((c) => f[c])),
    );
    counts.enrolments += await db.copyRows(
      'enrolment',
      ENROLMENT_COLS,
      batch.enrolments.map((e) => ENROLMENT_COLS.map((c) => e[c])),
    );
    // The batch's rows, sealed in the audit log: audit verify compares them with it later.
    const rowSeals = await bulkRowSeals(
      db,
      batch.persons.map((p) => p.certno),
      null,
    );
    await recordAudit(db, {
      actor: SYSTEM_ACTOR,
      action: 'registry.demo.load',
      entity: BULK_ENTITY,
      entityId: `demo#${++part}`,
      certno: null,
      before: null,
      after: { persons: batch.persons.length, rowSeals },
    });
    onProgress(counts.persons);
  }
  // Fresh statistics after a bulk load: without them the planner may scan a whole year's
  // enrolments through the year index instead of looking one person up by certno.
  await db.exec('ANALYZE region, household, person, person_flag, enrolment');
  return counts;
}

/** Is the registry empty? `npm start` loads the demo county only then. */
export async function isEmpty(db: Db): Promise<boolean> {
  const r = await db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM (SELECT 1 FROM person LIMIT 1) t',
  );
  return (r.rows[0]?.n ?? 0) === 0;
}

/** Empties the registry (demo --replace): people, their flags, enrolments, history, regions. */
export async function clearRegistry(db: Db): Promise<void> {
  await db.exec(
    'TRUNCATE registry_history, enrolment, person_flag, person_name, person, household, region CASCADE',
  );
  // Audit verify forgets the rows sealed before this: they are gone on purpose.
  await recordAudit(db, {
    actor: SYSTEM_ACTOR,
    action: REGISTRY_CLEAR_ACTION,
    entity: BULK_ENTITY,
    entityId: 'demo',
    certno: null,
  });
}
