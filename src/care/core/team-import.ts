/**
 * The team register the townships exchange (docs/care-teams.md §8): one row per patient, each
 * role's name and phone in its own columns. A row becomes a team composition or a problem
 * naming its column. Pure.
 */
import { columnSet, type Cell, type ColumnSpec } from '../../tabular/columns.ts';
import { normaliseDate, type IsoDate } from '../../kernel/period.ts';
import { normalizeId } from '../../kernel/idcard.ts';
import { isTriguardError, type Message } from '../../kernel/errors.ts';
import {
  MEMBER_ROLES,
  MEMBER_ROLE_LABELS,
  type MemberInput,
  type MemberRole,
} from './team-model.ts';

const HEADERS: Record<MemberRole, string> = {
  village_head: '组长（村委会主任）',
  guardian: '监护人',
  specialist: '综治专干',
  medical_staff: '医务人员',
  police_officer: '派出所民警',
  disabled_federation: '残联',
  civil_affairs: '民政',
};

export const TEAM_COLUMNS = [
  { key: 'certno', header: '身份证号', required: true },
  { key: 'name', header: '姓名', required: false },
  { key: 'on', header: '组建或变更日期', required: true },
  ...MEMBER_ROLES.flatMap((r) => [
    { key: `${r}.name`, header: `${HEADERS[r]}姓名`, required: r === 'village_head' },
    { key: `${r}.contact`, header: `${HEADERS[r]}电话`, required: r === 'village_head' },
  ]),
] as const satisfies readonly ColumnSpec<string>[];

export type TeamColumn = (typeof TEAM_COLUMNS)[number]['key'];
export const TEAM_SET = columnSet<TeamColumn>(TEAM_COLUMNS as readonly ColumnSpec<TeamColumn>[]);

export interface TeamRow {
  certno: string;
  on: IsoDate;
  members: MemberInput[];
}

export interface RowProblem {
  field: string;
  code: string;
  message: Message;
}

const text = (c: Cell | undefined): string | null =>
  c === undefined || c === null
    ? null
    : c instanceof Date
      ? c.toISOString().slice(0, 10)
      : c.trim() || null;

/** One row as a team, or the first problem of the row. */
export function readTeamRow(cells: Partial<Record<TeamColumn, Cell>>): TeamRow | RowProblem {
  let certno: string;
  try {
    certno = normalizeId(text(cells.certno) ?? '', 'certno');
  } catch (e) {
    if (!isTriguardError(e)) throw e;
    return { field: '身份证号', code: e.code, message: e.messages };
  }
  const on = normaliseDate(text(cells.on) ?? '');
  if (on === null) {
    return {
      field: '组建或变更日期',
      code: 'care.bad_date',
      message: { zh: '组建或变更日期不是日期', en: 'the date of the team is not a date' },
    };
  }
  const members: MemberInput[] = [];
  for (const role of MEMBER_ROLES) {
    const name = text(cells[`${role}.name`]);
    const contact = text(cells[`${role}.contact`]);
    if (name === null && contact === null) continue;
    if (name === null || contact === null) {
      const missing = name === null ? `${HEADERS[role]}姓名` : `${HEADERS[role]}电话`;
      return {
        field: missing,
        code: 'care.member_incomplete',
        message: {
          zh: `${missing}为空`,
          en: `the ${MEMBER_ROLE_LABELS[role].en} needs a name and a contact`,
        },
      };
    }
    members.push({ role, name: name.slice(0, 50), contact: contact.slice(0, 50) });
  }
  if (!members.some((m) => m.role === 'village_head')) {
    return {
      field: `${HEADERS.village_head}姓名`,
      code: 'care.team_lead_required',
      message: {
        zh: `关爱帮扶小组须有组长：${HEADERS.village_head}姓名为空`,
        en: 'a care team needs its lead: the village committee head',
      },
    };
  }
  return { certno, on, members };
}
