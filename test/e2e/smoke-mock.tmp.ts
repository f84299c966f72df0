// Throwaway: drives the chronic pages against the real server with /api/v1/chronic mocked.
import { launchChromium } from './support/browser.ts';
import { signIn } from './support/steps.ts';
import type { Page, Route } from 'playwright-core';

const BASE = 'http://127.0.0.1:18732';
const OUT = '/tmp/wtweb-smoke/';
const name = { zh: '糖尿病（合并并发症）', en: 'diabetes' };
const catalogue = {
  pack: 'demo-2022',
  reviewSteps: 1,
  documents: [
    { kind: 'medical_record', required: true, name: { zh: '病历资料', en: 'medical records' } },
    { kind: 'test_result', required: true, name: { zh: '检查检验报告', en: 'test results' } },
    { kind: 'health_check', required: false, name: { zh: '健康体检表', en: 'health check' } },
  ],
  diseases: [
    { code: 'M002', name, nationalCode: 'M01600', kind: 'chronic', subCap: 2000, diagnoses: ['E10', 'E11'] },
    { code: 'M003', name: { zh: '冠心病', en: 'CHD' }, nationalCode: 'M02300', kind: 'chronic', subCap: 2000, diagnoses: ['I20', 'I25'] },
    { code: 'S002', name: { zh: '尿毒症透析', en: 'dialysis' }, nationalCode: 'M07800', kind: 'special', subCap: null, diagnoses: ['N18'] },
  ],
};
let certno = '';
const app = () => ({
  id: 12, certno, name: '张三', regionCode: '370899001', channel: 'window', fixmedinsCode: null,
  status: 'under_review', acceptedOn: '2022-12-01', documentsDue: '2022-12-31', onsite: false, reviewSteps: 1,
  note: '家属代办', createdBy: '经办人员', createdAt: '2024-03-01T02:00:00Z',
  diseases: [
    { disease: 'M002', name, diagnosis: 'E11.9', decision: 'pending', step: 0, reason: null, reasonNote: null, decidedBy: null, decidedAt: null },
    { disease: 'M003', name: { zh: '冠心病', en: 'CHD' }, diagnosis: 'I25.1', decision: 'refused', step: 1, reason: 'not_meeting_criteria', reasonNote: '未见依据', decidedBy: '评审专家', decidedAt: '2024-03-02T02:00:00Z' },
  ],
  documents: [{ id: 3, kind: 'medical_record', fileName: '病历.pdf', mediaType: 'application/pdf', sizeBytes: 20480, uploadedAt: '2024-03-01T02:00:00Z' }],
  missingDocuments: ['test_result'], certificateNo: 'MTB3708990001',
});

