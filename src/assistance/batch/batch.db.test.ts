import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { describeDb } from '../../../test/support/db.ts';
import { SYSTEM_ACTOR } from '../../kernel/access/actor.ts';
import { testClock } from '../../registry/testing/db.ts';
import { loadPackCatalog } from '../../settlement/persist/packs.ts';
import { SettlementService } from '../../settlement/persist/service.ts';
import { AMOUNT_FIELDS } from '../../settlement/trial-answer.ts';
import { HOSTILE, neutralised } from '../../tabular/testing.ts';
import { issueCard } from '../cards.ts';
import { assistanceContext } from '../context.ts';
import { backstopProgramme, inpatient, P, seedCounty } from '../testing/fixture.ts';
import { writeDisbursement, writeSignatureList } from './files.ts';
import { confirmPayment, paymentsOf } from './payments.ts';
import { openRejectFile } from './reject-file.ts';
import { runBatch, type BatchReject } from './run-batch.ts';
import { msgidOf } from './record.ts';

const HEADER =
  '医院编码,医院名称,结算单号,身份证号,姓名,结算日期,就诊类型,医院等级,主诊断,异地就医,医疗费用总额(元),全自费(元),超限价自费(元),先行自付(元),社保卡号';

/** The worked example of docs/settlement.md §6 and a large second admission, as a hospital exports them. */
const rows = (who: string, name: string) => [
  `H3708990099,县中医院,R-001,${who},${name},2022-03-15,住院,2,K35.8,,15500,500,0,300,6217001234`,
  `H3708990098,市中心医院,R-002,${who},${name},2022-05-20,住院,3,C34.1,,258000,4000,1000,2000,6217001234`,
];

const csv = (lines: string[]) => Readable.from([[HEADER, ...lines].join('\n') + '\n']);

async function collect(write: (out: PassThrough) => Promise<unknown>): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  await write(out);
  return Buffer.concat(chunks);
}

