/**
 * 门诊慢特病 from screening to settlement in a real Chromium against a real server (`npm start` on
 * PGlite, the demo county and its settled demo year): bureau staff screen the year's inpatients,
 * export the list and record a visit; a chronic bill of a screened person is refused
 * (chronic.no_certificate); staff accept the person's application with a document missing (容缺)
 * and supply it; the expert approves it (and refuses another, whose notice prints); the
 * certificate shows the disease from the acceptance date and prints; the same bill now settles and
 * pays; the dashboard shows the funnel; a family doctor files a hypertension patient at the
 * township health centre.
 * Screenshots go to test/e2e/screenshots/chronic/ (ignored by git).
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { APIResponse, Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, describeInChromium } from './support/browser.ts';
import { startServer, type E2eServer } from './support/server.ts';
import { screenshots, signIn as signInAt } from './support/steps.ts';

const SHOTS = fileURLToPath(new URL('./screenshots/chronic/', import.meta.url));

/** The demo year: its enrolments cover the bills; the application is accepted in its December. */
const YEAR = 2022;
const ACCEPTED_ON = `${YEAR}-12-01`;
const BILL_DATE = `${YEAR}-12-15`;
/** The county hospital (level 2) of the demo county, where the chronic bill is settled. */
const HOSPITAL = 'H37089900001';
/** The health centre (卫生院, level 1) of township 370899001, where two-diseases patients are filed. */
const HEALTH_CENTRE = 'H37089910001';

/** A one-page PDF small enough for any attachment limit. */
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n' +
    '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
  'latin1',
);

interface Screened {
  certno: string;
  name: string;
  regionCode: string;
  diseases: string[];
  diagnoses: string[];
  applicationId: string | number | null;
  certified: boolean;
}
interface Disease {
  code: string;
  kind: string;
  diagnoses: string[];
}
interface Catalogue {
  documents: { kind: string; required: boolean }[];
  diseases: Disease[];
}

