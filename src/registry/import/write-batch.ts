/**
 * One batch of an import in one transaction: lock and read what the registry holds for the
 * batch's people, plan (plan-batch.ts), write the accepted rows set-wise (one statement per table,
 * arrays unnested), version the people whose details changed, and write one audit entry for the
 * batch naming every person it touched.
 */
import type { Actor } from '../../kernel/access/actor.ts';
import { appendAudit } from '../../audit/index.ts';
import { bulkRowSeals } from '../audit-seals.ts';
import type { Queryable } from '../../db/db.ts';
import type { Flag, Person } from '../model.ts';
import { nameInitials } from '../pinyin.ts';
import { flagFromJson, personFromJson } from '../repo/rows.ts';
import { updatePerson, type WriteStamp } from '../repo/write.ts';
import { benefitFromFor } from '../rules/enrol.ts';
import { enrolmentKey, planBatch, type BatchPlan, type ExistingState } from './plan-batch.ts';
import type { ImportRow } from './validate-row.ts';

export interface BatchContext {
  actor: Actor;
  stamp: WriteStamp;
  inScope: (regionCode: string) => boolean;
  /** Names the batch in the audit log, e.g. `import:people.xlsx#3`. */
  label: string;
}

export async function writeBatch(
  tx: Queryable,
  rows: readonly { rowNumber: number; row: ImportRow }[],
  ctx: BatchContext,
): Promise<BatchPlan> {
  const certnos = [...new Set(rows.map((r) => r.row.certno))];
  const existing = await readExisting(tx, certnos);
  const plan = planBatch(rows, existing, ctx.inScope);
  const s = ctx.stamp;

  const households = new Map<string, [string, string]>();
  for (const { row } of plan.accepted) {
    if (row.householdId && !households.has(row.householdId)) {
      households.set(row.householdId, [row.regionCode, row.certno]);
    }
  }
  if (households.size > 0) {
    const h = [...households];
    await tx.query(
      `INSERT INTO household (household_id, region_code, head_certno)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) ON CONFLICT (household_id) DO NOTHING`,
      [h.map(([id]) => id), h.map(([, v]) => v[0]), h.map(([, v]) => v[1])],
    );
  }

  const inserts = plan.accepted.filter((p) => p.person.kind === 'insert').map((p) => p.row);
  if (inserts.length > 0) {
    await tx.query(
      `INSERT INTO person (certno, name, gender, birth_date, household_id, region_code, phone,
         name_pinyin_initials, created_at, updated_at, updated_by, change_reason)
       SELECT c, n, g, b, h, r, p, i, $9, $9, $10, $11
       FROM unnest($1::text[], $2::text[], $3::text[], $4::date[], $5::text[], $6::text[],
         $7::text[], $8::text[]) AS t (c, n, g, b, h, r, p, i)`,
      [
        inserts.map((r) => r.certno),
        inserts.map((r) => r.name),
        inserts.map((r) => r.gender),
        inserts.map((r) => r.birthDate),
        inserts.map((r) => r.householdId),
        inserts.map((r) => r.regionCode),
        inserts.map((r) => r.phone),
        inserts.map((r) => nameInitials(r.name)),
        s.at,
        s.by,
        s.reason,
      ],
    );
  }
  let updated = 0;
  for (const p of plan.accepted) {
    if (p.person.kind === 'update') {
      await updatePerson(tx, p.row.certno, p.person.patch, s);
      updated++;
    }
  }

  const flags = plan.accepted.flatMap((p) =>
    p.row.flag ? [{ ...p.row.flag, certno: p.row.certno }] : [],
  );
  if (flags.length > 0) {
    await tx.query(
      `INSERT INTO person_flag (certno, category, from_month, to_month, source, evidence_no,
         recognised_on, updated_at, updated_by, change_reason)
       SELECT c, k, f, t, s, e, r, $8, $9, $10
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
         $7::date[]) AS x (c, k, f, t, s, e, r)`,
      [
        flags.map((f) => f.certno),
        flags.map((f) => f.category),
        flags.map((f) => f.fromMonth),
        flags.map((f) => f.toMonth),
        flags.map((f) => f.source),
        flags.map((f) => f.evidenceNo),
        flags.map((f) => f.recognisedOn),
        s.at,
        s.by,
        s.reason,
      ],
    );
  }

  // Benefits start by the green channel, judged on the flags registered plus those just added.
  const enrolments = plan.accepted.flatMap((p) => {
    const e = p.row.enrolment;
    if (!e) return [];
    const known = [
      ...(existing.flags.get(p.row.certno) ?? []),
      ...flags.filter((f) => f.certno === p.row.certno),
    ];
    return [{ ...e, certno: p.row.certno, benefitFrom: benefitFromFor(known, e).benefitFrom }];
  });
  if (enrolments.length > 0) {
    await tx.query(
      `INSERT INTO enrolment (certno, medical_year, scheme, contribution_type, contribution,
         funded_amount, funder, enrolled_on, benefit_from, created_at, updated_at, updated_by,
         change_reason)
       SELECT c, y, s, t, a, f, u, e, b, $10, $10, $11, $12
       FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::bigint[], $6::bigint[],
         $7::text[], $8::date[], $9::date[]) AS x (c, y, s, t, a, f, u, e, b)`,
      [
        enrolments.map((e) => e.certno),
        enrolments.map((e) => e.year),
        enrolments.map((e) => e.scheme),
        enrolments.map((e) => e.contributionType),
        enrolments.map((e) => e.contribution),
        enrolments.map((e) => e.fundedAmount),
        enrolments.map((e) => e.funder),
        enrolments.map((e) => e.enrolledOn),
        enrolments.map((e) => e.benefitFrom),
        s.at,
        s.by,
        s.reason,
      ],
    );
  }

  if (plan.accepted.length > 0) {
    // Every row the batch wrote, sealed: audit verify compares the rows with it later.
    const rowSeals = await bulkRowSeals(
      tx,
      [...new Set(plan.accepted.map((p) => p.row.certno))],
      s.at,
    );
    await appendAudit(tx, {
      actor: ctx.actor,
      action: 'registry.import.batch',
      entity: 'import',
      entityId: ctx.label,
      certno: null,
      before: null,
      after: {
        rows: plan.accepted.map((p) => p.rowNumber),
        personsCreated: inserts.length,
        personsUpdated: updated,
        flagsCreated: flags.length,
        enrolmentsCreated: enrolments.length,
        certnos: [...new Set(plan.accepted.map((p) => p.row.certno))],
        rowSeals,
      },
      reason: s.reason,
    });
  }
  return plan;
}

