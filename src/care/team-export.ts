/**
 * The overdue-visit register the townships exchange (docs/care-teams.md §3): one sheet per
 * township, ID numbers masked as the caller sees them, cells neutralised by src/tabular.
 */
import { certnoFor } from '../kernel/access/masking.ts';
import type { Actor } from '../kernel/access/actor.ts';
import { xlsxBuffer } from '../tabular/write.ts';
import type { OverdueRow } from './core/team-model.ts';

const COLUMNS = [
  { header: '身份证号', key: 'certno', width: 22 },
  { header: '姓名', key: 'name', width: 10 },
  { header: '村（居）', key: 'regionCode', width: 14 },
  { header: '上次随访', key: 'lastVisitOn', width: 12 },
  { header: '应随访日期', key: 'dueOn', width: 12 },
  { header: '逾期天数', key: 'daysOverdue', width: 10 },
];

export function overdueXlsx(
  actor: Pick<Actor, 'permissions'>,
  asOf: string,
  rows: readonly OverdueRow[],
): Promise<Buffer> {
  const byTownship = new Map<string, OverdueRow[]>();
  for (const r of rows) {
    const t = r.regionCode.slice(0, 9);
    byTownship.set(t, [...(byTownship.get(t) ?? []), r]);
  }
  return xlsxBuffer((book) => {
    if (byTownship.size === 0) book.sheet(`截至${asOf}`, COLUMNS);
    for (const [township, list] of byTownship) {
      const sheet = book.sheet(township, COLUMNS);
      for (const r of list) sheet.row({ ...r, certno: certnoFor(actor, r.certno) });
    }
  });
}