async function mock(route: Route) {
  const u = new URL(route.request().url());
  const p = u.pathname.replace('/api/v1/chronic', '');
  const json = (body: unknown, status = 200) => route.fulfill({ status, contentType: 'application/json', body: JSON.stringify(body) });
  if (p === '/diseases') return json(catalogue);
  if (p === '/funnel') return json({ screened: 4046, visited: 3100, applied: 503, certified: 407, refused: 96, notApplying: { no_chronic_disease: 1200, no_outpatient_need: 800, not_in_catalogue: 300, review_not_passed: 96 } });
  if (p === '/screenings' && route.request().method() === 'GET') return json({ items: [{ id: 1, periodFrom: '2022-01-01', periodTo: '2022-12-31', criteria: {}, listed: 4046, createdBy: '经办人员', createdAt: '2024-03-01T02:00:00Z' }], total: 1 });
  if (p === '/screenings/1/people') return json({ total: 4046, items: [
    { certno, name: '张三', regionCode: '370899001', regionName: '第一乡镇', diseases: ['M002'], diagnoses: ['E11.9'], visitedOn: null, notApplying: null, note: null, applicationId: null, applicationStatus: null, certified: false },
    { certno: '370899199001010022', name: '李四', regionCode: '370899002', regionName: '第二乡镇', diseases: ['M003'], diagnoses: ['I25.1'], visitedOn: '2024-02-01', notApplying: 'no_outpatient_need', note: '无门诊需求', applicationId: null, applicationStatus: null, certified: false },
    { certno: '370899199001010033', name: '王五', regionCode: '370899002', regionName: '第二乡镇', diseases: ['M003'], diagnoses: ['I25.1'], visitedOn: '2024-02-01', notApplying: null, note: null, applicationId: 12, applicationStatus: 'under_review', certified: false },
  ] });
  if (p === '/applications' || p === '/reviews') return json({ items: [app()], total: 1 });
  if (p === '/applications/12') return json(app());
  if (p === '/certificates' ) return json({ items: [{ certificateNo: 'MTB3708990001', certno, name: '张三', regionCode: '370899001', issuedOn: '2024-03-02', source: 'review', diseases: [{ disease: 'M002', name, kind: 'chronic', validFrom: '2022-12-01', validTo: null, applicationId: 12, endedReason: null, endedNote: null, endedAt: null, active: true }] }], total: 1 });
  if (p.startsWith('/certificates/')) return json({ certificateNo: 'MTB3708990001', certno, name: '张三', regionCode: '370899001', issuedOn: '2024-03-02', source: 'review', diseases: [{ disease: 'M002', name, kind: 'chronic', validFrom: '2022-12-01', validTo: null, applicationId: 12, endedReason: null, endedNote: null, endedAt: null, active: true }] });
  if (p === '/filings' && route.request().method() === 'GET') return json({ items: [{ id: 5, certno, name: '张三', disease: 'hypertension', diagnosis: 'I10', fixmedinsCode: 'H37089900101', institutionName: '第一乡镇卫生院', regionCode: '370899001', validFrom: '2024-01-05', validTo: null, source: 'doctor', endedReason: null, createdBy: '家庭医生', createdAt: '2024-01-05T02:00:00Z' }], total: 1 });
  if (p.startsWith('/persons/')) return json({ certificate: null, filings: [], applications: [app()], screening: [{ screeningId: 1, notApplying: 'no_outpatient_need', note: '无门诊需求', visitedOn: '2024-02-01' }] });
  return json({ code: 'mock', field: null, message: { zh: '模拟接口未实现', en: 'not mocked' } }, 404);
}

const b = await launchChromium();
const ctx = await b.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
const page: Page = await ctx.newPage();
await page.route('**/api/v1/chronic/**', mock);
await signIn(page, BASE, 'staff');
const found = await page.request.get(`${BASE}/api/v1/persons?region=370899001&pageSize=1`);
certno = ((await found.json()) as { items: { certno: string }[] }).items[0]!.certno;
const errs: string[] = [];
page.on('pageerror', (e) => errs.push(String(e)));
page.on('console', (m) => m.type() === 'error' && errs.push(m.text()));
for (const [n, path] of [
  ['home', '/'], ['screening', '/chronic/screening'], ['apply', `/chronic/apply?certno=${certno}&diseases=M002&diagnoses=E11.9`],
  ['applications', '/chronic/applications'], ['application', '/chronic/applications/12'], ['reviews', '/chronic/reviews'],
  ['certificates', '/chronic/certificates'], ['certificate', `/chronic/certificates/${certno}`], ['filings', '/chronic/filings'],
  ['person', `/persons/${certno}`],
] as const) {
  await page.goto(BASE + path);
  await page.waitForTimeout(1500);
  if (n === 'person') { await page.getByRole('tab', { name: '慢特病' }).click(); await page.waitForTimeout(800); }
  if (n === 'reviews') { await page.locator('[data-test=review-decide]').first().click(); await page.waitForTimeout(500); }
  if (n === 'apply') {
    const input = page.locator('[data-test=apply-accepted-on] input, input[data-test=apply-accepted-on]').first();
    await input.click(); await input.fill('2022-12-01'); await input.press('Enter'); await page.keyboard.press('Escape');
    await page.waitForTimeout(300);
    console.log('acceptedOn value', await input.inputValue());
  }
  await page.screenshot({ path: `${OUT}${n}.png`, fullPage: true });
  console.log(n, (await page.evaluate(() => [...document.querySelectorAll('[data-test]')].map((e) => `${e.tagName.toLowerCase()}:${e.getAttribute('data-test')}`))).join(' '));
}
console.log('errors', errs);
await b.close();
