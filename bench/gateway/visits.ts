/**
 * Visits ready to settle through the gateway, written straight into its tables (registration and
 * fee upload are not what bench/gateway measures): one outpatient or inpatient visit per request,
 * with the same three classed lines the `POST /api/v1/settlements` run settles.
 */
import type { Db } from '../../src/db/db.ts';

export interface BenchVisit {
  mdtrtId: string;
  certno: string;
  inpatient: boolean;
  /** Yuan. */
  medfee: number;
}

/** The bill lines of request i, in yuan, as the REST run sends them. */
export const benchLines = (i: number) => [
  { amount: i % 4 === 0 ? 8000 : 120, class: 'A' as const },
  { amount: 300, class: 'B' as const },
  { amount: 50, class: 'C' as const },
];

export async function prepareVisits(
  db: Db,
  people: readonly string[],
  fixmedinsCode: string,
  from: number,
  count: number,
): Promise<BenchVisit[]> {
  const visits: BenchVisit[] = [];
  const visitRows: unknown[][] = [];
  const feeRows: unknown[][] = [];
  for (let i = from; i < from + count; i++) {
    const inpatient = i % 4 === 0;
    const v: BenchVisit = {
      mdtrtId: `BM${String(i).padStart(10, '0')}`,
      certno: people[(i * 7919) % people.length]!,
      inpatient,
      medfee: benchLines(i).reduce((s, l) => s + l.amount, 0),
    };
    visits.push(v);
    visitRows.push([
      v.certno,
      v.mdtrtId,
      fixmedinsCode,
      inpatient ? 'inpatient' : 'outpatient',
      '患者',
      inpatient ? '21' : '11',
      inpatient ? '2022-06-10 09:00:00' : '2022-06-15 09:00:00',
      inpatient ? '2022-06-15 09:00:00' : null,
      inpatient ? 'K35.8' : 'J06.9',
      inpatient ? 'discharged' : 'open',
    ]);
    benchLines(i).forEach((l, k) => {
      const fen = Math.round(l.amount * 100);
      const line =
        l.class === 'B'
          ? { amount: fen, class: 'B', selfPayRatio: 1000 }
          : { amount: fen, class: l.class };
      const pre = l.class === 'B' ? Math.round(fen / 10) : 0;
      feeRows.push([
        v.certno,
        v.mdtrtId,
        String(k + 1),
        '2022-06-15 08:00:00',
        `BENCH${l.class}`,
        'bench item',
        '1',
        String(l.amount),
        fen,
        l.class === 'A' ? '01' : l.class === 'B' ? '02' : '03',
        l.class === 'B' ? 1000 : l.class === 'C' ? 10_000 : 0,
        l.class === 'C' ? fen : 0,
        0,
        pre,
        l.class === 'C' ? 0 : fen - pre,
        JSON.stringify(line),
      ]);
    });
  }
  await db.copyRows(
    'gateway_visit',
    [
      'certno',
      'mdtrt_id',
      'fixmedins_code',
      'kind',
      'psn_name',
      'med_type',
      'begntime',
      'endtime',
      'dise_codg',
      'status',
    ],
    visitRows,
  );
  await db.copyRows(
    'gateway_fee',
    [
      'certno',
      'mdtrt_id',
      'feedetl_sn',
      'fee_ocur_time',
      'med_list_codg',
      'item_name',
      'cnt',
      'pric',
      'det_item_fee_sumamt',
      'chrgitm_lv',
      'selfpay_prop',
      'fulamt_ownpay_amt',
      'overlmt_amt',
      'preselfpay_amt',
      'inscp_scp_amt',
      'line',
    ],
    feeRows,
  );
  return visits;
}
