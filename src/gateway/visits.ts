/**
 * Person and visit transactions: 1101 person info, 2201/2202 outpatient registration and its
 * cancel, 2203 outpatient visit info, 2401/2402 admission and discharge, 2503 chronic-disease
 * filing and 2504 its cancellation, 5206 person accumulators.
 */
import { appendAudit } from '../audit/index.ts';
import { recordInstitutionPatient } from '../auth/index.ts';
import { maskSensitiveFlags } from '../kernel/access/masking.ts';
import type { Queryable } from '../db/db.ts';
import { isTriguardError } from '../kernel/errors.ts';
import { checkDiagnosis } from '../settlement/index.ts';
import { loadRecord, enrolmentCovers, type PersonRecord } from '../registry/index.ts';
import type { Call, Handler, Result } from './call.ts';
import { dictionary } from './dictionary.ts';
import { fault } from './fault.ts';
import { Fields, rethrow, type Json } from './fields.ts';
import {
  cancelGatewayFiling,
  findGatewayFiling,
  findVisit,
  insertFiling,
  insertVisit,
  nextMdtrtId,
  updateVisit,
  type VisitRow,
} from './repository.ts';
import { ageOn, cuminfo, idetinfo } from './translate.ts';
import { nationalTime } from './envelope.ts';

/** Today in China, or the message's own time: the date a look-up is "as of". */
export function messageDate(c: Call): string {
  const t = c.env.infTime;
  if (t && /^\d{4}-\d{2}-\d{2}/.test(t)) return t.slice(0, 10);
  return nationalTime(c.received).slice(0, 10);
}

/** A person of the institution's region, as the ID card at the window identifies them. */
export async function personAt(c: Call, q: Queryable, certno: string, field: string) {
  const rec = await loadRecord(q, { kind: 'region', regionCode: c.regionCode }, certno);
  if (!rec) throw fault(field, `查无此参保人：${certno.slice(0, 6)}…（不在本统筹区登记）`);
  return rec;
}

function checkAliveOn(rec: PersonRecord, date: string, field: string) {
  const p = rec.person;
  if (p.status === 'deceased' && p.deathDate !== null && p.deathDate < date) {
    throw fault(field, `参保人已于 ${p.deathDate} 死亡`);
  }
}

const input = (c: Call) => new Fields(c.env.input, 'input');

// 1101 人员信息获取
const personInfo: Handler = {
  kind: 'read',
  async run(c) {
    const d = input(c).obj('data');
    const key = d.has('certno') ? 'certno' : 'mdtrt_cert_no';
    const certno = d.certno(key);
    const rec = await personAt(c, c.db, certno, d.at(key));
    const name = d.opt('psn_name', 50);
    if (name !== null && name !== rec.person.name) {
      throw fault(d.at('psn_name'), `${d.at('psn_name')} 与身份证号登记的姓名不符`);
    }
    const date = messageDate(c);
    const month = date.slice(0, 7);
    const flags = maskSensitiveFlags(c.actor, rec.flags).filter(
      (f) =>
        (f.toMonth === null || f.toMonth >= month) &&
        (f.toMonth === null || f.toMonth >= f.fromMonth),
    );
    const dict = await dictionary(c.db);
    const p = rec.person;
    return {
      certno,
      output: {
        baseinfo: {
          psn_no: certno,
          psn_cert_type: '01',
          certno,
          psn_name: p.name,
          gend: p.gender === 'female' ? '2' : '1',
          naty: null,
          brdy: p.birthDate,
          age: ageOn(p.birthDate, date),
          psn_stas: p.status === 'deceased' ? '2' : '1',
        },
        insuinfo: rec.enrolments
          .filter((e) => e.scheme === 'resident')
          .map((e) => ({
            balc: 0,
            insutype: '390',
            psn_type: '1501',
            psn_insu_stas: enrolmentCovers(e, date) ? '1' : '0',
            psn_insu_date: e.benefitFrom,
            paus_insu_date: e.benefitTo,
            cvlserv_flag: '0',
            insuplc_admdvs: p.regionCode.slice(0, 6),
            emp_name: null,
            year: e.medicalYear,
          })),
        idetinfo: idetinfo(flags, dict),
      },
    };
  },
};

