/**
 * Importing existing certificates and filings (docs/chronic.md §13): every row imported or
 * rejected with its reason — unknown disease, person not found or out of scope, dates out of
 * order, duplicates — from CSV and XLSX, through the service and the CLI.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeDb } from '../../../test/support/db.ts';
import { PEOPLE, seedPeople } from '../../auth/testing/accounts.ts';
import type { Actor } from '../../kernel/access/actor.ts';
import type { CliIo } from '../../cli/command.ts';
import { makeId } from '../../kernel/idcard.ts';
import { loadPacks } from '../../policy/index.ts';
import { seedRegions, testClock } from '../../registry/testing/db.ts';
import { xlsxFile } from '../../tabular/write.ts';
import { importFile } from '../cli.ts';
import { ChronicService } from '../service.ts';
import { actorOf, HEALTH_CENTRE, seedInstitutions } from '../testing/fixture.ts';
import { runChronicImport, type ImportReject } from './run-import.ts';

const NOBODY = makeId('370899', '1990-01-01', 99);

describeDb('importing certificates and filings', (ctx) => {
  const dir = mkdtempSync(join(tmpdir(), 'tg-chronic-import-'));
  let service: ChronicService;
  const staff = actorOf('bureau_staff');

  beforeAll(async () => {
    await seedRegions(ctx.db);
    await seedPeople(ctx.db);
    await seedInstitutions(ctx.db);
    service = new ChronicService(ctx.db, await loadPacks(), testClock('2022-06-15').now);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function run(actor: Actor, kind: 'certificates' | 'filings', name: string, text: string) {
    const path = join(dir, name);
    writeFileSync(path, text);
    const rejects: ImportReject[] = [];
    const counts = await runChronicImport(service, actor, path, {
      kind,
      format: 'csv',
      batchSize: 3,
      onReject: (r) => void rejects.push(r),
    });
    return { counts, rejects: rejects.map((r) => [r.row, r.field, r.code]) };
  }

  describe('certificates', () => {
    it('imports each row or rejects it with its reason', async () => {
      const csv = [
        '身份证号,姓名,病种编码,开始日期,结束日期,证号',
        `${PEOPLE.plain},张伟,M002,2021-03-01,,OLD-0001`,
        `${PEOPLE.plain},张伟,M01600,2021-06-01,,`,
        `${PEOPLE.plain},张伟,M003,2021/5/6,,OLD-0001`,
        `${PEOPLE.other},李建国,X999,2021-01-01,,`,
        `${NOBODY},无名,M002,2021-01-01,,`,
        `${PEOPLE.other},李建国,M004,2021-05-01,2021-04-01,`,
        `${PEOPLE.other},王五,M004,2021-05-01,,`,
        `${PEOPLE.other},李建国,M004,2021-05-01,,OLD-0001`,
        `${PEOPLE.other},李建国,M004,20210501,,`,
        `,李建国,M004,2021-05-01,,`,
        `${PEOPLE.other},李建国,M005,2021-13-01,,`,
      ].join('\n');
      const { counts, rejects } = await run(staff, 'certificates', 'certs.csv', csv);
      expect(counts).toEqual({ rowsRead: 11, imported: 3, rejected: 8 });
      // Row numbers are the spreadsheet's (the header is row 1).
      expect(rejects.sort((a, b) => (a[0] as number) - (b[0] as number))).toEqual([
        [3, 'disease', 'chronic.import.duplicate'],
        [5, 'disease', 'chronic.unknown_disease'],
        [6, 'certno', 'person.not_found'],
        [7, 'validTo', 'chronic.dates_out_of_order'],
        [8, 'name', 'chronic.import.name_mismatch'],
        [9, 'certificateNo', 'chronic.import.number_taken'],
        [11, 'certno', 'chronic.import.missing'],
        [12, 'validFrom', 'chronic.import.bad_date'],
      ]);
      const plain = await service.certificate(staff, PEOPLE.plain);
      expect(plain).toMatchObject({
        certificateNo: 'OLD-0001',
        source: 'import',
        issuedOn: '2021-03-01',
      });
      expect(plain.diseases.map((d) => [d.disease, d.validFrom])).toEqual([
        ['M002', '2021-03-01'],
        ['M003', '2021-05-06'],
      ]);
      const other = await service.certificate(staff, PEOPLE.other);
      expect(other.certificateNo).toMatch(/^MT3708992021\d{6}$/);
      expect(other.diseases.map((d) => d.disease)).toEqual(['M004']);
      // A new certificate is audited with its first disease; a disease added to it on its own.
      const audit = await ctx.db.query<{ action: string; n: number }>(
        `SELECT action, count(*)::int AS n FROM audit_log WHERE action LIKE 'chronic.certificate.%'
          GROUP BY action ORDER BY action`,
      );
      expect(audit.rows).toEqual([
        { action: 'chronic.certificate.add_disease', n: 1 },
        { action: 'chronic.certificate.create', n: 2 },
      ]);
    });

    it("finds people outside the caller's scope no more than people who do not exist", async () => {
      const township: Actor = { ...staff, scope: { kind: 'region', regionCode: '370899001' } };
      const csv = ['身份证号,病种编码,开始日期', `${PEOPLE.plain},M005,2021-01-01`].join('\n');
      const { counts, rejects } = await run(township, 'certificates', 'scope.csv', csv);
      expect(counts).toEqual({ rowsRead: 1, imported: 0, rejected: 1 });
      expect(rejects).toEqual([[2, 'certno', 'person.not_found']]);
    });

    it('reads XLSX too', async () => {
      const path = join(dir, 'certs.xlsx');
      await xlsxFile(path, (book) => {
        const s = book.sheet('证件', [
          { header: '身份证号' },
          { header: '病种编码' },
          { header: '开始日期' },
        ]);
        s.row([PEOPLE.own, 'S004', '2021-02-01']);
        s.row([PEOPLE.own, 'M006', '2021-02-01']);
      });
      const counts = await runChronicImport(service, staff, path, {
        kind: 'certificates',
        format: 'xlsx',
      });
      expect(counts).toEqual({ rowsRead: 2, imported: 2, rejected: 0 });
    });
  });

  describe('filings', () => {
    it('imports each row or rejects it with its reason', async () => {
      const csv = [
        '身份证号,姓名,两病病种,诊断,备案机构编码,开始日期,结束日期',
        `${PEOPLE.own},王秀英,高血压,I10,${HEALTH_CENTRE},2021-01-01,`,
        `${PEOPLE.own},王秀英,高血压,I10,${HEALTH_CENTRE},2021-06-01,`,
        `${PEOPLE.own},王秀英,糖尿病,I10,${HEALTH_CENTRE},2021-06-01,`,
        `${PEOPLE.own},王秀英,糖尿病,E11.9,H37089900001,2021-06-01,`,
        `${PEOPLE.own},王秀英,diabetes,E11.9,${HEALTH_CENTRE},2021-06-01,2021-12-31`,
        `${PEOPLE.plain},张伟,心脏病,,${HEALTH_CENTRE},2021-06-01,`,
        `${NOBODY},,高血压,,${HEALTH_CENTRE},2021-06-01,`,
      ].join('\n');
      const { counts, rejects } = await run(staff, 'filings', 'filings.csv', csv);
      expect(counts).toEqual({ rowsRead: 7, imported: 2, rejected: 5 });
      expect(rejects.sort((a, b) => (a[0] as number) - (b[0] as number))).toEqual([
        [3, 'disease', 'chronic.already_filed'],
        [4, 'diagnosis', 'chronic.filing_diagnosis'],
        [5, 'fixmedinsCode', 'chronic.institution_not_primary'],
        [7, 'disease', 'chronic.unknown_disease'],
        [8, 'certno', 'person.not_found'],
      ]);
      const filings = await service.listFilings(
        staff,
        { certno: PEOPLE.own },
        { page: 1, pageSize: 10 },
      );
      expect(filings.items.map((f) => [f.disease, f.source, f.validTo])).toEqual([
        ['diabetes', 'import', '2021-12-31'],
        ['hypertension', 'import', null],
      ]);
    });
  });

  describe('the CLI', () => {
    it('prints the counts, reports progress and writes every rejected row to the reject file', async () => {
      writeFileSync(
        join(dir, 'cli.csv'),
        [
          '身份证号,病种编码,开始日期',
          `${PEOPLE.plain},M005,2021-01-01`,
          `${PEOPLE.plain},NOPE,2021-01-01`,
        ].join('\n'),
      );
      const out: string[] = [];
      const err: string[] = [];
      const io: CliIo = {
        out: (l) => out.push(l),
        err: (l) => err.push(l),
        tty: false,
        env: {},
        cwd: dir,
      };
      const code = await importFile(service, io, 'certificates', 'cli.csv', undefined);
      expect(code).toBe(1);
      expect(JSON.parse(out[0]!)).toMatchObject({ rowsRead: 2, imported: 1, rejected: 1 });
      expect(err.at(-1)).toMatch(/rows read 2, imported 1, rejected 1/);
      const rejects = readFileSync(join(dir, 'cli.csv.rejects.csv'), 'utf8');
      expect(rejects).toContain('行号');
      expect(rejects).toContain('chronic.unknown_disease');
    });
  });
});
