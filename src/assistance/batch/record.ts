/**
 * One batch row → an outside-hospital record → a settle request. The record's split becomes three
 * lines that the engine classifies back into exactly the same split: class A with the over-limit
 * part (in scope + over limit), class B at 100 % pre self pay (the pre-self-pay amount), class C
 * (own pay). So the batch path settles the same in-scope amount with the same engine and the same
 * accumulators as one-stop settlement, and pays what one-stop would have paid.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../kernel/canonical-json.ts';
import { normalizeId } from '../../kernel/idcard.ts';
import { isTriguardError, type Message } from '../../kernel/errors.ts';
import { parseYuan, type Fen } from '../../kernel/money.ts';
import type { IsoDate } from '../../kernel/period.ts';
import { parseDateLoose } from '../../registry/index.ts';
import type { HospitalLevel, Remote, VisitType } from '../../policy/index.ts';
import type { Bill, BillLine, SettleRequest } from '../../settlement/index.ts';
import type { Cell } from '../../tabular/columns.ts';
import type { BatchColumn } from './columns.ts';

export interface OutsideRecord {
  fixmedinsCode: string;
  recordNo: string;
  certno: string;
  name: string | null;
  date: IsoDate;
  visitType: VisitType;
  hospitalLevel: HospitalLevel;
  diagnosis: string;
  remote: Remote;
  medfee: Fen;
  ownPay: Fen;
  overLimit: Fen;
  preSelfPay: Fen;
  inScope: Fen;
  /** The hospital's own figures, to compare with the engine's. */
  hifp: Fen | null;
  hifmi: Fen | null;
  cardRef: string | null;
}

export interface RowProblem {
  field: BatchColumn | null;
  reason: Message;
}

const VISIT: Record<string, VisitType> = {
  住院: 'inpatient',
  普通住院: 'inpatient',
  '21': 'inpatient',
  inpatient: 'inpatient',
  门诊慢特病: 'chronic_outpatient',
  慢特病: 'chronic_outpatient',
  '14': 'chronic_outpatient',
  chronic_outpatient: 'chronic_outpatient',
  门诊两病: 'two_diseases',
  两病: 'two_diseases',
  '9901': 'two_diseases',
  two_diseases: 'two_diseases',
  普通门诊: 'general_outpatient',
  '11': 'general_outpatient',
  general_outpatient: 'general_outpatient',
};

const LEVEL: Record<string, HospitalLevel> = {
  '1': 1,
  '2': 2,
  '3': 3,
  一级: 1,
  二级: 2,
  三级: 3,
};

const REMOTE: Record<string, Remote> = {
  本地: null,
  否: null,
  local: null,
  已备案: 'filed',
  filed: 'filed',
  未备案: 'unfiled',
  unfiled: 'unfiled',
};

class Problem extends Error {
  constructor(readonly problem: RowProblem) {
    super(problem.reason.en);
  }
}

const fail = (field: BatchColumn, zh: string, en: string): never => {
  throw new Problem({ field, reason: { zh: `${field}：${zh}`, en: `${field}: ${en}` } });
};

const text = (c: Cell | undefined): string | null =>
  c === null || c === undefined ? null : c instanceof Date ? c.toISOString().slice(0, 10) : c;

function required(cells: Partial<Record<BatchColumn, Cell>>, k: BatchColumn): string {
  const v = text(cells[k]);
  if (v === null) fail(k, '必填', 'required');
  return v as string;
}

/** Runs a kernel parser, turning its error into a problem of this column. */
function parsed<T>(k: BatchColumn, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (isTriguardError(e)) throw new Problem({ field: k, reason: e.messages });
    throw e;
  }
}

function amount(cells: Partial<Record<BatchColumn, Cell>>, k: BatchColumn): Fen | null {
  const v = text(cells[k]);
  return v === null ? null : parsed(k, () => parseYuan(v, k));
}

export function readRecord(
  cells: Partial<Record<BatchColumn, Cell>>,
): { record: OutsideRecord } | { problem: RowProblem } {
  try {
    return { record: toRecord(cells) };
  } catch (e) {
    if (e instanceof Problem) return { problem: e.problem };
    throw e;
  }
}

