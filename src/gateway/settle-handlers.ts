/**
 * Pre-settlement, settlement and cancellation (2206/2207/2208 outpatient, 2303/2304/2305
 * inpatient) and the settlement query (5203). The gateway only translates: the bill is the
 * visit's classed fee lines, the settlement is the settlement service's, and the answer is its
 * stored result under the national names.
 *
 * A settlement's msgid is `gw:<fixmedins_code>:<msgid>` in the settlement service, which answers a
 * repeat with the first settlement; the visit is claimed by the first settlement message in the
 * same statement that reads it, so a second message cannot pay the same visit twice.
 */
import {
  hideExplain,
  viewFor,
  type SettlementView,
  type Bill,
  checkDiagnosis,
  explainJson,
  AMOUNT_FIELDS,
  type SettlementAmounts,
} from '../settlement/index.ts';
import {
  isPsychiatricDiagnosis,
  isSensitiveCategory,
  mayReadSensitive,
} from '../kernel/access/masking.ts';
import { fenToYuanNumber as yuan } from '../kernel/money.ts';
import { isTriguardError } from '../kernel/errors.ts';
import { MED_TYPE, VISIT_TYPES, type VisitType } from '../policy/index.ts';
import type { Call, Handler } from './call.ts';
import { dictionary } from './dictionary.ts';
import { answer, nationalTime, type Answer } from './envelope.ts';
import { fault, GatewayFault } from './fault.ts';
import { Fields, rethrow, type Json } from './fields.ts';
import {
  afterCancel,
  billSource,
  findMessage,
  findVisit,
  releaseClaim,
  unclaim,
  type BillSource,
  type MessageRow,
  type VisitRow,
} from './repository.ts';
import {
  invariantProblem,
  setldetail,
  setlinfo,
  type SettledView,
  type VisitFacts,
} from './translate.ts';

type Kind = VisitRow['kind'];

export const settlementMsgid = (fix: string, msgid: string) => `gw:${fix}:${msgid}`;

/** A msgid seen before: its first answer, or a refusal when another transaction used it. */
export function replay(c: Call, m: MessageRow): Answer {
  if (m.infno === c.env.infno && m.answer) return m.answer;
  throw fault('msgid', `msgid ${c.env.msgid} 已用于交易 ${m.infno}`);
}

const OUTPATIENT_TYPES: readonly VisitType[] = [
  'general_outpatient',
  'chronic_outpatient',
  'two_diseases',
];

function visitTypeOf(code: string, kind: Kind, field: string): VisitType {
  const t = VISIT_TYPES.find((v) => MED_TYPE[v] === code);
  const ok = t && (kind === 'inpatient' ? t === 'inpatient' : OUTPATIENT_TYPES.includes(t));
  if (!ok) throw fault(field, `${field} 不支持的医疗类别：${code}`);
  return t;
}

