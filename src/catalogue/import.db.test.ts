import { beforeAll, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { describeDb } from '../../test/support/db.ts';
import { HOSTILE, neutralised } from '../tabular/testing.ts';
import { runCatalogueImport, type CatalogueReject } from './import.ts';
import { openRejectFile } from './reject-file.ts';
import { versionsOf } from './repository.ts';

const csv = (text: string) => Readable.from([Buffer.from('\ufeff' + text)]);

describeDb('catalogue import', (ctx) => {
  const rejects: CatalogueReject[] = [];
  beforeAll(async () => {
    const counts = await runCatalogueImport(
      ctx.db,
      csv(
        [
          '医保目录编码,名称,目录类别,收费项目等级,先行自付比例,最高限价(元),开始日期,结束日期',
          'XN05AXA001A001010100001,利培酮片,药品,甲类,,,2022-01-01,',
          'XN05AXA002A003010100001,棕榈酸帕利哌酮注射液,药品,乙类,10%,1490.00,2022-01-01,',
          '001102000010000,普通门诊诊查费,医疗服务项目,甲,,10,2022/1/1,',
          'XA10BKA002A002010100001,达格列净片,药品,乙,0.2,60,2022-01-01,2022-06-30',
          'XA10BKA002A002010100001,达格列净片,药品,乙,0.1,60,2022-07-01,',
          'XA10BKA002A002010100001,达格列净片,药品,乙,0.1,60,2022-06-01,', // overlaps row 5
          'XBAD,坏等级,药品,丁类,,,2022-01-01,', // bad class
          'XBAD2,甲类自付,药品,甲类,0.1,,2022-01-01,', // 甲 pays nothing first
          'XBAD3,坏日期,药品,乙类,,,2022-13-01,',
          'XBAD4,坏限价,耗材,乙类,,1.234,2022-01-01,',
          ',无编码,药品,甲类,,,2022-01-01,',
        ].join('\n'),
      ),
      { kind: 'items', format: 'csv', onReject: (r) => void rejects.push(r) },
    );
    expect(counts).toEqual({ rowsRead: 11, imported: 5, rejected: 6 });
  });

  it('accounts for every row and names the column of each reject', () => {
    expect(rejects.map((r) => [r.rowNumber, r.column])).toEqual([
      [7, '开始日期'],
      [8, '收费项目等级'],
      [9, '先行自付比例'],
      [10, '开始日期'],
      [11, '最高限价(元)'],
      [12, '医保目录编码'],
    ]);
    expect(rejects[0]!.reason.zh).toContain('第 5 行');
  });

  it('stores dated versions with class, ratio and ceiling', async () => {
    const v = await versionsOf(ctx.db, ['XA10BKA002A002010100001', 'XN05AXA002A003010100001']);
    expect(
      v.get('XA10BKA002A002010100001')!.map((x) => [x.begndate, x.enddate, x.selfpayProp]),
    ).toEqual([
      ['2022-01-01', '2022-06-30', 2000],
      ['2022-07-01', null, 1000],
    ]);
    expect(v.get('XN05AXA002A003010100001')![0]).toMatchObject({
      chrgitmLv: '02',
      pricUplmtAmt: 149000,
    });
  });

  it('refuses a stored version the file would overlap, and imports mappings from XLSX', async () => {
    const again: CatalogueReject[] = [];
    const c = await runCatalogueImport(
      ctx.db,
      csv(
        'med_list_codg,name,list_type,chrgitm_lv,begndate\nXA10BKA002A002010100001,达格列净片,drug,02,2022-05-01\n',
      ),
      { kind: 'items', format: 'csv', onReject: (r) => void again.push(r) },
    );
    expect(c).toEqual({ rowsRead: 1, imported: 0, rejected: 1 });
    expect(again[0]!.reason.zh).toContain('重叠');

    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('目录对照');
    ws.addRow(['医药机构目录编码', '医药机构目录名称', '医保目录编码', '开始日期']);
    ws.addRow(['YP000001', '利培酮片(1mg)', 'XN05AXA001A001010100001', '2022-01-01']);
    ws.addRow(['YP000002', '未知药', 'XNOPE', '2022-01-01']);
    ws.addRow(['YP000001', '利培酮片(重复)', 'XN05AXA001A001010100001', '2022-01-01']);
    ws.addRow(['ZL000001', '诊查费', '001102000010000', null]);
    const buf = Buffer.from(await wb.xlsx.writeBuffer());
    const mapRejects: CatalogueReject[] = [];
    const m = await runCatalogueImport(ctx.db, Readable.from([buf]), {
      kind: 'mapping',
      format: 'xlsx',
      fixmedinsCode: 'H37089900001',
      onReject: (r) => void mapRejects.push(r),
    });
    expect(m).toEqual({ rowsRead: 4, imported: 2, rejected: 2 });
    expect(mapRejects.map((r) => [r.rowNumber, r.column])).toEqual([
      [4, '医药机构目录编码'],
      [3, '医保目录编码'],
    ]);
    const rows = await ctx.db.query<{ medins_list_codg: string; list_type: string }>(
      'SELECT medins_list_codg, list_type FROM catalogue_mapping ORDER BY 1',
    );
    expect(rows.rows).toEqual([
      { medins_list_codg: 'YP000001', list_type: 'drug' },
      { medins_list_codg: 'ZL000001', list_type: 'service' },
    ]);
  });

  it('rejects the one row holding U+0000 (items and mappings), naming the column; the rest import', async () => {
    const items: CatalogueReject[] = [];
    const lines = ['医保目录编码,名称,目录类别,收费项目等级,开始日期'];
    for (let i = 0; i < 30; i++) {
      lines.push(
        `XNUL${String(i).padStart(3, '0')},${i === 12 ? '片\u0000剂' : '片剂'},药品,甲类,2022-1-1`,
      );
    }
    const counts = await runCatalogueImport(ctx.db, csv(lines.join('\n')), {
      kind: 'items',
      format: 'csv',
      onReject: (r) => void items.push(r),
    });
    expect(counts).toEqual({ rowsRead: 30, imported: 29, rejected: 1 });
    expect(items).toMatchObject([{ rowNumber: 14, code: 'XNUL012', column: '名称' }]);
    expect(items[0]!.reason.en).toContain('U+0000');

    const maps: CatalogueReject[] = [];
    const m = await runCatalogueImport(
      ctx.db,
      csv(
        [
          '医药机构目录编码,医药机构目录名称,医保目录编码',
          'M1,片剂,XNUL000',
          'M2,片\u0000剂,XNUL001',
          'M3,片剂,XNUL002',
        ].join('\n'),
      ),
      {
        kind: 'mapping',
        format: 'csv',
        fixmedinsCode: 'H37089900002',
        onReject: (r) => void maps.push(r),
      },
    );
    expect(m).toEqual({ rowsRead: 3, imported: 2, rejected: 1 });
    expect(maps).toMatchObject([{ rowNumber: 3, code: 'M2', column: '医药机构目录名称' }]);
  });

  it('reads the two-diseases drug list attribute (两病用药: 是/否, Y/N; blank is no)', async () => {
    const rejected: CatalogueReject[] = [];
    const c = await runCatalogueImport(
      ctx.db,
      csv(
        [
          '医保目录编码,名称,目录类别,收费项目等级,开始日期,两病用药',
          'XC08CAA002A002020100001,苯磺酸氨氯地平片,药品,甲类,2022-01-01,是',
          'XA10BAA001A001010100001,盐酸二甲双胍片,药品,甲类,2022-01-01,Y',
          'XN05AXA009A001010100001,奥氮平片,药品,乙类,2022-01-01,否',
          'XC10AAA001A001010100001,阿托伐他汀钙片,药品,乙类,2022-01-01,',
          'XC09CAA001A001010100001,厄贝沙坦片,药品,甲类,2022-01-01,也许',
        ].join('\n'),
      ),
      { kind: 'items', format: 'csv', onReject: (r) => void rejected.push(r) },
    );
    expect(c).toEqual({ rowsRead: 5, imported: 4, rejected: 1 });
    expect(rejected).toMatchObject([{ rowNumber: 6, column: '两病用药' }]);
    const english = await runCatalogueImport(
      ctx.db,
      csv(
        'med_list_codg,name,list_type,chrgitm_lv,begndate,two_diseases\nXA10BBA001A001010100001,格列美脲片,drug,01,2022-01-01,N\n',
      ),
      { kind: 'items', format: 'csv' },
    );
    expect(english.imported).toBe(1);
    const v = await versionsOf(ctx.db, [
      'XC08CAA002A002020100001',
      'XA10BAA001A001010100001',
      'XN05AXA009A001010100001',
      'XC10AAA001A001010100001',
      'XA10BBA001A001010100001',
    ]);
    expect([...v.entries()].map(([code, [x]]) => [code, x!.twoDiseases])).toEqual([
      ['XA10BAA001A001010100001', true],
      ['XA10BBA001A001010100001', false],
      ['XC08CAA002A002020100001', true],
      ['XC10AAA001A001010100001', false],
      ['XN05AXA009A001010100001', false],
    ]);
  });

  it('writes hostile cells into the reject file neutralised', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tg-cat-'));
    try {
      const path = join(dir, 'rejects.csv');
      const file = openRejectFile(path);
      const lines = ['医保目录编码,名称,目录类别,收费项目等级,开始日期'];
      for (const v of HOSTILE) lines.push(`"${v.replace(/"/g, '""')}",坏,药品,丁类,2022-01-01`);
      await runCatalogueImport(ctx.db, csv(lines.join('\n')), {
        kind: 'items',
        format: 'csv',
        onReject: (r) => file.write(r),
      });
      await file.close();
      const records = parse((await readFile(path, 'utf8')).slice(1)) as string[][];
      // The reader trims cells: the tab and carriage return of the last two are gone.
      expect(records.slice(1).map((r) => r[1])).toEqual(HOSTILE.map((v) => neutralised(v.trim())));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
