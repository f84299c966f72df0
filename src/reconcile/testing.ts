/**
 * Fixtures for reconciliation tests: people written straight into the registry tables (the
 * registry's own tests cover how they get there), small lists as CSV text, and an import helper.
 */
import { Readable } from 'node:stream';
import type { Actor } from '../kernel/access/actor.ts';
import { SYSTEM_ACTOR } from '../kernel/access/actor.ts';
import type { Db } from '../db/db.ts';
import { makeId } from '../kernel/idcard.ts';
import { nameInitials } from '../registry/index.ts';
import type { ReconcileContext } from './context.ts';
import { importList, type ListImportResult } from './import/import-list.ts';
import type { ListKind } from './model.ts';

export const BUREAU: Actor = {
  ...SYSTEM_ACTOR,
  id: 'u-bureau',
  name: '经办员',
  roles: ['bureau_staff'],
  scope: { kind: 'region', regionCode: '370899' },
};

export interface TestPerson {
  certno: string;
  name: string;
  village?: string;
  status?: 'alive' | 'deceased' | 'missing';
  flags?: { category: string; from?: string; to?: string | null; recognisedOn?: string }[];
  enrolments?: {
    scheme?: 'resident' | 'employee';
    type?: 'paid' | 'fee_exemption';
    contribution?: number;
  }[];
}

let seq = 300;
/** A fresh valid ID number born on `birth` in the test county. */
export const newId = (birth = '1965-02-03') => makeId('370899', birth, seq++);

export async function addPeople(db: Db, people: readonly TestPerson[]): Promise<void> {
  for (const p of people) {
    const birth = `${p.certno.slice(6, 10)}-${p.certno.slice(10, 12)}-${p.certno.slice(12, 14)}`;
    await db.query(
      `INSERT INTO person (certno, name, gender, birth_date, region_code, status, name_pinyin_initials)
       VALUES ($1, $2, 'male', $3, $4, $5, $6)`,
      [
        p.certno,
        p.name,
        birth,
        p.village ?? '370899001001',
        p.status ?? 'alive',
        nameInitials(p.name),
      ],
    );
    for (const f of p.flags ?? []) {
      await db.query(
        `INSERT INTO person_flag (certno, category, from_month, to_month, source, recognised_on)
         VALUES ($1, $2, $3, $4, 'civil_affairs', $5)`,
        [p.certno, f.category, f.from ?? '2022-01', f.to ?? null, f.recognisedOn ?? '2021-12-01'],
      );
    }
    for (const e of p.enrolments ?? []) {
      const type = e.type ?? 'fee_exemption';
      await db.query(
        `INSERT INTO enrolment (certno, medical_year, scheme, contribution_type, contribution,
           enrolled_on, benefit_from) VALUES ($1, 2022, $2, $3, $4, '2021-12-15', '2022-01-01')`,
        [p.certno, e.scheme ?? 'resident', type, type === 'paid' ? (e.contribution ?? 35_000) : 0],
      );
    }
  }
}

/** CSV text from a header and rows. */
export const csv = (header: string[], rows: (string | null)[][]) =>
  [header, ...rows].map((r) => r.map((c) => c ?? '').join(',')).join('\n') + '\n';

export async function importCsv(
  ctx: ReconcileContext,
  campaignId: number,
  department: string,
  kind: ListKind,
  text: string,
  asOf = '2022-09-01',
  actor: Actor = BUREAU,
): Promise<ListImportResult> {
  return importList(ctx, actor, Readable.from([Buffer.from(text, 'utf8')]), {
    campaignId,
    department,
    kind,
    asOf,
    fileName: `${kind}.csv`,
    format: 'csv',
  });
}