describeDb('batch assistance for hospitals outside one-stop settlement', (ctx) => {
  let service: SettlementService;

  beforeAll(async () => {
    await seedCounty(ctx.db);
    service = new SettlementService(ctx.db, await loadPackCatalog());
    const p = await backstopProgramme(ctx.db);
    const a = assistanceContext(ctx.db, testClock('2022-01-10').now);
    await issueCard(a, SYSTEM_ACTOR, p, { certno: P.mental, reason: '申请' });
  });

  it('pays exactly what one-stop settlement pays for the same bills', async () => {
    // One-stop: the same two bills as lines, for a person of the same category.
    const first = await service.settle(
      SYSTEM_ACTOR,
      inpatient('os-1', P.poor, '2022-03-15', { diagnosis: 'K35.8', a: 12000, b: 3000, c: 500 }),
    );
    const second = await service.settle(SYSTEM_ACTOR, {
      ...inpatient('os-2', P.poor, '2022-05-20', { diagnosis: 'C34.1', level: 3 }),
      bill: {
        date: '2022-05-20',
        visitType: 'inpatient',
        hospitalLevel: 3,
        diagnosis: 'C34.1',
        remote: null,
        lines: [
          { amount: 234_000_00, class: 'A', overLimit: 1000_00 },
          { amount: 20_000_00, class: 'B' }, // 10 % pre self pay: 2,000
          { amount: 4000_00, class: 'C' },
        ],
      },
    });
    // docs/settlement.md §6 worked example.
    expect(first.amounts).toMatchObject({ hifp_pay: 13005, maf_pay: 1186.5, psn_part_amt: 1308.5 });
    expect(second.amounts.reassist_pay).toBeGreaterThan(0);

    const rejects: BatchReject[] = [];
    const r = await runBatch(ctx.db, service, SYSTEM_ACTOR, csv(rows(P.poor2, '李四')), {
      fileName: 'h99.csv',
      format: 'csv',
      onReject: (x) => void rejects.push(x),
    });
    expect(rejects).toEqual([]);
    expect(r).toMatchObject({ rowsRead: 2, settled: 2, duplicates: 0, rejected: 0, people: 1 });

    const batch = await ctx.db.query<Record<string, number>>(
      `SELECT ${AMOUNT_FIELDS.join(', ')} FROM settlement WHERE certno = $1 AND msgid = ANY($2)
        ORDER BY bill_date`,
      [P.poor2, [msgidOf('H3708990099', 'R-001'), msgidOf('H3708990098', 'R-002')]],
    );
    const oneStop = await ctx.db.query<Record<string, number>>(
      `SELECT ${AMOUNT_FIELDS.join(', ')} FROM settlement WHERE certno = $1 ORDER BY bill_date`,
      [P.poor],
    );
    expect(batch.rows).toEqual(oneStop.rows);
    const owed = oneStop.rows.reduce(
      (s, x) => s + x.maf_pay! + x.reassist_pay! + x.backstop_pay!,
      0,
    );
    expect(r.payable).toBe(owed);
    const acc = await ctx.db.query<{ certno: string; state: unknown }>(
      `SELECT certno, state FROM accumulator WHERE certno = ANY($1) ORDER BY certno`,
      [[P.poor, P.poor2]],
    );
    expect(acc.rows[0]!.state).toEqual(acc.rows[1]!.state);
  });

  it('pays nothing twice: the same records imported again are duplicates', async () => {
    const before = await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM settlement');
    const again = await runBatch(ctx.db, service, SYSTEM_ACTOR, csv(rows(P.poor2, '李四')), {
      fileName: 'h99-again.csv',
      format: 'csv',
    });
    expect(again).toMatchObject({
      rowsRead: 2,
      settled: 0,
      duplicates: 2,
      rejected: 0,
      payable: 0,
      people: 0,
    });
    const after = await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM settlement');
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
    expect(await paymentsOf(ctx.db, SYSTEM_ACTOR, again.batchId)).toEqual([]);
  });

  it('accounts for every row: settled + already imported + rejected = rows read', async () => {
    const changed = rows(P.poor2, '李四')[0]!.replace(',15500,', ',15600,');
    const lines = [
      changed, // same record number, different amount
      `H3708990099,县中医院,R-010,${P.mental},赵一,2022-04-02,住院,2,F20.0,,30000,0,0,0,`,
      `H3708990099,县中医院,R-010,${P.mental},赵一,2022-04-02,住院,2,F20.0,,30000,0,0,0,`, // twice in the file
      `H3708990099,县中医院,R-011,370899199001010000,某某,2022-04-02,住院,2,K35.8,,100,0,0,0,`, // bad ID
      `H3708990099,县中医院,R-012,${P.plain},错名,2022-04-02,住院,2,K35.8,,100,0,0,0,`, // wrong name
      `H3708990099,县中医院,R-013,${P.plain},周五,2023-04-02,住院,2,K35.8,,100,0,0,0,`, // not enrolled for 2023
      `H3708990099,县中医院,R-014,${P.plain},周五,2022-04-02,住院,2,K35.8,,100,50,60,0,`, // parts above the total
      `H3708990099,县中医院,R-015,${P.plain},周五,2022-04-02,住院,3,K35.8,,100,0,0,0,`, // not its registered level
      `H3708990097,某医院,R-016,${P.plain},周五,2022-04-02,住院,2,K35.8,,100,0,0,0,`, // not registered
    ];
    const rejects: BatchReject[] = [];
    const r = await runBatch(ctx.db, service, SYSTEM_ACTOR, csv(lines), {
      fileName: 'mixed.csv',
      format: 'csv',
      onReject: (x) => void rejects.push(x),
    });
    expect(r).toMatchObject({ rowsRead: 9, settled: 1, duplicates: 1, rejected: 7 });
    expect(rejects.map((x) => [x.rowNumber, x.field])).toEqual([
      [2, 'recordNo'],
      [5, 'certno'],
      [6, 'name'],
      [7, 'date'],
      [8, 'medfee'],
      [9, 'hospitalLevel'],
      [10, 'fixmedinsCode'],
    ]);
    // The card holder's admission: the backstop pays the rest in scope, charged to the programme.
    const [pay] = await paymentsOf(ctx.db, SYSTEM_ACTOR, r.batchId);
    expect(pay).toMatchObject({ certno: P.mental, townshipCode: '370899001', records: 1 });
    const s = await ctx.db.query<{ backstop_pay: number; inscp: number; paid: number }>(
      `SELECT backstop_pay, inscp_scp_amt AS inscp, hifp_pay + hifmi_pay + maf_pay + reassist_pay
         + backstop_pay AS paid FROM settlement WHERE certno = $1 AND msgid = $2`,
      [P.mental, msgidOf('H3708990099', 'R-010')],
    );
    expect(s.rows[0]!.backstop_pay).toBeGreaterThan(0);
    expect(s.rows[0]!.paid).toBe(s.rows[0]!.inscp);
  });

  it('writes the disbursement and the township signature lists, and records confirmations', async () => {
    const first = (
      await ctx.db.query<{ batch_id: number }>(
        'SELECT min(batch_id)::int AS batch_id FROM assistance_batch',
      )
    ).rows[0]!.batch_id;
    const text = (
      await collect((out) => writeDisbursement(ctx.db, SYSTEM_ACTOR, first, 'csv', out))
    )
      .toString('utf8')
      .replace(/^\ufeff/, '');
    const [head, line] = text.trim().split('\n');
    expect(head).toBe('序号,姓名,身份证号,社保卡号,乡镇,金额(元)');
    const [pay] = await paymentsOf(ctx.db, SYSTEM_ACTOR, first);
    expect(line).toBe(
      `1,李四,${P.poor2.slice(0, 6)}********${P.poor2.slice(-4)},6217001234,南站镇,${(pay!.amount / 100).toFixed(2)}`,
    );
    expect(pay!.exportedAt).not.toBeNull();

    const xlsx = await collect((out) => writeSignatureList(ctx.db, SYSTEM_ACTOR, first, out));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['南站镇']);
    expect(wb.worksheets[0]!.getRow(3).getCell(2).value).toBe('李四');

    const confirmed = await confirmPayment(ctx.db, SYSTEM_ACTOR, first, P.poor2, {
      signedOn: '2022-06-30',
      note: '本人签字',
    });
    expect(confirmed).toMatchObject({ signedOn: '2022-06-30', confirmedBy: 'system:cli' });
    await expect(
      confirmPayment(ctx.db, SYSTEM_ACTOR, first, P.poor2, { signedOn: '2022-06-30' }),
    ).rejects.toMatchObject({ code: 'assistance.payment_confirmed' });
    const audit = await ctx.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'assistance.payment.confirm'`,
    );
    expect(audit.rows[0]!.n).toBe(1);
  });

  describe('untrusted files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tg-batch-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const hostileCard = HOSTILE[0];
    let batchId = 0;

    it('rejects the row holding U+0000 alone; reads 2022-4-2 as 2022-04-02', async () => {
      const lines = [
        `H3708990099,县中医院,R-020,${P.poor},王\u0000五,2022-04-02,住院,2,K35.8,,20000,0,0,0,`,
        `H3708990099,县中医院,R-021,${P.poor},,2022-4-2,住院,2,K35.8,,20000,0,0,0,"${hostileCard.replace(/"/g, '""')}"`,
      ];
      const rejects: BatchReject[] = [];
      const r = await runBatch(ctx.db, service, SYSTEM_ACTOR, csv(lines), {
        fileName: 'untrusted.csv',
        format: 'csv',
        onReject: (x) => void rejects.push(x),
      });
      expect(r).toMatchObject({ rowsRead: 2, settled: 1, rejected: 1 });
      expect(rejects).toMatchObject([{ rowNumber: 2, field: 'name' }]);
      expect(rejects[0]!.reason.en).toContain('U+0000');
      const stored = await ctx.db.query<{ name: string }>(
        'SELECT name FROM assistance_batch_reject WHERE batch_id = $1',
        [r.batchId],
      );
      expect(stored.rows[0]!.name).toBe('王\ufffd五');
      const s = await ctx.db.query<{ d: string }>(
        `SELECT bill_date::text AS d FROM settlement WHERE msgid = $1`,
        [msgidOf('H3708990099', 'R-021')],
      );
      expect(s.rows[0]?.d).toBe('2022-04-02');
      batchId = r.batchId;
    });

    it('writes the hostile card number neutralised in the disbursement CSV and XLSX', async () => {
      const text = (
        await collect((out) => writeDisbursement(ctx.db, SYSTEM_ACTOR, batchId, 'csv', out))
      )
        .toString('utf8')
        .replace(/^\ufeff/, '');
      const records = parse(text) as string[][];
      expect(records[1]![3]).toBe(neutralised(hostileCard));
      const xlsx = await collect((out) =>
        writeDisbursement(ctx.db, SYSTEM_ACTOR, batchId, 'xlsx', out),
      );
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(xlsx as unknown as ArrayBuffer);
      const row = wb.worksheets[0]!.getRow(2);
      expect(row.getCell(4).value).toBe(neutralised(hostileCard));
      expect(typeof row.getCell(6).value).toBe('number');
    });

    it('reads a signature date typed 2022-7-1 as 2022-07-01', async () => {
      const c = await confirmPayment(ctx.db, SYSTEM_ACTOR, batchId, P.poor, {
        signedOn: '2022-7-1',
      });
      expect(c.signedOn).toBe('2022-07-01');
    });

    it('writes hostile place names neutralised in the signature list', async () => {
      const village = await ctx.db.query<{ code: string; name: string }>(
        `SELECT r.code, r.name FROM region r JOIN person p ON p.region_code = r.code
          WHERE p.certno = $1`,
        [P.poor],
      );
      const { code, name } = village.rows[0]!;
      try {
        await ctx.db.query('UPDATE region SET name = $2 WHERE code = $1', [code, HOSTILE[3]]);
        const xlsx = await collect((out) => writeSignatureList(ctx.db, SYSTEM_ACTOR, batchId, out));
        const wb = new ExcelJS.Workbook();
        await wb.xlsx.load(xlsx as unknown as ArrayBuffer);
        expect(wb.worksheets[0]!.getRow(3).getCell(4).value).toBe(neutralised(HOSTILE[3]));
      } finally {
        await ctx.db.query('UPDATE region SET name = $2 WHERE code = $1', [code, name]);
      }
    });

    it('writes hostile cells into the reject file neutralised', async () => {
      const path = join(dir, 'rejects.csv');
      const file = openRejectFile(path);
      const lines = HOSTILE.map(
        (v, i) =>
          `H3708990099,县中医院,R-03${i},"${v.replace(/"/g, '""')}",,2022-04-02,住院,2,K35.8,,100,0,0,0,`,
      );
      await runBatch(ctx.db, service, SYSTEM_ACTOR, csv(lines), {
        fileName: 'hostile.csv',
        format: 'csv',
        onReject: (x) => file.write(x),
      });
      await file.close();
      const records = parse(readFileSync(path, 'utf8').slice(1)) as string[][];
      expect(records.slice(1).map((r) => r[1])).toEqual(HOSTILE.map((v) => neutralised(v.trim())));
    });
  });
});