/** The visit of this institution named by the message, or a fault naming mdtrt_id. */
export async function visitOf(
  q: Queryable,
  c: Call,
  d: Fields,
  kind: VisitRow['kind'],
  lock = false,
): Promise<VisitRow> {
  const certno = d.certno();
  const id = d.text('mdtrt_id', 30);
  const v = await findVisit(q, certno, id, lock);
  if (!v || v.fixmedins_code !== c.fix) {
    throw fault(d.at('mdtrt_id'), `本机构没有就诊 ${id}（psn_no 与 mdtrt_id 不匹配）`);
  }
  if (v.kind !== kind) {
    throw fault(d.at('mdtrt_id'), `就诊 ${id} 是${v.kind === 'inpatient' ? '住院' : '门诊'}就诊`);
  }
  if (v.status === 'cancelled') throw fault(d.at('mdtrt_id'), `就诊 ${id} 已撤销`);
  return v;
}

export function unsettled(v: VisitRow, field: string) {
  if (v.settle_msgid !== null) {
    throw fault(field, `就诊 ${v.mdtrt_id} 已结算，请先撤销结算`);
  }
}

/** The main diagnosis: the visit block's dise_codg, else the diagnosis list's first main one. */
function mainDiagnosis(info: Fields, list: Fields[]): { code: string; name: string | null } | null {
  if (info.has('dise_codg')) {
    return {
      code: rethrow(() => checkDiagnosis(info.o.dise_codg, info.at('dise_codg'))),
      name: info.opt('dise_name'),
    };
  }
  const main =
    list.find((x) => x.opt('maindiag_flag') === '1') ??
    list.find((x) => x.opt('diag_srt_no') === '1') ??
    list[0];
  if (!main) return null;
  return {
    code: rethrow(() => checkDiagnosis(main.o.diag_code, main.at('diag_code'))),
    name: main.opt('diag_name'),
  };
}

async function register(
  c: Call,
  tx: Queryable,
  kind: VisitRow['kind'],
  info: Fields,
  dise: { code: string; name: string | null } | null,
  medType: string | null,
  iptOtpNo: string | null,
): Promise<Result> {
  const certno = info.certno();
  const begntime = info.time('begntime');
  const rec = await personAt(c, tx, certno, info.at('psn_no'));
  checkAliveOn(rec, begntime.slice(0, 10), info.at('begntime'));
  const mdtrtId = await nextMdtrtId(tx);
  await insertVisit(tx, {
    certno,
    mdtrt_id: mdtrtId,
    fixmedins_code: c.fix,
    kind,
    psn_name: rec.person.name,
    ipt_otp_no: iptOtpNo,
    med_type: medType,
    begntime,
    dise_codg: dise?.code ?? null,
    dise_name: dise?.name ?? null,
  });
  // The patient presented their ID card here: they are now this institution's patient (scope).
  await recordInstitutionPatient(tx, c.fix, certno, begntime.slice(0, 10));
  return {
    certno,
    output:
      kind === 'outpatient'
        ? { data: { mdtrt_id: mdtrtId, psn_no: certno, ipt_otp_no: iptOtpNo, exp_content: '' } }
        : { result: { mdtrt_id: mdtrtId, psn_no: certno, ipt_otp_no: iptOtpNo } },
  };
}

// 2201 门诊挂号
const outpatientRegister: Handler = {
  kind: 'write',
  run(c, tx) {
    const d = input(c).obj('data');
    return register(c, tx, 'outpatient', d, null, null, d.opt('ipt_otp_no', 30));
  },
};

// 2202 门诊挂号撤销
const outpatientUnregister: Handler = {
  kind: 'write',
  async run(c, tx) {
    const d = input(c).obj('data');
    const v = await visitOf(tx, c, d, 'outpatient', true);
    unsettled(v, d.at('mdtrt_id'));
    await updateVisit(tx, v.certno, v.mdtrt_id, { status: 'cancelled' });
    return { certno: v.certno, output: {} };
  },
};

