/**
 * One list row checked on its own (pure). A row is refused only when it cannot be used at all: no
 * name, an ID that is not even shaped like one, a date that is no date. A row whose ID is shaped
 * right but fails its check digit (a typo, or a number the department changed) is accepted with
 * `certno` null: the fuzzy path looks for the person, which is the point of reconciling.
 */
import { checkId } from '../../kernel/idcard.ts';
import { isTriguardError, type Message } from '../../kernel/errors.ts';
import { isValidDate, type IsoDate } from '../../kernel/period.ts';
import { notFuture, parseCategory, parseDateLoose, parseName } from '../../registry/index.ts';
import type { Category } from '../../policy/index.ts';
import type { ListKind } from '../model.ts';
import { FIELD_HEADERS, type ListField } from './columns.ts';

export type ListCell = string | Date | null;
export type ListCells = Partial<Record<ListField, ListCell>>;

export const CHANGE_TYPES = ['married_out', 'moved_out', 'cancelled', 'id_changed'] as const;
export type ChangeType = (typeof CHANGE_TYPES)[number];

const CHANGE_ALIASES: Record<string, ChangeType> = {
  婚出: 'married_out',
  婚嫁迁出: 'married_out',
  出嫁: 'married_out',
  迁出: 'moved_out',
  户口迁出: 'moved_out',
  注销: 'cancelled',
  户口注销: 'cancelled',
  死亡注销: 'cancelled',
  身份证号变更: 'id_changed',
  变更身份证号: 'id_changed',
  公民身份号码变更: 'id_changed',
};

export interface ListRow {
  /** Normalised 18-digit ID, or null when the ID as written is not a valid one. */
  certno: string | null;
  certnoRaw: string;
  name: string;
  birthDate: IsoDate | null;
  regionCode: string | null;
  category: Category | null;
  eventDate: IsoDate | null;
  otherRegion: string | null;
  changeType: ChangeType | null;
  note: string | null;
}

export interface RowProblem {
  field: ListField | null;
  reason: Message;
}

export type Parsed = { ok: true; row: ListRow } | { ok: false; problem: RowProblem };

const text = (c: ListCell | undefined): string | null => {
  if (c === null || c === undefined) return null;
  const s = c instanceof Date ? c.toISOString().slice(0, 10) : c.trim();
  return s === '' ? null : s;
};

const fail = (field: ListField | null, zh: string, en: string): Parsed => ({
  ok: false,
  problem: { field, reason: { zh, en } },
});

/** Birth date printed in an ID that is shaped right (even when its check digit is wrong). */
export function birthInId(raw: string): IsoDate | null {
  const b = raw.length === 18 ? raw.slice(6, 14) : raw.length === 15 ? `19${raw.slice(6, 12)}` : '';
  if (!/^\d{8}$/.test(b)) return null;
  const [y, m, d] = [Number(b.slice(0, 4)), Number(b.slice(4, 6)), Number(b.slice(6, 8))];
  return y >= 1850 && isValidDate(y, m, d)
    ? `${b.slice(0, 4)}-${b.slice(4, 6)}-${b.slice(6)}`
    : null;
}

export function parseListRow(cells: ListCells, kind: ListKind, today: IsoDate): Parsed {
  const rawId = text(cells.certno);
  if (rawId === null) return fail('certno', '身份证号为空', 'the ID number is empty');
  if (rawId.startsWith('#NUMBER:')) {
    return fail(
      'certno',
      '身份证号被存为数字，末几位已丢失（请将该列设为文本）',
      'the ID number was stored as a number and lost its last digits (format the column as text)',
    );
  }
  const certnoRaw = rawId.replace(/\s+/g, '').toUpperCase();
  if (!/^(\d{17}[\dX]|\d{15})$/.test(certnoRaw)) {
    return fail(
      'certno',
      `身份证号格式错误：${rawId}（应为18位或15位）`,
      `not an ID number: ${rawId} (18 or 15 characters)`,
    );
  }
  const id = checkId(certnoRaw);
  try {
    const name = parseName(text(cells.name) ?? '', FIELD_HEADERS.name);
    const birthText = text(cells.birthDate);
    const birthDate =
      id.birthDate ??
      birthInId(certnoRaw) ??
      (birthText ? parseDateLoose(cells.birthDate!, FIELD_HEADERS.birthDate) : null);
    const region = text(cells.regionCode);
    if (region !== null && !/^\d{6,12}$/.test(region)) {
      return fail(
        'regionCode',
        `区划代码应为6～12位数字：${region}`,
        `a region code has 6 to 12 digits: ${region}`,
      );
    }
    const categoryText = text(cells.category);
    const category = categoryText ? parseCategory(categoryText, FIELD_HEADERS.category) : null;
    const eventText = text(cells.eventDate);
    const eventDate = eventText
      ? notFuture(parseDateLoose(cells.eventDate!, FIELD_HEADERS.eventDate), today, '日期')
      : null;
    const changeText = text(cells.changeType);
    const changeType = changeText ? parseChangeType(changeText) : null;
    if (changeText && !changeType) {
      return fail(
        'changeType',
        `未知变动类型：${changeText}（婚出、迁出、注销、身份证号变更）`,
        `unknown change type: ${changeText}`,
      );
    }
    if (kind === 'deaths' && !eventDate) return fail('eventDate', '死亡日期为空', 'no death date');
    if (kind === 'exits' && !eventDate) return fail('eventDate', '退出日期为空', 'no exit date');
    if (kind === 'exits' && !category) return fail('category', '身份类别为空', 'no category');
    if (kind === 'household_changes' && !changeType) {
      return fail('changeType', '变动类型为空', 'no change type');
    }
    return {
      ok: true,
      row: {
        certno: id.valid ? id.normalized : null,
        certnoRaw,
        name,
        birthDate,
        regionCode: region,
        category,
        eventDate,
        otherRegion: text(cells.otherRegion),
        changeType,
        note: text(cells.note),
      },
    };
  } catch (e) {
    if (!isTriguardError(e)) throw e;
    return { ok: false, problem: { field: fieldOf(e.field), reason: e.messages } };
  }
}

function parseChangeType(t: string): ChangeType | null {
  if ((CHANGE_TYPES as readonly string[]).includes(t)) return t as ChangeType;
  return CHANGE_ALIASES[t] ?? null;
}

const fieldOf = (header: string | null): ListField | null => {
  if (header === '日期') return 'eventDate';
  const hit = Object.entries(FIELD_HEADERS).find(([, h]) => h === header);
  return hit ? (hit[0] as ListField) : null;
};
