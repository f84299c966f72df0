/**
 * Checks one catalogue or mapping row on its own (pure) and returns the typed row or the first
 * problem, naming the column by its Chinese header.
 */
import { isTriguardError, type Message } from '../kernel/errors.ts';
import type { Cell } from '../tabular/columns.ts';
import { parseDateLoose } from '../registry/index.ts';
import { ITEM_SET, MAPPING_SET, type ItemColumn, type MappingColumn } from './columns.ts';
import type { CatalogueItem, CatalogueMapping } from './model.ts';
import { parseCeiling, parseChrgitmLv, parseListType, parseRatio } from './parse.ts';
import { DEFAULT_SELF_PAY_RATIO } from '../kernel/line-class.ts';

export interface RowProblem<K extends string> {
  field: K | null;
  reason: Message;
}

export type Checked<T, K extends string> =
  { ok: true; row: T } | { ok: false; problem: RowProblem<K> };

class RowError<K extends string> extends Error {
  constructor(readonly problem: RowProblem<K>) {
    super(problem.reason.en);
  }
}

type Cells<K extends string> = Partial<Record<K, Cell>>;

const textOf = (c: Cell | undefined): string | null =>
  c === null || c === undefined ? null : c instanceof Date ? c.toISOString().slice(0, 10) : c;

/** Runs a parser; its error becomes the row's problem, named by the column's header. */
function field<K extends string, T>(key: K, header: string, parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    if (!isTriguardError(e)) throw e;
    const zh = e.messages.zh.replace(key, '').trim();
    throw new RowError<K>({
      field: key,
      reason: { zh: `${header}：${zh}`, en: `${key}: ${e.messages.en.replace(key, '').trim()}` },
    });
  }
}

function fail<K extends string>(key: K, header: string, zh: string, en: string): never {
  throw new RowError<K>({ field: key, reason: { zh: `${header}：${zh}`, en: `${key}: ${en}` } });
}

function run<T, K extends string>(build: () => T): Checked<T, K> {
  try {
    return { ok: true, row: build() };
  } catch (e) {
    if (e instanceof RowError) return { ok: false, problem: e.problem as RowProblem<K> };
    throw e;
  }
}

const CODE_RE = /^[A-Za-z0-9._-]{1,50}$/;

export function validateItemRow(cells: Cells<ItemColumn>): Checked<CatalogueItem, ItemColumn> {
  const h = (k: ItemColumn) => ITEM_SET.headerOf(k);
  const req = (k: ItemColumn): string => {
    const t = textOf(cells[k]);
    if (t === null) fail(k, h(k), '必填', 'is required');
    return t;
  };
  const opt = (k: ItemColumn) => textOf(cells[k]);
  return run(() => {
    const code = req('med_list_codg');
    if (!CODE_RE.test(code))
      fail('med_list_codg', h('med_list_codg'), `编码无效：${code}`, `bad code ${code}`);
    const name = req('name');
    if (name.length > 200) fail('name', h('name'), '名称过长', 'name is too long');
    const listType = field('list_type', h('list_type'), () =>
      parseListType(req('list_type'), 'list_type'),
    );
    const lv = field('chrgitm_lv', h('chrgitm_lv'), () =>
      parseChrgitmLv(req('chrgitm_lv'), 'chrgitm_lv'),
    );
    const ratioText = opt('selfpay_prop');
    const given =
      ratioText === null
        ? null
        : field('selfpay_prop', h('selfpay_prop'), () => parseRatio(ratioText, 'selfpay_prop'));
    // 甲类 pays no share first (§2); 乙类 defaults to the spec's 10 %; 丙类 is all own pay.
    if (lv === '01' && given !== null && given !== 0) {
      fail(
        'selfpay_prop',
        h('selfpay_prop'),
        '甲类项目的先行自付比例应为 0',
        'a class 甲 item pays no share first',
      );
    }
    const selfpayProp = lv === '02' ? (given ?? DEFAULT_SELF_PAY_RATIO) : lv === '03' ? 10_000 : 0;
    const ceiling = field('pric_uplmt_amt', h('pric_uplmt_amt'), () =>
      parseCeiling(opt('pric_uplmt_amt'), 'pric_uplmt_amt'),
    );
    const begndate = field('begndate', h('begndate'), () =>
      parseDateLoose(cells.begndate ?? '', 'begndate'),
    );
    const endCell = cells.enddate;
    const enddate =
      endCell === null || endCell === undefined
        ? null
        : field('enddate', h('enddate'), () => parseDateLoose(endCell, 'enddate'));
    if (enddate !== null && enddate < begndate) {
      fail('enddate', h('enddate'), `早于开始日期 ${begndate}`, `is before begndate ${begndate}`);
    }
    const twoDiseases = yesNo(opt('two_diseases'));
    if (twoDiseases === undefined) {
      fail(
        'two_diseases',
        h('two_diseases'),
        `应为 是/否（Y/N）：${opt('two_diseases')}`,
        `must be Y or N: ${opt('two_diseases')}`,
      );
    }
    return {
      medListCodg: code,
      name,
      listType,
      chrgitmLv: lv,
      selfpayProp,
      pricUplmtAmt: ceiling,
      medChrgitmType: opt('med_chrgitm_type'),
      spec: opt('spec'),
      dosform: opt('dosform'),
      prcunt: opt('prcunt'),
      begndate,
      enddate,
      twoDiseases,
    };
  });
}