describeInChromium('chronic diseases from screening to settlement in Chromium', () => {
  let server: E2eServer;
  let browser: Browser;
  let staffContext: BrowserContext;
  let staff: Page;
  let shot: Awaited<ReturnType<typeof screenshots>>;

  let screeningId = '';
  let catalogue: Catalogue;
  /** The screened person who applies, their disease and the inpatient diagnosis matching it. */
  let person: Screened;
  let disease = '';
  let diagnosis = '';
  /** A second screened person, whose application the expert refuses. */
  let other: Screened;
  let applicationId = '';
  let refusedId = '';

  const signIn = (p: Page, username: string) => signInAt(p, server.baseUrl, username);
  const url = (path: string) => `${server.baseUrl}${path}`;
  const rows = (p: Page, table: string) => p.locator(`[data-test=${table}] .el-table__body tr`);

  /** The CSRF token of the page's session, for the API calls the test makes itself. */
  async function csrf(p: Page): Promise<string> {
    const me = await p.request.get(url('/api/v1/auth/me'));
    return ((await me.json()) as { csrfToken: string }).csrfToken;
  }

  async function apiPost(p: Page, path: string, data: unknown): Promise<APIResponse> {
    return p.request.post(url(path), {
      data: data as Record<string, unknown>,
      headers: { 'x-csrf-token': await csrf(p) },
    });
  }

  /** Types a date into the Element Plus date picker of the form item marked `test`. */
  async function setDate(p: Page, test: string, value: string) {
    await typeDate(p, p.locator(`[data-test=${test}] input`).first(), value);
  }

  async function typeDate(p: Page, input: ReturnType<Page['locator']>, value: string) {
    await input.click();
    await input.fill(value);
    await input.press('Enter');
    await p.keyboard.press('Escape');
  }

  /** The settlement window's bill: a chronic visit on BILL_DATE with one class-A line. */
  async function fillChronicBill(p: Page) {
    await p.locator('[data-test=settle-person]').waitFor();
    await p.locator('input[data-test=settle-institution]').fill(HOSPITAL);
    const date = p.locator('.el-form-item', { hasText: '结算日期' }).locator('input').first();
    await typeDate(p, date, BILL_DATE);
    await p.locator('[data-test=bill-visit-type]').click();
    await p.locator('.el-select-dropdown__item:visible', { hasText: '门诊慢特病' }).click();
    await p.locator('input[data-test=bill-diagnosis]').fill(diagnosis);
    await p.locator('input[data-test=line-amount-0]').fill('2,000');
    await p.locator('[data-test=line-class-0]').getByText('甲类').click();
  }

  const matches = (dx: string, prefixes: string[]) =>
    prefixes.some((x) => dx.toUpperCase().replace(/\./g, '').startsWith(x.replace(/\./g, '')));

  /** The chronic bill of the person: one 2,000-yuan class-A line at the county hospital. */
  const bill = () => ({
    date: BILL_DATE,
    visitType: 'chronic_outpatient',
    hospitalLevel: 2,
    diagnosis,
    remote: null,
    lines: [{ amount: '2000', class: 'A' }],
  });

  beforeAll(async () => {
    shot = await screenshots(SHOTS);
    server = await startServer();
    browser = await launchChromium();
    staffContext = await browser.newContext({
      viewport: { width: 1440, height: 900 },
      locale: 'zh-CN',
      acceptDownloads: true,
    });
    staff = await staffContext.newPage();
    await signIn(staff, 'staff');
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('staff screen the demo year’s inpatients and export the list per township', async () => {
    await expect(staff.locator('[data-menu=chronic-screening]').count()).resolves.toBe(1);
    await staff.goto(url('/chronic/screening'));
    await staff.locator('[data-test=screening-run]').waitFor();
    const range = staff.locator('[data-test=screening-period] input');
    await range.nth(0).fill(`${YEAR}-01-01`);
    await range.nth(1).fill(`${YEAR}-12-31`);
    await range.nth(1).press('Enter');
    await staff.keyboard.press('Escape');

    const [ran] = await Promise.all([
      staff.waitForResponse(
        (r) => r.url().endsWith('/api/v1/chronic/screenings') && r.request().method() === 'POST',
      ),
      staff.locator('[data-test=screening-go]').click(),
    ]);
    expect(ran.status(), await ran.text()).toBe(201);
    const run = (await ran.json()) as { id: string | number; listed: number; periodFrom: string };
    expect(run.periodFrom).toBe(`${YEAR}-01-01`);
    expect(run.listed).toBeGreaterThan(0);
    screeningId = String(run.id);
    await staff.waitForURL(new RegExp(`/chronic/screening\\?id=${screeningId}`));
    await rows(staff, 'screening-people').first().waitFor();
    await staff.locator('[data-test=chronic-funnel] canvas').first().waitFor();

    // Who to follow: two people of the list's first page with a chronic (M) disease matching
    // one of their inpatient diagnoses, neither applied nor certified.
    catalogue = (await (
      await staff.request.get(url('/api/v1/chronic/diseases'))
    ).json()) as Catalogue;
    const page1 = (await (
      await staff.request.get(
        url(`/api/v1/chronic/screenings/${screeningId}/people?page=1&pageSize=20`),
      )
    ).json()) as { items: Screened[]; total: number };
    expect(page1.total).toBe(run.listed);
    const candidates = page1.items.filter(
      (p) =>
        !p.certified &&
        p.applicationId === null &&
        p.diseases.some((d) => {
          const c = catalogue.diseases.find((x) => x.code === d);
          return c?.kind === 'chronic' && p.diagnoses.some((dx) => matches(dx, c.diagnoses));
        }),
    );
    expect(candidates.length).toBeGreaterThanOrEqual(2);
    person = candidates[0]!;
    other = candidates[1]!;
    const d = catalogue.diseases.find(
      (c) =>
        c.kind === 'chronic' &&
        person.diseases.includes(c.code) &&
        person.diagnoses.some((dx) => matches(dx, c.diagnoses)),
    )!;
    disease = d.code;
    diagnosis = person.diagnoses.find((dx) => matches(dx, d.diagnoses))!;
    await shot(staff, 'screening-list');

    const [download] = await Promise.all([
      staff.waitForEvent('download'),
      staff.locator('[data-test=screening-export]').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
  });

  it('staff record a visit and the reason a person will not apply', async () => {
    // A third person of the page, neither of the two followed, with no application yet (the
    // demo's family doctors start some from their follow-ups, and an application outranks the
    // reason shown).
    const page1 = (await (
      await staff.request.get(
        url(`/api/v1/chronic/screenings/${screeningId}/people?page=1&pageSize=20`),
      )
    ).json()) as { items: Screened[] };
    const visited = page1.items.find(
      (p) =>
        p.certno !== person.certno &&
        p.certno !== other.certno &&
        !p.certified &&
        p.applicationId === null,
    )!;
    const row = rows(staff, 'screening-people').filter({ hasText: visited.certno });
    await row.locator('[data-test=screening-visit]').click();
    const dialog = staff.locator('[data-test=reason-dialog]:visible');
    await dialog.waitFor();
    await dialog.locator('[data-test=visit-reason]').click();
    await staff.locator('[data-reason=no_outpatient_need]:visible').click();
    await dialog
      .locator('textarea[data-test=reason-text]')
      .fill('入户走访：目前仅住院治疗，无门诊用药需求');
    await shot(staff, 'screening-visit');
    await dialog.locator('[data-test=reason-confirm]').click();
    await dialog.waitFor({ state: 'hidden' });
    await row.locator('[data-state=not_applying]').waitFor();
    expect(await row.textContent()).toContain('无门诊就医需求');
  });

  it('refuses the screened person’s chronic bill while no certificate covers it', async () => {
    const refused = await apiPost(staff, '/api/v1/settlements', {
      msgid: `e2e-chronic-before-${Date.now()}`,
      certno: person.certno,
      fixmedinsCode: HOSPITAL,
      bill: bill(),
    });
    expect(refused.status(), await refused.text()).toBe(422);
    const body = (await refused.json()) as { code: string; field: string; message: { zh: string } };
    expect(body.code).toBe('chronic.no_certificate');
    expect(body.field).toBe('bill.diagnosis');

    // The settlement window says so next to the diagnosis.
    await staff.goto(url(`/settle?certno=${person.certno}`));
    await fillChronicBill(staff);
    const [pre] = await Promise.all([
      staff.waitForResponse((r) => r.url().endsWith('/api/v1/settlements/presettle')),
      staff.locator('[data-test=presettle]').click(),
    ]);
    expect(pre.status(), await pre.text()).toBe(422);
    expect(((await pre.json()) as { code: string }).code).toBe('chronic.no_certificate');
    await staff.getByText(body.message.zh).first().waitFor();
    await shot(staff, 'settle-refused');
  });

  it('staff accept the application with a document missing (容缺) and supply it later', async () => {
    await staff.goto(url(`/chronic/screening?id=${screeningId}`));
    const row = rows(staff, 'screening-people').filter({ hasText: person.certno });
    await row.locator('[data-test=screening-apply]').click();
    await staff.waitForURL(/\/chronic\/apply\?/);
    await staff.locator('[data-test=person-chosen]').getByText(person.name).waitFor();
    // The disease and its diagnosis come from the screening list.
    await expect(staff.locator(`input[data-diagnosis=${disease}]`).inputValue()).resolves.toBe(
      diagnosis,
    );
    await setDate(staff, 'apply-accepted-on', ACCEPTED_ON);

    const required = catalogue.documents.filter((d) => d.required);
    expect(required.length).toBeGreaterThan(0);
    // Every required document but the last is supplied now.
    for (const d of required.slice(0, -1)) {
      await staff.locator(`input[data-doc-input=${d.kind}]`).setInputFiles({
        name: `${d.kind}.pdf`,
        mimeType: 'application/pdf',
        buffer: PDF,
      });
    }
    await staff.locator('[data-test=docs-missing]').waitFor();
    // 容缺: the deadline is asked for (a month after acceptance unless changed).
    await staff.locator('[data-test=apply-documents-due]').first().waitFor();
    await setDate(staff, 'apply-documents-due', `${YEAR}-12-31`);
    await staff.locator('textarea[data-test=apply-note]').fill('家属代办，缺最近一次检查报告');
    await shot(staff, 'apply-form');

    const [created] = await Promise.all([
      staff.waitForResponse(
        (r) => r.url().endsWith('/api/v1/chronic/applications') && r.request().method() === 'POST',
      ),
      staff.locator('[data-test=apply-submit]').click(),
    ]);
    expect(created.status(), await created.text()).toBe(201);
    const view = (await created.json()) as { id: string | number; acceptedOn: string };
    applicationId = String(view.id);
    expect(view.acceptedOn).toBe(ACCEPTED_ON);
    await staff.waitForURL(new RegExp(`/chronic/applications/${applicationId}$`));
    await staff.locator('[data-test=application-status][data-status=incomplete]').waitFor();
    expect(await staff.locator('[data-test=application-documents-due]').textContent()).toContain(
      `${YEAR}-12-31`,
    );
    await shot(staff, 'application-incomplete');

    // The last document arrives: the checklist is complete and the application goes to review.
    const last = required.at(-1)!;
    await staff.locator(`input[data-doc-input=${last.kind}]`).setInputFiles({
      name: `${last.kind}.pdf`,
      mimeType: 'application/pdf',
      buffer: PDF,
    });
    await staff.locator('[data-test=application-status][data-status=under_review]').waitFor();
    await staff.locator('[data-test=docs-complete]').waitFor();
    await shot(staff, 'application-under-review');

    // A second screened person is accepted on the spot (on-site assessment), for the refusal.
    const second = await apiPost(staff, '/api/v1/chronic/applications', {
      certno: other.certno,
      diseases: [{ disease: other.diseases[0]! }],
      acceptedOn: ACCEPTED_ON,
      onsite: true,
    });
    expect(second.status(), await second.text()).toBe(201);
    refusedId = String(((await second.json()) as { id: string | number }).id);
  });

  it('the expert approves one application and refuses the other with a reason', async () => {
    const context = await browser.newContext({
      viewport: { width: 1440, height: 900 },
      locale: 'zh-CN',
    });
    const expert = await context.newPage();
    await signIn(expert, 'expert');
    await expect(expert.locator('[data-menu=chronic-reviews]').count()).resolves.toBe(1);
    await expect(expert.locator('[data-menu=chronic-apply]').count()).resolves.toBe(0);
    await expert.goto(url('/chronic/reviews'));
    await rows(expert, 'review-table').first().waitFor();
    await shot(expert, 'review-queue');

    const decide = async (id: string, decision: 'approved' | 'refused') => {
      const row = rows(expert, 'review-table').filter({
        has: expert.locator('td:first-child', { hasText: new RegExp(`^\\s*${id}\\s*$`) }),
      });
      await row.locator('[data-test=review-decide]').click();
      const dialog = expert.locator('[data-test=review-dialog]:visible');
      await dialog.waitFor();
      await dialog.locator(`[data-decision=${decision}]`).first().click();
      if (decision === 'refused') {
        await dialog.locator('[data-test=review-confirm]').click();
        await dialog.getByText('请选择不通过原因').waitFor();
        await dialog.locator('[data-test=review-reason]').first().click();
        await expert.locator('[data-reason=not_meeting_criteria]:visible').click();
        await dialog
          .locator('textarea[data-test=review-note]')
          .first()
          .fill('病历未见并发症诊断依据，暂不符合认定标准');
      }
      await shot(expert, `review-${decision}`);
      await dialog.locator('[data-test=review-confirm]').click();
      await dialog.waitFor({ state: 'hidden' });
      await row.waitFor({ state: 'detached' });
    };
    await decide(applicationId, 'approved');
    await decide(refusedId, 'refused');

    // The refused application: its notice (告知书回执) as a PDF.
    await expert.goto(url(`/chronic/applications/${refusedId}`));
    await expert.locator('[data-test=application-status][data-status=decided]').waitFor();
    await expert.locator('[data-decision=refused]').first().waitFor();
    expect(await expert.locator('[data-test=application-diseases]').textContent()).toContain(
      '未达到该病种鉴定标准',
    );
    const notice = expert.locator('[data-test=application-notice]');
    await notice.waitFor();
    const pdf = await expert.request.get(
      url(`/api/v1/chronic/applications/${refusedId}/notice.pdf`),
    );
    expect(pdf.status(), await pdf.text()).toBe(200);
    expect(pdf.headers()['content-type']).toContain('application/pdf');
    expect((await pdf.body()).subarray(0, 4).toString()).toBe('%PDF');
    await shot(expert, 'application-refused');
    await context.close();
  });

  it('the certificate covers the disease from the acceptance date and prints', async () => {
    await staff.goto(url(`/chronic/applications/${applicationId}`));
    await staff.locator('[data-test=application-status][data-status=decided]').waitFor();
    await staff.locator(`[data-disease=${disease}][data-decision=approved]`).waitFor();
    await expect(staff.locator('[data-test=application-notice]').count()).resolves.toBe(0);
    await staff.locator('[data-test=application-certificate]').click();
    await staff.waitForURL(/\/chronic\/certificates\//);
    await staff.locator('[data-test=certificate-card]').waitFor();
    const cell = staff.locator(`[data-test=certificate-diseases] [data-disease=${disease}]`);
    await expect(cell.getAttribute('data-active')).resolves.toBe('true');
    expect(await staff.locator('[data-test=certificate-diseases]').textContent()).toContain(
      ACCEPTED_ON,
    );
    await shot(staff, 'certificate');

    const pdf = await staff.request.get(url(`/api/v1/chronic/certificates/${person.certno}/pdf`));
    expect(pdf.status(), await pdf.text()).toBe(200);
    expect(pdf.headers()['content-type']).toContain('application/pdf');
    expect((await pdf.body()).subarray(0, 4).toString()).toBe('%PDF');
  });

  it('the same chronic bill now settles and the fund pays', async () => {
    await staff.goto(url(`/settle?certno=${person.certno}`));
    await fillChronicBill(staff);
    await staff.locator('[data-test=presettle]').click();
    await staff.locator('[data-test=presettle-result]').waitFor();
    await staff.locator('[data-test=settle]').click();
    const [settled] = await Promise.all([
      staff.waitForResponse(
        (r) => r.url().endsWith('/api/v1/settlements') && r.request().method() === 'POST',
      ),
      staff.locator('.el-message-box__btns .el-button--primary').click(),
    ]);
    expect(settled.status(), await settled.text()).toBe(200);
    const s = (await settled.json()) as { amounts: Record<string, number>; diagnosis: string };
    expect(s.diagnosis).toBe(diagnosis);
    expect(s.amounts.hifp_pay).toBeGreaterThan(0);
    await staff.locator('[data-test=settlement-result]').waitFor();
    await shot(staff, 'settled-after-certificate');
  });

  it('the dashboard shows the screening funnel with the application certified', async () => {
    await staff.goto(url('/'));
    const funnel = staff.locator('[data-test=home-funnel]');
    await funnel.locator('canvas').first().waitFor();
    const figure = async (step: string) =>
      Number(
        ((await funnel.locator(`[data-funnel=${step}] td.amount`).textContent()) ?? '').replace(
          /,/g,
          '',
        ),
      );
    expect(await figure('screened')).toBeGreaterThan(0);
    expect(await figure('applied')).toBeGreaterThanOrEqual(2);
    expect(await figure('certified')).toBeGreaterThanOrEqual(1);
    expect(await figure('refused')).toBeGreaterThanOrEqual(1);
    await staff.waitForTimeout(800); // the chart's entry animation
    await shot(staff, 'dashboard-funnel');
  });

  it('a family doctor files a hypertension patient at the township health centre', async () => {
    // A person of the doctor's township (370899001) without a hypertension filing.
    const found = (await (
      await staff.request.get(url('/api/v1/persons?region=370899001&pageSize=50'))
    ).json()) as { items: { certno: string; name: string; status: string }[] };
    let patient: { certno: string; name: string } | undefined;
    for (const p of found.items.filter((x) => x.status === 'alive')) {
      const filings = (await (
        await staff.request.get(url(`/api/v1/chronic/filings?certno=${p.certno}`))
      ).json()) as { items: { disease: string; endedReason: string | null }[] };
      if (!filings.items.some((f) => f.disease === 'hypertension' && !f.endedReason)) {
        patient = p;
        break;
      }
    }
    expect(patient).toBeDefined();

    const context = await browser.newContext({
      viewport: { width: 1440, height: 900 },
      locale: 'zh-CN',
    });
    const doctor = await context.newPage();
    await signIn(doctor, 'doctor');
    await expect(doctor.locator('[data-menu=two-diseases]').count()).resolves.toBe(1);
    await expect(doctor.locator('[data-menu=chronic-reviews]').count()).resolves.toBe(0);
    await doctor.goto(url('/chronic/filings'));
    await doctor.locator('[data-test=filing-form]').waitFor();
    // The doctor sees ID numbers masked: the number typed is the one sent.
    await doctor.locator('input[data-test=person-search]').fill(patient!.certno);
    await doctor.locator('[data-test=person-search-go]').click();
    await doctor.locator('[data-test=person-chosen]').getByText(patient!.name).waitFor();
    await doctor.locator('[data-test=filing-disease] [data-disease=hypertension]').click();
    await doctor.locator('input[data-test=filing-diagnosis]').fill('I10');
    // The demo county registers its health centres county-wide: the doctor names theirs.
    await doctor.locator('[data-test=filing-institution]').click();
    await doctor.locator(`[data-institution=${HEALTH_CENTRE}]:visible`).click();
    await shot(doctor, 'filing-form');
    const [filed] = await Promise.all([
      doctor.waitForResponse(
        (r) => r.url().endsWith('/api/v1/chronic/filings') && r.request().method() === 'POST',
      ),
      doctor.locator('[data-test=filing-submit]').click(),
    ]);
    expect(filed.status(), await filed.text()).toBe(201);
    expect(((await filed.json()) as { fixmedinsCode: string }).fixmedinsCode).toBe(HEALTH_CENTRE);
    const list = doctor.locator('.el-card', { has: doctor.locator('[data-test=filing-table]') });
    await list.locator('input[data-test=filing-filter-certno]').fill(patient!.certno);
    await list.getByRole('button', { name: '查询' }).click();
    await rows(doctor, 'filing-table').filter({ hasText: patient!.name }).first().waitFor();
    await shot(doctor, 'filings');
    await context.close();
  });
});
