/**
 * Policy replay in a real Chromium against a real server (`npm start` on PGlite, the demo county
 * and its settled demo year): bureau staff replay demo-2023 over the demo year of demo-2022, follow
 * the run to its end, read the fund's change tier by tier (demo-2023 raises the critical illness
 * deductible, so that tier pays less and people more), the warning-line crossings, and open one
 * person's bills explained under both packs. Screenshots go to test/e2e/screenshots/replay/.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, describeInChromium } from './support/browser.ts';
import { startServer, type E2eServer } from './support/server.ts';
import { screenshots, signIn } from './support/steps.ts';

const SHOTS = fileURLToPath(new URL('./screenshots/replay/', import.meta.url));

describeInChromium('policy replay: demo-2023 over the demo year', () => {
  let server: E2eServer;
  let browser: Browser;
  let staff: Page;
  let shot: Awaited<ReturnType<typeof screenshots>>;

  beforeAll(async () => {
    shot = await screenshots(SHOTS);
    server = await startServer();
    browser = await launchChromium();
    const context = await browser.newContext({
      viewport: { width: 1440, height: 900 },
      locale: 'zh-CN',
    });
    staff = await context.newPage();
    await signIn(staff, server.baseUrl, 'staff');
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('replays demo-2023, shows the fund impact and the warning lines, and explains a person', async () => {
    await expect(staff.locator('[data-menu=replay]').count()).resolves.toBe(1);
    await staff.goto(`${server.baseUrl}/replay`);
    await staff.locator('[data-test=replay-pack]').click();
    await staff.locator('.el-select-dropdown__item', { hasText: 'demo-2023' }).click();
    await staff.locator('[data-test=replay-year] input').fill('2022');
    await staff.locator('[data-test=replay-start]').click();
    // The run is followed until it ends, then its results show.
    await staff.locator('[data-test=replay-counts]').waitFor({ timeout: 60_000 });
    await shot(staff, '01-results');
    const ci = await staff.locator('[data-test=replay-change-hifmi_pay]').textContent();
    expect(Number((ci ?? '').replace(/[^\d.-]/g, ''))).toBeLessThan(0);
    const person = await staff.locator('[data-test=replay-change-psn_part_amt]').textContent();
    expect(Number((person ?? '').replace(/[^\d.-]/g, ''))).toBeGreaterThan(0);
    await expect(staff.locator('[data-test=replay-waterfall] canvas').count()).resolves.toBe(1);
    const crosses = Number(await staff.locator('[data-test=replay-crosses]').textContent());
    const noLonger = Number(await staff.locator('[data-test=replay-no-longer]').textContent());
    expect(Number.isInteger(crosses) && Number.isInteger(noLonger)).toBe(true);
    await staff.getByRole('tab', { name: '预警线' }).click();
    await staff.locator('[data-test=replay-crossings]').waitFor();
    await shot(staff, '02-warning-lines');

    // One of the people who pay more: each bill under both packs, the critical illness tier moved.
    await staff.getByRole('tab', { name: '个人负担变化分布' }).click();
    await staff.locator('[data-test=replay-explain-rises]').first().click();
    const dialog = staff.locator('[data-test=replay-explanation]');
    await dialog.locator('[data-test=replay-draft-explain]').first().waitFor();
    await expect(dialog.locator('strong').count()).resolves.toBeGreaterThan(0);
    const draftText = await dialog.locator('[data-test=replay-draft-explain]').allTextContents();
    // demo-2023's critical illness deductible, 16,000 yuan, in the draft's explanation only.
    expect(draftText.join('\n')).toContain('年度起付线 16,000.00 元');
    const actualText = await dialog.locator('[data-test=replay-actual-explain]').allTextContents();
    expect(actualText.join('\n')).not.toContain('16,000.00');
    expect(actualText.length).toBeGreaterThan(0);
    // Each tier names where its numbers came from: the pack, file and line.
    expect(draftText.join('\n')).toContain('demo-2023 critical_illness.yaml:');
    expect(actualText.join('\n')).toContain('demo-2022 critical_illness.yaml:');
    await shot(staff, '03-explanation');
  });
});
