/**
 * Fee detail transactions: 2204/2301 upload (classed by the catalogue, answered per line) and
 * 2205/2302 cancel. Lines of a settled visit cannot change: cancel the settlement first.
 */
import type { Queryable } from '../db/db.ts';
import { mappingsOf, versionsOf } from '../catalogue/index.ts';
import type { Call, Handler } from './call.ts';
import { fault } from './fault.ts';
import { classLines, feeResult, readFee } from './fees.ts';
import { Fields } from './fields.ts';
import { deleteFees, existingFees, insertFees, type VisitRow } from './repository.ts';
import { unsettled, visitOf } from './visits.ts';

function upload(kind: VisitRow['kind']): Handler {
  return {
    kind: 'write',
    async run(c: Call, tx: Queryable) {
      const lines = new Fields(c.env.input, 'input').list('feedetail');
      const fees = lines.map(readFee);
      const first = lines[0]!;
      const v = await visitOf(tx, c, first, kind, true);
      unsettled(v, first.at('mdtrt_id'));
      const seen = new Set<string>();
      fees.forEach((f) => {
        if (f.mdtrtId !== v.mdtrt_id || f.certno !== v.certno) {
          throw fault(`${f.path}.mdtrt_id`, '一次上传的费用明细应属于同一就诊（mdtrt_id、psn_no）');
        }
        if (seen.has(f.feedetlSn))
          throw fault(`${f.path}.feedetl_sn`, `费用明细流水号 ${f.feedetlSn} 重复`);
        seen.add(f.feedetlSn);
        if (f.feeOcurTime.slice(0, 10) < v.begntime.slice(0, 10)) {
          throw fault(`${f.path}.fee_ocur_time`, `费用发生时间早于就诊开始时间 ${v.begntime}`);
        }
      });
      const dup = await existingFees(tx, v.certno, v.mdtrt_id, [...seen]);
      const again = fees.find((f) => dup.has(f.feedetlSn));
      if (again) {
        throw fault(
          `${again.path}.feedetl_sn`,
          `费用明细流水号 ${again.feedetlSn} 已上传，请先撤销（${kind === 'outpatient' ? '2205' : '2302'}）`,
        );
      }
      const own = fees.flatMap((f) => (f.medListCodg === null ? [f.medinsListCodg!] : []));
      const mappings = await mappingsOf(tx, c.fix, own);
      const codes = [
        ...fees.flatMap((f) => (f.medListCodg ? [f.medListCodg] : [])),
        ...[...mappings.values()].map((m) => m.medListCodg),
      ];
      const classed = classLines(fees, await versionsOf(tx, codes), mappings);
      await insertFees(tx, classed);
      return { certno: v.certno, output: { result: classed.map(feeResult) } };
    },
  };
}

// 2205 门诊费用明细信息撤销: chrg_bchno "0000" (or none) cancels every line of the visit.
const outpatientCancel: Handler = {
  kind: 'write',
  async run(c, tx) {
    const d = new Fields(c.env.input, 'input').obj('data');
    const v = await visitOf(tx, c, d, 'outpatient', true);
    unsettled(v, d.at('mdtrt_id'));
    const batch = d.opt('chrg_bchno', 30);
    const n = await deleteFees(
      tx,
      v.certno,
      v.mdtrt_id,
      batch && batch !== '0000' ? { chrgBchno: batch } : {},
    );
    if (n === 0 && batch && batch !== '0000')
      throw fault(d.at('chrg_bchno'), `收费批次 ${batch} 没有费用明细`);
    return { certno: v.certno, output: {} };
  },
};

// 2302 住院费用明细撤销: one line by feedetl_sn, or "0000" for all of the stay.
const inpatientCancel: Handler = {
  kind: 'write',
  async run(c, tx) {
    const items = new Fields(c.env.input, 'input').list('data');
    let certno: string | null = null;
    for (const d of items) {
      const v = await visitOf(tx, c, d, 'inpatient', true);
      unsettled(v, d.at('mdtrt_id'));
      certno = v.certno;
      const sn = d.text('feedetl_sn', 30);
      const n = await deleteFees(tx, v.certno, v.mdtrt_id, sn === '0000' ? {} : { feedetlSn: sn });
      if (n === 0 && sn !== '0000') throw fault(d.at('feedetl_sn'), `没有费用明细 ${sn}`);
    }
    return { certno, output: {} };
  },
};

export const FEE_HANDLERS: Record<string, Handler> = {
  '2204': upload('outpatient'),
  '2205': outpatientCancel,
  '2301': upload('inpatient'),
  '2302': inpatientCancel,
};