async function readExisting(tx: Queryable, certnos: readonly string[]): Promise<ExistingState> {
  const persons = await tx.query<{ j: Record<string, unknown> }>(
    `SELECT row_to_json(p) AS j FROM person p WHERE p.certno = ANY($1::bpchar[]) FOR UPDATE`,
    [certnos],
  );
  const flags = await tx.query<{ j: Record<string, unknown> }>(
    `SELECT row_to_json(f) AS j FROM person_flag f WHERE f.certno = ANY($1::bpchar[])`,
    [certnos],
  );
  const enrolments = await tx.query<{ certno: string; year: number; scheme: string }>(
    `SELECT certno::text AS certno, medical_year AS year, scheme FROM enrolment
     WHERE certno = ANY($1::bpchar[])`,
    [certnos],
  );
  const byPerson = new Map<string, Flag[]>();
  for (const f of flags.rows.map((r) => flagFromJson(r.j))) {
    byPerson.set(f.certno, [...(byPerson.get(f.certno) ?? []), f]);
  }
  return {
    persons: new Map(
      persons.rows.map((r) => personFromJson(r.j)).map((p): [string, Person] => [p.certno, p]),
    ),
    flags: byPerson,
    enrolments: new Set(enrolments.rows.map((e) => enrolmentKey(e.certno, e.year, e.scheme))),
  };
}