/** The bill of a visit, or the fault that says what is missing. */
function billOf(c: Call, d: Fields, src: BillSource, kind: Kind, settling: boolean): Bill {
  const v = src.visit;
  const id = d.text('mdtrt_id', 30);
  if (!v || v.fixmedins_code !== c.fix) throw fault(d.at('mdtrt_id'), `本机构没有就诊 ${id}`);
  if (v.kind !== kind)
    throw fault(d.at('mdtrt_id'), `就诊 ${id} 是${v.kind === 'inpatient' ? '住院' : '门诊'}就诊`);
  if (v.status === 'cancelled') throw fault(d.at('mdtrt_id'), `就诊 ${id} 已撤销`);
  const held = v.settle_msgid !== null && (!settling || v.settle_msgid !== c.env.msgid);
  if (held)
    throw fault(d.at('mdtrt_id'), `就诊 ${id} 已结算（报文 ${v.settle_msgid}），请先撤销结算`);
  if (!src.institution) {
    throw fault(
      'fixmedins_code',
      `定点医药机构 ${c.fix} 未在 Triguard 登记医院等级（gateway_institution）`,
    );
  }
  if (src.lines.length === 0) {
    throw fault(
      d.at('mdtrt_id'),
      `就诊 ${id} 没有费用明细，请先上传（${kind === 'outpatient' ? '2204' : '2301'}）`,
    );
  }
  const sum = d.yuan('medfee_sumamt');
  if (sum !== src.total) {
    throw fault(
      d.at('medfee_sumamt'),
      `medfee_sumamt ${yuan(sum)} 与已上传费用明细合计 ${yuan(src.total)} 不符`,
    );
  }
  const medType = d.opt('med_type', 10) ?? v.med_type ?? (kind === 'inpatient' ? '21' : '11');
  const visitType = visitTypeOf(medType, kind, d.has('med_type') ? d.at('med_type') : 'med_type');
  if (!v.dise_codg) {
    throw fault(
      kind === 'outpatient' ? 'mdtrtinfo.dise_codg' : 'dscginfo.dise_codg',
      `就诊 ${id} 没有主诊断，请先上传${kind === 'outpatient' ? '就诊信息（2203）' : '出院信息（2402）'}`,
    );
  }
  let date: string;
  if (kind === 'outpatient') date = v.begntime.slice(0, 10);
  else if (v.endtime) date = v.endtime.slice(0, 10);
  else if (settling)
    throw fault(d.at('mdtrt_id'), `就诊 ${id} 未办理出院（2402），不能结算；中途结算不支持`);
  else date = (src.lastFee ?? v.begntime).slice(0, 10);
  return {
    date,
    visitType,
    hospitalLevel: src.institution.hosp_lv,
    diagnosis: rethrow(() => checkDiagnosis(v.dise_codg, 'dise_codg')),
    remote: null,
    lines: src.lines,
  };
}

/**
 * A refusal that names a line of the bill (`bill.lines[2].days`, `bill.lines[2]`: a two-diseases
 * prescription too long, a drug off the list or renewed too early) names the fee detail it came
 * from, by its feedetl_sn: the days as `prd_days`, the item as `med_list_codg`.
 */
function lineFault(e: unknown, sns: readonly string[]): unknown {
  if (!isTriguardError(e) || e.field === null) return e;
  const m = /^bill\.lines\[(\d+)\](\.days)?$/.exec(e.field);
  const sn = m ? sns[Number(m[1])] : undefined;
  if (!m || sn === undefined) return e;
  return fault(`feedetail[feedetl_sn=${sn}].${m[2] ? 'prd_days' : 'med_list_codg'}`, e.messages.zh);
}

const toFen = (n: number) => Math.round(n * 100);

/** The stored settlement as the gateway answers it (amounts back to fen, exactly). */
function fromView(v: SettlementView): SettledView {
  const amounts = Object.fromEntries(
    AMOUNT_FIELDS.map((k) => [k, toFen(v.amounts[k] ?? 0)]),
  ) as unknown as SettlementAmounts;
  // The hospital's waiver, when a post-tier step applied (docs/settlement.md §9).
  if (v.amounts.hosp_part_amt !== undefined) amounts.hosp_part_amt = toFen(v.amounts.hosp_part_amt);
  return {
    settlementId: v.settlementId,
    kind: v.kind,
    amounts,
    tiers: v.explain.map((e) => ({
      tier: e.tier,
      base: toFen(e.base),
      room: smallestRoom(e.caps.map((x) => x.roomBefore)),
      text: e.text.zh,
    })),
    date: v.date,
    visitType: v.visitType as VisitType,
    createdAt: v.createdAt,
  };
}

function smallestRoom(rooms: readonly (number | null)[]): number | null {
  const known = rooms.filter((r): r is number => r !== null);
  return known.length ? toFen(Math.min(...known)) : null;
}

/** Database time text (`2022-03-15 08:00:00.123+00`) → the platform's time. */
function dbTime(t: string): string {
  const iso = t.replace(' ', 'T').replace(/([+-]\d{2})$/, '$1:00');
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? t : nationalTime(d);
}

