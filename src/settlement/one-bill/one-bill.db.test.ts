import { beforeAll, expect, it } from 'vitest';
import { describeDb } from '../../../test/support/db.ts';
import { pdfText } from '../../../test/support/pdf-text.ts';
import { makeId } from '../../kernel/idcard.ts';
import { SYSTEM_ACTOR, type Actor } from '../../kernel/access/actor.ts';
import { loadPackCatalog } from '../persist/packs.ts';
import { readSettleRequest } from '../persist/request.ts';
import { SettlementService } from '../persist/service.ts';
import { oneBillHtml } from './html.ts';
import { oneBillPdf } from './pdf.ts';
import { enrolForYear } from '../testing/enrol.ts';
import { AT_LEVEL, registerInstitutions } from '../testing/institutions.ts';
import { certify, fileTwoDiseases, ITEMS, seedDrugList } from '../testing/cover.ts';

const VILLAGE = '370899001001';
const POOR = makeId('370899', '1960-05-01', 11);
const MENTAL = makeId('370899', '1975-07-07', 13);

const bill = (msgid: string, certno: string, diagnosis: string) =>
  readSettleRequest({
    msgid,
    certno,
    fixmedinsCode: 'H37089900001',
    bill: {
      date: '2022-03-15',
      visitType: 'inpatient',
      hospitalLevel: 2,
      diagnosis,
      lines: [
        { amount: 12000, class: 'A' },
        { amount: 3000, class: 'B' },
        { amount: 500, class: 'C' },
      ],
    },
  });

/** A reader who may not see sensitive fields (e.g. a township office). */
const plainReader: Actor = { ...SYSTEM_ACTOR, permissions: new Set(['settlement:bill:read']) };
const fullReader: Actor = {
  ...SYSTEM_ACTOR,
  permissions: new Set(['settlement:bill:read', 'registry:sensitive:read']),
};

describeDb('one bill', (ctx) => {
  let service: SettlementService;
  beforeAll(async () => {
    await ctx.db.exec(`
      INSERT INTO person (certno, name, gender, birth_date, region_code) VALUES
        ('${POOR}', '张三', 'male', '1960-05-01', '${VILLAGE}'),
        ('${MENTAL}', '李四', 'male', '1975-07-07', '${VILLAGE}');
      INSERT INTO person_flag (certno, category, from_month, source) VALUES
        ('${POOR}', 'subsistence', '2022-01', 'civil_affairs'),
        ('${MENTAL}', 'severe_mental', '2022-01', 'health'),
        ('${MENTAL}', 'mental_aid_card', '2022-01', 'health');`);
    await enrolForYear(ctx.db, [POOR, MENTAL]);
    await registerInstitutions(ctx.db);
    await seedDrugList(ctx.db);
    await certify(ctx.db, POOR, 'M002', '2022-01-01');
    await fileTwoDiseases(ctx.db, POOR, 'hypertension', AT_LEVEL[1], '2022-01-01');
    service = new SettlementService(ctx.db, await loadPackCatalog());
  });

  it('explains every tier in plain Chinese, masks the ID number but the last four, in HTML and PDF', async () => {
    const s = await service.settle(SYSTEM_ACTOR, bill('ob-1', POOR, 'K35.8'));
    const doc = await service.oneBill(fullReader, s.settlementId);
    const html = oneBillHtml(doc);
    expect(html).toContain('医疗保障一单式结算单');
    expect(html).toContain('张三');
    expect(html).toContain(`**************${POOR.slice(-4)}`);
    expect(html).not.toContain(POOR);
    expect(html).toContain('低保对象');
    expect(html).toMatch(/起付线 250(\.00)? 元/);
    expect(html).toContain('90%');
    expect(html).toContain('13,005.00 元');
    expect(html).toContain('1,308.50 元');

    const text = await pdfText(await oneBillPdf(doc));
    for (const label of [
      '医疗保障一单式结算单',
      '政策范围内费用',
      '基本医保',
      '大病保险',
      '医疗救助',
      '个人负担',
      '张三',
      '13,005.00',
    ]) {
      expect(text).toContain(label);
    }
    expect(text).not.toContain(POOR);
  });

  it('hides psychiatric diagnoses, sensitive categories and revealing sentences from readers without the permission', async () => {
    const s = await service.settle(SYSTEM_ACTOR, bill('ob-2', MENTAL, 'F20.0'));
    const masked = oneBillHtml(await service.oneBill(plainReader, s.settlementId));
    expect(masked).not.toContain('F20');
    expect(masked).not.toContain('严重精神障碍');
    expect(masked).not.toContain('精神障碍医疗救助卡');
    expect(masked).toContain('***');
    const full = oneBillHtml(await service.oneBill(fullReader, s.settlementId));
    expect(full).toContain('F20.0');
    expect(full).toContain('严重精神障碍患者');
  });

  it('marks a cancellation and the cancelled settlement', async () => {
    const s = await service.settle(SYSTEM_ACTOR, bill('ob-3', POOR, 'K35.8'));
    const c = await service.cancel(SYSTEM_ACTOR, s.settlementId, 'ob-3-c', '重复收费');
    expect(oneBillHtml(await service.oneBill(fullReader, c.settlementId))).toContain(
      '原因：重复收费',
    );
    expect(oneBillHtml(await service.oneBill(fullReader, s.settlementId))).toContain(
      '本结算已撤销',
    );
  });

  it('names the disease a chronic visit was certified for, or a two-diseases visit filed for', async () => {
    const outpatient = (msgid: string, certno: string, visitType: string, diagnosis: string) =>
      readSettleRequest({
        msgid,
        certno,
        fixmedinsCode: visitType === 'two_diseases' ? AT_LEVEL[1] : AT_LEVEL[2],
        bill: {
          date: '2022-05-15',
          visitType: visitType as 'chronic_outpatient',
          diagnosis,
          lines: [{ amount: 900, class: 'A', itemCode: ITEMS.amlodipine, days: 30 }],
        },
      });
    const chronic = await service.settle(
      SYSTEM_ACTOR,
      outpatient('ob-4', POOR, 'chronic_outpatient', 'E11.9'),
    );
    const html = oneBillHtml(await service.oneBill(plainReader, chronic.settlementId));
    expect(html).toContain('慢特病病种（持证）');
    expect(html).toContain('M002 糖尿病（合并并发症）');
    const two = await service.settle(SYSTEM_ACTOR, outpatient('ob-5', POOR, 'two_diseases', 'I10'));
    expect(oneBillHtml(await service.oneBill(plainReader, two.settlementId))).toContain(
      '高血压（两病备案）',
    );
    // S004 is as sensitive as its diagnosis.
    const mental = await service.settle(
      SYSTEM_ACTOR,
      outpatient('ob-6', MENTAL, 'chronic_outpatient', 'F20.0'),
    );
    const hidden = oneBillHtml(await service.oneBill(plainReader, mental.settlementId));
    expect(hidden).not.toContain('S004');
    expect(hidden).not.toContain('精神障碍');
    expect(oneBillHtml(await service.oneBill(fullReader, mental.settlementId))).toContain(
      'S004 六类严重精神障碍',
    );
  });
});
