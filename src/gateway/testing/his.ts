/**
 * A scripted hospital system (HIS) for tests, the docs and the benchmark: builds national
 * envelopes for one institution with fresh msgids and posts them to the gateway.
 */
import type { FastifyInstance } from 'fastify';

export const GATEWAY_URL = '/fsi/api/rsfComIfsService/callService';

export interface HisAnswer {
  infcode: number;
  err_msg: string | null;
  output: Record<string, unknown> & {
    setlinfo?: Record<string, unknown>;
    setldetail?: Record<string, unknown>[];
  };
  [k: string]: unknown;
}

let serial = 0;

export function envelope(
  infno: string,
  input: Record<string, unknown>,
  opts: { fixmedinsCode: string; msgid?: string; infTime?: string },
) {
  serial++;
  return {
    infno,
    msgid: opts.msgid ?? `${opts.fixmedinsCode}20220315090000${String(serial).padStart(4, '0')}`,
    mdtrtarea_admvs: '370899',
    insuplc_admdvs: '370899',
    recer_sys_code: 'HIS',
    infver: 'V1.0',
    opter_type: '1',
    opter: '001',
    opter_name: '收费员',
    inf_time: opts.infTime ?? '2022-03-15 09:00:00',
    fixmedins_code: opts.fixmedinsCode,
    fixmedins_name: '示范县人民医院',
    sign_no: '',
    input,
  };
}

/** A HIS bound to an app (inject) and an institution's bearer headers. */
export function his(app: FastifyInstance, headers: Record<string, string>, fixmedinsCode: string) {
  return async (
    infno: string,
    input: Record<string, unknown>,
    opts: { msgid?: string; fixmedinsCode?: string; infTime?: string } = {},
  ): Promise<HisAnswer> => {
    const res = await app.inject({
      method: 'POST',
      url: GATEWAY_URL,
      headers,
      payload: envelope(infno, input, { fixmedinsCode, ...opts }),
    });
    if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode}: ${res.body}`);
    return res.json() as HisAnswer;
  };
}
