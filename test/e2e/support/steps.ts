/**
 * Steps both e2e files take: numbered screenshots of a page at rest, and signing in with a demo
 * account (replacing its first password when the server asks).
 */
import { mkdir, rm } from 'node:fs/promises';
import type { Page } from 'playwright-core';

export const PASSWORD = 'Triguard@2022';
/** Demo accounts must change their first password when a server requires it. */
export const NEW_PASSWORD = 'Triguard@2022-e2e';

/** Empties `dir` and returns a function writing `NN-name.png` there, numbered in order. */
export async function screenshots(dir: string): Promise<(p: Page, name: string) => Promise<void>> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  let step = 0;
  return async (p, name) => {
    step += 1;
    // Wait for loading masks and transitions to finish, so the picture shows the page at rest.
    await p.locator('.el-loading-mask:visible').first().waitFor({ state: 'detached' });
    await p.waitForTimeout(350);
    await p.screenshot({
      path: `${dir}${String(step).padStart(2, '0')}-${name}.png`,
      fullPage: true,
    });
  };
}

/** Signs in at `baseUrl`; replaces the first password when the server requires it. */
export async function signIn(p: Page, baseUrl: string, username: string): Promise<void> {
  await p.goto(`${baseUrl}/`);
  await p.waitForURL(/\/login/);
  await p.locator('input[name=username]').fill(username);
  await p.locator('input[name=password]').fill(PASSWORD);
  await p.locator('[data-test=login-submit]').click();
  await p.waitForURL((u) => !u.pathname.startsWith('/login'));
  if (new URL(p.url()).pathname === '/password') {
    await p.locator('input[name=current]').fill(PASSWORD);
    await p.locator('input[name=next]').fill(NEW_PASSWORD);
    await p.locator('input[name=repeat]').fill(NEW_PASSWORD);
    await p.getByRole('button', { name: /修改密码|Change password/ }).click();
    await p.waitForURL((u) => u.pathname === '/');
  }
  await p.locator('[data-test=scope]').waitFor();
}