async function settlementOutput(
  c: Call,
  s: SettledView,
  facts: VisitFacts,
  settledAt: string,
): Promise<Json> {
  const info = setlinfo(s, facts, settledAt);
  if (s.settlementId === 0) info.setl_id = null;
  const detail = setldetail(s, await dictionary(c.db));
  const broken = invariantProblem(info, detail);
  if (broken) throw new Error(`settlement answer breaks a §7 invariant: ${broken}`);
  return { setlinfo: info, setldetail: detail };
}

function settle(kind: Kind, mode: 'presettle' | 'settle'): Handler {
  return {
    kind: 'own',
    async run(c) {
      const d = new Fields(c.env.input, 'input').obj('data');
      const certno = d.certno();
      const mdtrtId = d.text('mdtrt_id', 30);
      const settling = mode === 'settle';
      if (kind === 'inpatient' && settling && d.opt('mid_setl_flag', 2) === '1') {
        throw fault(d.at('mid_setl_flag'), '不支持中途结算');
      }
      const src = await billSource(c.db, c.fix, certno, mdtrtId, settling ? c.env.msgid : null);
      if (src.message) return replay(c, src.message);
      const gwMsgid = settlementMsgid(c.fix, c.env.msgid);
      try {
        const bill = billOf(c, d, src, kind, settling);
        if (settling && !src.claimed) {
          throw fault(d.at('mdtrt_id'), `就诊 ${mdtrtId} 正由其他报文结算`);
        }
        const facts: VisitFacts = {
          mdtrtId,
          certno,
          psnName: src.visit!.psn_name,
          msgid: c.env.msgid,
          admdvs: c.env.insuplcAdmdvs ?? src.institution!.admdvs,
        };
        // 2401's begntime and 2402's endtime are the stay per bed-day payment reads.
        const stay =
          kind === 'inpatient' && src.visit!.endtime
            ? { admission: src.visit!.begntime.slice(0, 10), discharge: bill.date }
            : null;
        const req = { msgid: settling ? gwMsgid : null, certno, fixmedinsCode: c.fix, bill, stay };
        if (!settling) {
          const pre = await c.settlements.presettle(c.actor, req);
          const sensitive =
            isPsychiatricDiagnosis(bill.diagnosis) || pre.categories.some(isSensitiveCategory);
          const explain = pre.settlement.explain.map(explainJson);
          const shown =
            sensitive && !mayReadSensitive(c.actor) ? explain.map(hideExplain) : explain;
          const view: SettledView = {
            settlementId: 0,
            kind: 'settle',
            amounts: pre.settlement.amounts,
            tiers: shown.map((e) => ({
              tier: e.tier,
              base: toFen(e.base),
              room: smallestRoom(e.caps.map((x) => x.roomBefore)),
              text: e.text.zh,
            })),
            date: bill.date,
            visitType: bill.visitType,
            createdAt: '',
          };
          const out = await settlementOutput(c, view, facts, nationalTime(c.received));
          return answer(c.received, out);
        }
        const view = viewFor(c.actor, await c.settlements.settle(c.actor, req));
        // A repeat of a settlement cancelled since: the first answer, and the visit stays free.
        if (view.status === 'cancelled') await unclaim(c.db, certno, mdtrtId, c.env.msgid);
        const s = fromView(view);
        return answer(c.received, await settlementOutput(c, s, facts, dbTime(view.createdAt)));
      } catch (e) {
        if (settling && src.claimed)
          await releaseClaim(c.db, certno, mdtrtId, c.env.msgid, gwMsgid);
        throw lineFault(e, src.sns);
      }
    },
  };
}

