/**
 * The national message envelope (docs/settlement.md §7): what a HIS sends —
 * `{infno, msgid, mdtrtarea_admvs, insuplc_admdvs, recer_sys_code, infver, opter_type, opter,
 * opter_name, inf_time, fixmedins_code, fixmedins_name, sign_no, input}` — and what it gets back:
 * `{infcode, inf_refmsgid, refmsg_time, respond_time, err_msg, output}`.
 */
import { randomBytes } from 'node:crypto';
import { fault } from './fault.ts';
import { Fields, isObject, type Json } from './fields.ts';

export interface Envelope {
  infno: string;
  msgid: string;
  mdtrtareaAdmvs: string | null;
  insuplcAdmdvs: string | null;
  opter: string | null;
  opterName: string | null;
  infTime: string | null;
  fixmedinsCode: string;
  fixmedinsName: string | null;
  signNo: string | null;
  input: Json;
}

export interface Answer {
  infcode: 0 | -1;
  inf_refmsgid: string;
  refmsg_time: string;
  respond_time: string;
  err_msg: string | null;
  output: Json | null;
  warn_msg: string | null;
  cainfo: null;
  signtype: null;
}

/** Reads the envelope; a missing or malformed field is a fault naming it. */
export function readEnvelope(body: unknown): Envelope {
  if (!isObject(body)) throw fault('body', '报文应为 JSON 对象');
  const f = new Fields(body, '');
  const infno = f.text('infno', 10);
  if (!/^\d{4}$/.test(infno)) throw fault('infno', `infno 应为4位交易编号：${infno}`);
  const msgid = f.text('msgid', 64);
  if (!/^[\w.:-]+$/.test(msgid)) throw fault('msgid', `msgid 只能含字母、数字和 _ . : -：${msgid}`);
  const fixmedinsCode = f.text('fixmedins_code', 32);
  const input = body.input ?? {};
  if (!isObject(input)) throw fault('input', 'input 应为对象');
  return {
    infno,
    msgid,
    mdtrtareaAdmvs: f.opt('mdtrtarea_admvs', 12),
    insuplcAdmdvs: f.opt('insuplc_admdvs', 12),
    opter: f.opt('opter', 50),
    opterName: f.opt('opter_name', 50),
    infTime: f.opt('inf_time', 30),
    fixmedinsCode,
    fixmedinsName: f.opt('fixmedins_name', 200),
    signNo: f.opt('sign_no', 64),
    input,
  };
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** `yyyy-MM-dd HH:mm:ss` in China Standard Time (the platform's clock), whatever the server's. */
export function nationalTime(d: Date): string {
  const c = new Date(d.getTime() + 8 * 3_600_000);
  return (
    `${c.getUTCFullYear()}-${pad(c.getUTCMonth() + 1)}-${pad(c.getUTCDate())} ` +
    `${pad(c.getUTCHours())}:${pad(c.getUTCMinutes())}:${pad(c.getUTCSeconds())}`
  );
}

/** `yyyyMMddHHmmssSSS`, as the platform stamps its answers. */
export function stamp(d: Date): string {
  return nationalTime(d).replace(/\D/g, '') + pad(d.getUTCMilliseconds(), 3);
}

export function answer(received: Date, output: Json | null, errMsg: string | null = null): Answer {
  const now = new Date();
  return {
    infcode: errMsg === null ? 0 : -1,
    inf_refmsgid: `TG${stamp(now)}${randomBytes(4).toString('hex')}`,
    refmsg_time: stamp(received),
    respond_time: stamp(now),
    err_msg: errMsg,
    output: errMsg === null ? output : null,
    warn_msg: null,
    cainfo: null,
    signtype: null,
  };
}
