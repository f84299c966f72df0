/**
 * Decides, for a batch of rows that passed their own and the file's checks, what the registry
 * already says (pure): a person registered outside the importer's scope, under another name, or
 * deceased is rejected; a flag overlapping a registered one of its category, or an enrolment the
 * person already has, is rejected; a registered person whose village, household or phone differs
 * gets a new version.
 */
import { rangesOverlap } from '../../kernel/period.ts';
import type { Flag, Person, PersonFields } from '../model.ts';
import type { ImportRow, RowProblem } from './validate-row.ts';

export interface ExistingState {
  persons: ReadonlyMap<string, Person>;
  flags: ReadonlyMap<string, readonly Flag[]>;
  /** `certno|year|scheme` of every enrolment the batch's people hold. */
  enrolments: ReadonlySet<string>;
}

export type PersonAction =
  { kind: 'insert' } | { kind: 'update'; patch: Partial<PersonFields> } | { kind: 'none' };

export interface PlannedRow {
  rowNumber: number;
  row: ImportRow;
  person: PersonAction;
}

export interface BatchPlan {
  accepted: PlannedRow[];
  rejects: { rowNumber: number; problem: RowProblem }[];
}

export const enrolmentKey = (certno: string, year: number, scheme: string) =>
  `${certno}|${year}|${scheme}`;

export function planBatch(
  rows: readonly { rowNumber: number; row: ImportRow }[],
  existing: ExistingState,
  inScope: (regionCode: string) => boolean,
): BatchPlan {
  const plan: BatchPlan = { accepted: [], rejects: [] };
  const insertedHere = new Set<string>();
  const patchedHere = new Set<string>();
  for (const { rowNumber, row } of rows) {
    const problem = problemWith(row, existing, inScope);
    if (problem) {
      plan.rejects.push({ rowNumber, problem });
      continue;
    }
    const current = existing.persons.get(row.certno);
    let person: PersonAction = { kind: 'none' };
    if (!current) {
      if (!insertedHere.has(row.certno)) person = { kind: 'insert' };
      insertedHere.add(row.certno);
    } else if (!patchedHere.has(row.certno)) {
      const patch = personPatch(current, row);
      if (Object.keys(patch).length > 0) person = { kind: 'update', patch };
      patchedHere.add(row.certno);
    }
    plan.accepted.push({ rowNumber, row, person });
  }
  return plan;
}

function problemWith(
  row: ImportRow,
  existing: ExistingState,
  inScope: (regionCode: string) => boolean,
): RowProblem | null {
  const current = existing.persons.get(row.certno);
  if (current) {
    if (!inScope(current.regionCode)) {
      return {
        field: 'certno',
        reason: {
          zh: `身份证号：此人登记在 ${current.regionCode}，不在您的数据范围内`,
          en: `certno: registered in ${current.regionCode}, outside your data scope`,
        },
      };
    }
    if (current.name !== row.name) {
      return {
        field: 'name',
        reason: {
          zh: `姓名：与登记库不一致（登记库为 ${current.name}）`,
          en: 'name: differs from the registry',
        },
      };
    }
    if (current.status === 'deceased' && (row.flag || row.enrolment)) {
      return {
        field: 'certno',
        reason: {
          zh: '身份证号：此人已登记死亡',
          en: 'certno: the person is recorded as deceased',
        },
      };
    }
  }
  const f = row.flag;
  if (f) {
    const clash = (existing.flags.get(row.certno) ?? []).find(
      (g) =>
        g.category === f.category &&
        (g.toMonth === null || g.toMonth >= g.fromMonth) &&
        rangesOverlap({ from: g.fromMonth, to: g.toMonth }, { from: f.fromMonth, to: f.toMonth }),
    );
    if (clash) {
      return {
        field: 'fromMonth',
        reason: {
          zh: `标识起始月：与登记库中的同类标识（${clash.fromMonth}～${clash.toMonth ?? ''}）重叠`,
          en: `fromMonth: overlaps the registered ${f.category} flag from ${clash.fromMonth}`,
        },
      };
    }
  }
  const e = row.enrolment;
  if (e && existing.enrolments.has(enrolmentKey(row.certno, e.year, e.scheme))) {
    return {
      field: 'year',
      reason: {
        zh: `参保年度：登记库中已有 ${e.year} 年度该险种的参保登记`,
        en: `year: already enrolled in ${e.scheme} insurance for ${e.year}`,
      },
    };
  }
  return null;
}

function personPatch(current: Person, row: ImportRow): Partial<PersonFields> {
  const patch: Partial<PersonFields> = {};
  if (row.regionCode !== current.regionCode) patch.regionCode = row.regionCode;
  if (row.householdId !== null && row.householdId !== current.householdId) {
    patch.householdId = row.householdId;
  }
  if (row.phone !== null && row.phone !== current.phone) patch.phone = row.phone;
  return patch;
}
