/**
 * Sign-in, catalogue mapping and reconciliation: 9001 签到, 3301/3302 目录对照上传/撤销,
 * 3201 对总账 and 3202 对明细账 of an institution's settlements.
 */
import { randomBytes } from 'node:crypto';
import {
  deleteMapping,
  upsertMappings,
  versionsOf,
  parseListType,
  type CatalogueMapping,
} from '../catalogue/index.ts';
import { fenToYuanNumber as yuan, type Fen } from '../kernel/money.ts';
import { MED_TYPE, VISIT_TYPES, type VisitType } from '../policy/index.ts';
import type { Call, Handler } from './call.ts';
import { nationalTime, stamp } from './envelope.ts';
import { fault } from './fault.ts';
import { Fields, rethrow, type Json } from './fields.ts';
import { institutionSettlements, institutionTotals } from './repository.ts';

const input = (c: Call) => new Fields(c.env.input, 'input');

// 9001 签到
const signIn: Handler = {
  kind: 'read',
  async run(c) {
    const s = input(c).optObj('signIn');
    s?.opt('opter_no', 50);
    return {
      certno: null,
      output: {
        signinoutb: {
          sign_time: nationalTime(c.received),
          sign_no: `SN${stamp(c.received)}${randomBytes(3).toString('hex')}`,
        },
      },
    };
  },
};

// 3301 目录对照上传
const mappingUpload: Handler = {
  kind: 'write',
  async run(c, tx) {
    const rows = input(c).list('data');
    const codes = rows.map((r) => r.text('med_list_codg', 50));
    const stored = await versionsOf(tx, codes);
    const seen = new Set<string>();
    const mappings: CatalogueMapping[] = rows.map((r, i) => {
      const own = r.text('fixmedins_hilist_id', 50);
      if (seen.has(own)) throw fault(r.at('fixmedins_hilist_id'), `${own} 在本次上传中重复`);
      seen.add(own);
      const versions = stored.get(codes[i]!);
      if (!versions?.length) throw fault(r.at('med_list_codg'), `医保目录中没有编码 ${codes[i]}`);
      const listType = r.has('list_type')
        ? rethrow(() => parseListType(r.text('list_type', 10), r.at('list_type')))
        : versions[0]!.listType;
      if (listType !== versions[0]!.listType) {
        throw fault(r.at('list_type'), `与医保目录中 ${codes[i]} 的目录类别不一致`);
      }
      return {
        fixmedinsCode: c.fix,
        medinsListCodg: own,
        medinsListName: r.text('fixmedins_hilist_name', 200),
        medListCodg: codes[i]!,
        listType,
        begndate: r.has('begndate') ? r.date('begndate') : versions[0]!.begndate,
        enddate: r.has('enddate') ? r.date('enddate') : null,
      };
    });
    await upsertMappings(tx, mappings);
    return { certno: null, output: {} };
  },
};

// 3302 目录对照撤销
const mappingRevoke: Handler = {
  kind: 'write',
  async run(c, tx) {
    const d = input(c).obj('data');
    const own = d.text('fixmedins_hilist_id', 50);
    const code = d.text('med_list_codg', 50);
    if (d.has('fixmedins_code') && d.text('fixmedins_code') !== c.fix) {
      throw fault(d.at('fixmedins_code'), `${d.at('fixmedins_code')} 与报文 fixmedins_code 不一致`);
    }
    if (!(await deleteMapping(tx, c.fix, own, code))) {
      throw fault(d.at('fixmedins_hilist_id'), `没有 ${own} → ${code} 的目录对照`);
    }
    return { certno: null, output: {} };
  },
};

/** clr_type → the visit types it reconciles (null: all). */
function visitTypesOf(d: Fields): VisitType[] | null {
  const t = d.opt('clr_type', 10);
  if (t === null) return null;
  const found = VISIT_TYPES.filter((v) => MED_TYPE[v] === t);
  if (found.length === 0)
    throw fault(d.at('clr_type'), `${d.at('clr_type')} 不支持的清算类别：${t}`);
  return found;
}

function period(d: Fields): [string, string] {
  const from = d.date('stmt_begndate');
  const to = d.date('stmt_enddate');
  if (to < from) throw fault(d.at('stmt_enddate'), `${d.at('stmt_enddate')} 早于 stmt_begndate`);
  return [from, to];
}

