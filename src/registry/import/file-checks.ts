/**
 * Checks across the rows of one file (pure, stateful over the file): a row identical to an earlier
 * one is a duplicate; a person whose details differ from an earlier row of theirs, a flag that
 * overlaps one of the same category, or a second enrolment in the same year and scheme conflicts
 * with that row. The first row wins; the later one is rejected naming it.
 */
import { canonicalJson } from '../../kernel/canonical-json.ts';
import { rangesOverlap } from '../../kernel/period.ts';
import type { ImportRow, RowProblem } from './validate-row.ts';

interface Seen {
  rowNumber: number;
  row: ImportRow;
}

export class FileChecks {
  private readonly rows = new Map<string, number>();
  private readonly people = new Map<string, Seen[]>();

  check(row: ImportRow, rowNumber: number): RowProblem | null {
    const signature = canonicalJson(row);
    const same = this.rows.get(signature);
    if (same !== undefined) {
      return {
        field: null,
        reason: { zh: `与第 ${same} 行重复`, en: `duplicate of row ${same}` },
      };
    }
    const earlier = this.people.get(row.certno) ?? [];
    const problem = conflictWith(row, earlier);
    if (problem) return problem;
    this.rows.set(signature, rowNumber);
    earlier.push({ rowNumber, row });
    this.people.set(row.certno, earlier);
    return null;
  }
}

function conflictWith(row: ImportRow, earlier: readonly Seen[]): RowProblem | null {
  for (const e of earlier) {
    if (e.row.name !== row.name) {
      return {
        field: 'name',
        reason: {
          zh: `姓名：与第 ${e.rowNumber} 行（${e.row.name}）不一致`,
          en: `name: differs from row ${e.rowNumber}`,
        },
      };
    }
    for (const k of ['regionCode', 'householdId', 'phone'] as const) {
      if (row[k] !== null && e.row[k] !== null && row[k] !== e.row[k]) {
        return {
          field: k,
          reason: {
            zh: `与第 ${e.rowNumber} 行不一致`,
            en: `${k}: differs from row ${e.rowNumber}`,
          },
        };
      }
    }
    const a = row.flag;
    const b = e.row.flag;
    if (
      a &&
      b &&
      a.category === b.category &&
      rangesOverlap({ from: a.fromMonth, to: a.toMonth }, { from: b.fromMonth, to: b.toMonth })
    ) {
      return {
        field: 'fromMonth',
        reason: {
          zh: `标识起始月：与第 ${e.rowNumber} 行的同类标识时间重叠`,
          en: `fromMonth: overlaps the ${a.category} flag of row ${e.rowNumber}`,
        },
      };
    }
    const x = row.enrolment;
    const y = e.row.enrolment;
    if (x && y && x.year === y.year && x.scheme === y.scheme) {
      return {
        field: 'year',
        reason: {
          zh: `参保年度：与第 ${e.rowNumber} 行的参保登记重复`,
          en: `year: the ${x.scheme} enrolment for ${x.year} is already on row ${e.rowNumber}`,
        },
      };
    }
  }
  return null;
}