function toRecord(cells: Partial<Record<BatchColumn, Cell>>): OutsideRecord {
  const fixmedinsCode = required(cells, 'fixmedinsCode');
  const recordNo = required(cells, 'recordNo');
  const certno = parsed('certno', () => normalizeId(required(cells, 'certno'), 'certno'));
  const date = parsed('date', () => parseDateLoose(required(cells, 'date'), 'date'));
  const visitText = required(cells, 'visitType');
  const visitType =
    VISIT[visitText] ??
    fail('visitType', `未知的就诊类型 ${visitText}`, `unknown visit type ${visitText}`);
  const levelText = required(cells, 'hospitalLevel');
  const hospitalLevel =
    LEVEL[levelText] ??
    fail('hospitalLevel', `应为 1、2、3：${levelText}`, `must be 1, 2 or 3: ${levelText}`);
  const diagnosis = required(cells, 'diagnosis').toUpperCase();
  if (!/^[A-Z]\d{2}(\.\w{1,6})?$/.test(diagnosis)) {
    fail('diagnosis', `不是 ICD-10 编码：${diagnosis}`, `not an ICD-10 code: ${diagnosis}`);
  }
  const remoteText = text(cells.remote);
  const remote: Remote =
    remoteText === null
      ? null
      : remoteText in REMOTE
        ? (REMOTE[remoteText] ?? null)
        : fail(
            'remote',
            `应为 本地、已备案 或 未备案：${remoteText}`,
            `must be local, filed or unfiled: ${remoteText}`,
          );
  const medfee = amount(cells, 'medfee') ?? 0;
  const ownPay = amount(cells, 'ownPay') ?? 0;
  const overLimit = amount(cells, 'overLimit') ?? 0;
  const preSelfPay = amount(cells, 'preSelfPay') ?? 0;
  const inScope = medfee - ownPay - overLimit - preSelfPay;
  if (medfee <= 0) fail('medfee', '总额须大于 0', 'must be above 0');
  if (inScope < 0) {
    fail(
      'medfee',
      '总额小于全自费、超限价、先行自付之和',
      'is less than own pay + over limit + pre self pay',
    );
  }
  const givenInScope = amount(cells, 'inScope');
  if (givenInScope !== null && givenInScope !== inScope) {
    fail(
      'inScope',
      `应等于总额减三项自付（${(inScope / 100).toFixed(2)}）`,
      `must equal the total less the three self-paid parts (${(inScope / 100).toFixed(2)})`,
    );
  }
  return {
    fixmedinsCode,
    recordNo,
    certno,
    name: text(cells.name),
    date,
    visitType,
    hospitalLevel,
    diagnosis,
    remote,
    medfee,
    ownPay,
    overLimit,
    preSelfPay,
    inScope,
    hifp: amount(cells, 'hifp'),
    hifmi: amount(cells, 'hifmi'),
    cardRef: text(cells.cardRef),
  };
}

const MSGID = /^[\w.:-]+$/;

/**
 * The settlement message id of a record: readable when the codes allow it, a hash otherwise. The
 * settlement service answers a repeated msgid with its first answer, so a record settles once.
 */
export function msgidOf(fixmedinsCode: string, recordNo: string): string {
  const readable = `ob:${fixmedinsCode}:${recordNo}`;
  if (MSGID.test(readable) && readable.length <= 64) return readable;
  const h = createHash('sha256').update(`${fixmedinsCode}\u0000${recordNo}`, 'utf8').digest('hex');
  return `obh:${h.slice(0, 40)}`;
}

/** What a re-import must repeat exactly (the bill and the person), as a hash. */
export function digestOf(r: OutsideRecord): string {
  const { certno, date, visitType, hospitalLevel, diagnosis, remote } = r;
  const { medfee, ownPay, overLimit, preSelfPay } = r;
  const body = canonicalJson({
    certno,
    date,
    visitType,
    hospitalLevel,
    diagnosis,
    remote,
    medfee,
    ownPay,
    overLimit,
    preSelfPay,
  });
  return createHash('sha256').update(body, 'utf8').digest('hex');
}

/** The record as lines the engine splits back into the record's own split. */
export function billOf(r: OutsideRecord): Bill {
  const lines: BillLine[] = [];
  if (r.inScope + r.overLimit > 0) {
    lines.push({ amount: r.inScope + r.overLimit, class: 'A', overLimit: r.overLimit });
  }
  if (r.preSelfPay > 0) lines.push({ amount: r.preSelfPay, class: 'B', selfPayRatio: 10_000 });
  if (r.ownPay > 0) lines.push({ amount: r.ownPay, class: 'C' });
  return {
    date: r.date,
    visitType: r.visitType,
    hospitalLevel: r.hospitalLevel,
    diagnosis: r.diagnosis,
    remote: r.remote,
    lines,
  };
}

export const settleRequestOf = (r: OutsideRecord): SettleRequest => ({
  msgid: msgidOf(r.fixmedinsCode, r.recordNo),
  certno: r.certno,
  fixmedinsCode: r.fixmedinsCode,
  bill: billOf(r),
});