function cancel(kind: Kind): Handler {
  return {
    kind: 'own',
    async run(c) {
      const d = new Fields(c.env.input, 'input').obj('data');
      const certno = d.certno();
      const mdtrtId = d.text('mdtrt_id', 30);
      const setlId = d.text('setl_id', 20);
      if (!/^\d{1,15}$/.test(setlId))
        throw fault(d.at('setl_id'), `${d.at('setl_id')} 无效：${setlId}`);
      const seen = await findMessage(c.db, c.fix, c.env.msgid);
      if (seen) return replay(c, seen);
      const v = await findVisit(c.db, certno, mdtrtId);
      if (!v || v.fixmedins_code !== c.fix || v.kind !== kind) {
        throw fault(
          d.at('mdtrt_id'),
          `本机构没有${kind === 'inpatient' ? '住院' : '门诊'}就诊 ${mdtrtId}`,
        );
      }
      const row = await c.settlements.row(c.actor, Number(setlId)).catch((e: unknown) => {
        throw e instanceof GatewayFault ? e : fault(d.at('setl_id'), `没有结算 ${setlId}`);
      });
      const own = row.certno === certno && row.kind === 'settle';
      const ofVisit =
        v.settle_msgid === null
          ? row.cancelled_by !== null
          : row.msgid === settlementMsgid(c.fix, v.settle_msgid);
      if (!own || !ofVisit)
        throw fault(d.at('setl_id'), `结算 ${setlId} 不是就诊 ${mdtrtId} 的结算`);
      const mirror = await c.settlements.cancel(
        c.actor,
        row.settlement_id,
        settlementMsgid(c.fix, c.env.msgid),
        `医院信息系统撤销结算（${c.env.infno}，报文 ${c.env.msgid}）`,
      );
      const s = fromView(viewFor(c.actor, mirror));
      const facts: VisitFacts = {
        mdtrtId,
        certno,
        psnName: v.psn_name,
        msgid: c.env.msgid,
        admdvs: c.env.insuplcAdmdvs ?? c.regionCode,
      };
      const a = answer(c.received, await settlementOutput(c, s, facts, dbTime(mirror.createdAt)));
      const cancelled = row.msgid.slice(settlementMsgid(c.fix, '').length);
      await afterCancel(
        c.db,
        { fixmedinsCode: c.fix, msgid: c.env.msgid, infno: c.env.infno, certno },
        mdtrtId,
        cancelled,
        a,
      );
      return (await findMessage(c.db, c.fix, c.env.msgid))?.answer ?? a;
    },
  };
}

// 5203 结算信息查询
const query: Handler = {
  kind: 'read',
  async run(c) {
    const d = new Fields(c.env.input, 'input').obj('data');
    const certno = d.certno();
    const setlId = d.text('setl_id', 20);
    if (!/^\d{1,15}$/.test(setlId))
      throw fault(d.at('setl_id'), `${d.at('setl_id')} 无效：${setlId}`);
    const view = await c.settlements.get(c.actor, Number(setlId)).catch(() => {
      throw fault(d.at('setl_id'), `没有结算 ${setlId}`);
    });
    if (view.certno !== certno) throw fault(d.at('psn_no'), `结算 ${setlId} 不属于该参保人`);
    const mdtrtId = d.opt('mdtrt_id', 30);
    const v = mdtrtId ? await findVisit(c.db, certno, mdtrtId) : null;
    if (mdtrtId && (!v || v.fixmedins_code !== c.fix))
      throw fault(d.at('mdtrt_id'), `本机构没有就诊 ${mdtrtId}`);
    const facts: VisitFacts = {
      mdtrtId: mdtrtId ?? '',
      certno,
      psnName: v?.psn_name ?? '',
      msgid: view.msgid.startsWith('gw:') ? view.msgid.split(':').slice(2).join(':') : view.msgid,
      admdvs: c.env.insuplcAdmdvs ?? c.regionCode,
    };
    const s = fromView(viewFor(c.actor, view));
    return { certno, output: await settlementOutput(c, s, facts, dbTime(view.createdAt)) };
  },
};

export const SETTLE_HANDLERS: Record<string, Handler> = {
  '2206': settle('outpatient', 'presettle'),
  '2207': settle('outpatient', 'settle'),
  '2208': cancel('outpatient'),
  '2303': settle('inpatient', 'presettle'),
  '2304': settle('inpatient', 'settle'),
  '2305': cancel('inpatient'),
  '5203': query,
};