const OUTPATIENT_MED_TYPES = ['11', '14', '9901'];

function medTypeOf(f: Fields, allowed: readonly string[]): string | null {
  const t = f.opt('med_type', 10);
  if (t !== null && !allowed.includes(t)) {
    throw fault(
      f.at('med_type'),
      `${f.at('med_type')} 不支持的医疗类别：${t}（支持 ${allowed.join('/')}）`,
    );
  }
  return t;
}

// 2203 门诊就诊信息上传
const outpatientVisitInfo: Handler = {
  kind: 'write',
  async run(c, tx) {
    const info = input(c).obj('mdtrtinfo');
    const v = await visitOf(tx, c, info, 'outpatient', true);
    unsettled(v, info.at('mdtrt_id'));
    const dise = mainDiagnosis(info, input(c).list('diseinfo', false));
    if (!dise)
      throw fault(info.at('dise_codg'), `${info.at('dise_codg')} 不能为空（或上传 diseinfo）`);
    await updateVisit(tx, v.certno, v.mdtrt_id, {
      med_type: medTypeOf(info, OUTPATIENT_MED_TYPES) ?? v.med_type ?? '11',
      dise_codg: dise.code,
      dise_name: dise.name,
      begntime: info.has('begntime') ? info.time('begntime') : undefined,
    });
    return { certno: v.certno, output: {} };
  },
};

// 2401 入院办理
const admission: Handler = {
  kind: 'write',
  run(c, tx) {
    const info = input(c).obj('mdtrtinfo');
    const medType = medTypeOf(info, ['21']) ?? '21';
    // The admission diagnosis may still be open; the discharge (2402) gives the main one.
    const dise = mainDiagnosis(info, input(c).list('diseinfo', false));
    return register(c, tx, 'inpatient', info, dise, medType, info.opt('ipt_no', 30));
  },
};

// 2402 出院办理
const discharge: Handler = {
  kind: 'write',
  async run(c, tx) {
    const info = input(c).obj('dscginfo');
    const v = await visitOf(tx, c, info, 'inpatient', true);
    unsettled(v, info.at('mdtrt_id'));
    const endtime = info.time('endtime');
    if (endtime < v.begntime)
      throw fault(info.at('endtime'), `${info.at('endtime')} 早于入院时间 ${v.begntime}`);
    const dise = mainDiagnosis(info, input(c).list('diseinfo', false));
    if (!dise && !v.dise_codg)
      throw fault(info.at('dise_codg'), `${info.at('dise_codg')} 不能为空（出院主诊断）`);
    await updateVisit(tx, v.certno, v.mdtrt_id, {
      status: 'discharged',
      endtime,
      dise_codg: dise?.code ?? v.dise_codg,
      dise_name: dise?.name ?? v.dise_name,
    });
    return { certno: v.certno, output: {} };
  },
};

/**
 * The chronic service's errors name its own fields; a 2503/2504 names the national ones.
 */
function chronicFault(e: unknown, d: Fields): unknown {
  if (!isTriguardError(e)) return e;
  const f = e.field ?? '';
  const national =
    f.startsWith('diseases') || f === 'disease' || f === 'opsp_dise_code'
      ? d.at('opsp_dise_code')
      : f === 'acceptedOn' || f === 'validFrom' || f === 'begndate'
        ? d.at('begndate')
        : f === 'fixmedinsCode'
          ? 'fixmedins_code'
          : f === 'certno'
            ? d.at('psn_no')
            : f === 'trt_dcla_detl_sn'
              ? d.at('trt_dcla_detl_sn')
              : d.path;
  return fault(national, e.messages.zh);
}