const YES = new Set(['y', 'yes', '是', '1', 'true', '√']);
const NO = new Set(['n', 'no', '否', '0', 'false']);

/** 两病用药 as a catalogue file writes it: 是/否, Y/N, 1/0; blank is no. Undefined: neither. */
function yesNo(text: string | null): boolean | undefined {
  if (text === null || text.trim() === '') return false;
  const t = text.trim().toLowerCase();
  return YES.has(t) ? true : NO.has(t) ? false : undefined;
}

/** A mapping row before the catalogue is consulted: its list type and default start come later. */
export interface MappingRow {
  fixmedinsCode: string | null;
  medinsListCodg: string;
  medinsListName: string;
  medListCodg: string;
  begndate: string | null;
  enddate: string | null;
}

export function validateMappingRow(
  cells: Cells<MappingColumn>,
): Checked<MappingRow, MappingColumn> {
  const h = (k: MappingColumn) => MAPPING_SET.headerOf(k);
  const req = (k: MappingColumn): string => {
    const t = textOf(cells[k]);
    if (t === null) fail(k, h(k), '必填', 'is required');
    return t;
  };
  return run(() => {
    const fixmedins = textOf(cells.fixmedins_code);
    if (fixmedins !== null && !/^[A-Za-z0-9]{1,32}$/.test(fixmedins)) {
      fail(
        'fixmedins_code',
        h('fixmedins_code'),
        `编号无效：${fixmedins}`,
        `bad code ${fixmedins}`,
      );
    }
    const own = req('medins_list_codg');
    if (!CODE_RE.test(own))
      fail('medins_list_codg', h('medins_list_codg'), `编码无效：${own}`, `bad code ${own}`);
    const code = req('med_list_codg');
    if (!CODE_RE.test(code))
      fail('med_list_codg', h('med_list_codg'), `编码无效：${code}`, `bad code ${code}`);
    const begCell = cells.begndate;
    const begndate =
      begCell === null || begCell === undefined
        ? null
        : field('begndate', h('begndate'), () => parseDateLoose(begCell, 'begndate'));
    const endCell = cells.enddate;
    const enddate =
      endCell === null || endCell === undefined
        ? null
        : field('enddate', h('enddate'), () => parseDateLoose(endCell, 'enddate'));
    if (begndate !== null && enddate !== null && enddate < begndate) {
      fail('enddate', h('enddate'), `早于开始日期 ${begndate}`, `is before begndate ${begndate}`);
    }
    return {
      fixmedinsCode: fixmedins,
      medinsListCodg: own,
      medinsListName: req('medins_list_name'),
      medListCodg: code,
      begndate,
      enddate,
    };
  });
}

export type { CatalogueMapping };