const count = (d: Fields, key: string): number => {
  const t = d.text(key, 12);
  if (!/^\d+$/.test(t)) throw fault(d.at(key), `${d.at(key)} 应为非负整数：${t}`);
  return Number(t);
};

// 3201 医药机构费用结算对总账: compares, changes nothing.
const reconcileTotals: Handler = {
  kind: 'read',
  async run(c) {
    const d = input(c).obj('data');
    const [from, to] = period(d);
    const theirs = {
      medfee: d.yuan('medfee_sumamt'),
      fund: d.yuan('fund_pay_sumamt'),
      acct: d.has('acct_pay') ? d.yuan('acct_pay') : 0,
      count: count(d, 'fixmedins_setl_cnt'),
    };
    const ours = await institutionTotals(c.db, c.fix, from, to, visitTypesOf(d));
    const diffs: string[] = [];
    const cmp = (name: string, a: Fen, b: Fen) => {
      if (a !== b) diffs.push(`${name} 医药机构 ${yuan(a)}，中心 ${yuan(b)}`);
    };
    cmp('medfee_sumamt', theirs.medfee, ours.medfee);
    cmp('fund_pay_sumamt', theirs.fund, ours.fund);
    cmp('acct_pay', theirs.acct, 0);
    if (theirs.count !== ours.count) {
      diffs.push(`fixmedins_setl_cnt 医药机构 ${theirs.count}，中心 ${ours.count}`);
    }
    return {
      certno: null,
      output: {
        stmtinfo: {
          setl_optins: d.opt('setl_optins', 12),
          stmt_rslt: diffs.length === 0 ? '0' : '1',
          stmt_rslt_dscr: diffs.length === 0 ? '对账平' : `对账不平：${diffs.join('；')}`,
          medfee_sumamt: yuan(ours.medfee),
          fund_pay_sumamt: yuan(ours.fund),
          acct_pay: 0,
          psn_cash_pay: yuan(ours.cash),
          fixmedins_setl_cnt: ours.count,
        },
      },
    };
  },
};

// 3202 医药机构费用结算对明细账: the HIS's detail lines inline (the platform takes a file).
const reconcileDetails: Handler = {
  kind: 'read',
  async run(c) {
    const root = input(c);
    const d = root.obj('data');
    const [from, to] = period(d);
    const theirs = root.list('detail', false).map((r) => ({
      path: r.path,
      setlId: r.text('setl_id', 20),
      certno: r.certno(),
      medfee: r.yuan('medfee_sumamt'),
      fund: r.yuan('fund_pay_sumamt'),
    }));
    const ours = await institutionSettlements(c.db, c.fix, from, to);
    const byId = new Map(ours.map((s) => [String(s.settlement_id), s]));
    const out: Json[] = [];
    const matched = new Set<string>();
    for (const t of theirs) {
      const s = byId.get(t.setlId);
      matched.add(t.setlId);
      const memo = !s
        ? '中心无此结算'
        : s.certno !== t.certno
          ? `psn_no 不符：中心 ${s.certno}`
          : s.medfee_sumamt !== t.medfee
            ? `medfee_sumamt 不符：中心 ${yuan(s.medfee_sumamt)}`
            : s.fund_pay_sumamt !== t.fund
              ? `fund_pay_sumamt 不符：中心 ${yuan(s.fund_pay_sumamt)}`
              : null;
      if (memo) out.push({ setl_id: t.setlId, psn_no: t.certno, stmt_rslt: '1', memo });
    }
    for (const s of ours) {
      if (!matched.has(String(s.settlement_id))) {
        out.push({
          setl_id: String(s.settlement_id),
          psn_no: s.certno,
          stmt_rslt: '1',
          memo:
            s.kind === 'cancel'
              ? `医药机构缺少撤销记录（撤销结算 ${s.original_id}）`
              : '医药机构无此结算',
        });
      }
    }
    return {
      certno: null,
      output: {
        stmtinfo: {
          stmt_rslt: out.length === 0 ? '0' : '1',
          stmt_rslt_dscr: out.length === 0 ? '明细对账平' : `明细不符 ${out.length} 条`,
          fixmedins_setl_cnt: ours.length,
        },
        detail: out,
      },
    };
  },
};

export const ADMIN_HANDLERS: Record<string, Handler> = {
  '9001': signIn,
  '3301': mappingUpload,
  '3302': mappingRevoke,
  '3201': reconcileTotals,
  '3202': reconcileDetails,
};