// 2503 人员慢特病备案: a catalogue disease's national code makes an application for expert
// review, a two-diseases code a filing at the sending institution (docs/chronic.md §12).
const chronicFiling: Handler = {
  kind: 'write',
  async run(c, tx) {
    const d = input(c).obj('data');
    const certno = d.certno();
    await personAt(c, tx, certno, d.at('psn_no'));
    const code = d.text('opsp_dise_code', 30);
    const name = d.text('opsp_dise_name', 100);
    const begndate = d.date('begndate');
    const enddate = d.has('enddate') ? d.date('enddate') : null;
    if (enddate !== null && enddate < begndate)
      throw fault(d.at('enddate'), `${d.at('enddate')} 早于 begndate`);
    const filing: Json = { ...d.o, fixmedins_code: c.fix };
    const sn = await insertFiling(tx, {
      certno,
      fixmedinsCode: c.fix,
      code,
      name,
      begndate,
      enddate,
      filing,
    });
    const made = await c.chronic
      .fileFromGateway(
        tx,
        c.actor,
        { kind: 'region', regionCode: c.regionCode },
        {
          certno,
          nationalCode: code,
          nationalName: name,
          begndate,
          enddate,
          fixmedinsCode: c.fix,
          sn,
          date: messageDate(c),
        },
      )
      .catch((e: unknown) => {
        throw chronicFault(e, d);
      });
    await appendAudit(tx, {
      actor: c.actor,
      action: 'gateway.chronic.file',
      entity: 'chronic_filing',
      entityId: sn,
      certno,
      after: {
        opsp_dise_code: code,
        opsp_dise_name: name,
        begndate,
        enddate,
        fixmedins_code: c.fix,
        [made.kind === 'application' ? 'application_id' : 'filing_id']: made.id,
      },
    });
    return { certno, output: { result: { trt_dcla_detl_sn: sn } } };
  },
};

// 2504 人员慢特病备案撤销: withdraws the application a 2503 made while it is still open, or
// ends the two-diseases filing it made on the message's date.
const chronicFilingCancel: Handler = {
  kind: 'write',
  async run(c, tx) {
    const d = input(c).obj('data');
    const certno = d.certno();
    const sn = d.text('trt_dcla_detl_sn', 30);
    const memo = d.opt('memo', 200);
    const f = await findGatewayFiling(tx, certno, sn);
    if (!f || f.fixmedins_code !== c.fix) {
      throw fault(d.at('trt_dcla_detl_sn'), `${d.at('trt_dcla_detl_sn')} 本机构没有此备案：${sn}`);
    }
    if (f.cancelled) throw fault(d.at('trt_dcla_detl_sn'), `备案 ${sn} 已撤销`);
    await c.chronic
      .cancelFromGateway(tx, c.actor, { certno, sn, date: messageDate(c), memo })
      .catch((e: unknown) => {
        throw chronicFault(e, d);
      });
    await cancelGatewayFiling(tx, certno, sn);
    await appendAudit(tx, {
      actor: c.actor,
      action: 'gateway.chronic.cancel',
      entity: 'chronic_filing',
      entityId: sn,
      certno,
      before: { opsp_dise_code: f.opsp_dise_code, fixmedins_code: f.fixmedins_code },
      after: { cancelled: true },
      reason: memo ?? '2504 备案撤销',
    });
    return { certno, output: {} };
  },
};

// 5206 人员累计信息查询
const accumulators: Handler = {
  kind: 'read',
  async run(c) {
    const d = input(c).obj('data');
    const certno = d.certno();
    const ym = d.opt('cum_ym', 8);
    if (ym !== null && !/^\d{4}(-?\d{2})?$/.test(ym))
      throw fault(d.at('cum_ym'), `${d.at('cum_ym')} 应为 yyyyMM：${ym}`);
    const year = Number((ym ?? messageDate(c)).slice(0, 4));
    const acc = await c.settlements.accumulators(c.actor, certno, year);
    return { certno, output: { cuminfo: cuminfo(acc, await dictionary(c.db)) } };
  },
};

export const VISIT_HANDLERS: Record<string, Handler> = {
  '1101': personInfo,
  '2201': outpatientRegister,
  '2202': outpatientUnregister,
  '2203': outpatientVisitInfo,
  '2401': admission,
  '2402': discharge,
  '2503': chronicFiling,
  '2504': chronicFilingCancel,
  '5206': accumulators,
};
