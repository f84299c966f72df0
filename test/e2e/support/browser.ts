/**
 * Debian's Chromium for the e2e tests (never a downloaded browser). Missing Chromium skips the
 * suite with a message, unless E2E_REQUIRED=1 (CI), where it fails. Chinese text renders with the
 * Noto Sans Hans fonts the project already ships for the one-bill PDF, through a private
 * fontconfig file, so screenshots read right on a machine without CJK system fonts.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { describe, it } from 'vitest';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const E2E_REQUIRED = process.env.E2E_REQUIRED === '1';
export const hasChromium = existsSync(CHROMIUM);

export const SKIP_MESSAGE =
  `e2e tests skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set ` +
  'CHROMIUM_PATH); CI sets E2E_REQUIRED=1 so that a missing browser fails instead';

/**
 * A browser suite: it runs where Chromium is. Without Chromium it is skipped with a warning — or,
 * under E2E_REQUIRED=1 (CI), replaced by a test that fails, so a missing browser is never green.
 */
export function describeInChromium(title: string, suite: () => void): void {
  if (hasChromium) {
    describe(title, suite);
    return;
  }
  if (!E2E_REQUIRED) {
    console.warn(SKIP_MESSAGE);
    return;
  }
  describe(`e2e prerequisites (${title})`, () => {
    it('has Chromium (E2E_REQUIRED=1)', () => {
      throw new Error(`E2E_REQUIRED=1 but there is no Chromium at ${CHROMIUM}: ${SKIP_MESSAGE}`);
    });
  });
}

const FONTS = fileURLToPath(
  new URL('../../../node_modules/@embedpdf/fonts-sc/fonts/', import.meta.url),
);

async function fontconfig(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'triguard-fonts-'));
  const file = join(dir, 'fonts.conf');
  await writeFile(
    file,
    `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <dir>${FONTS}</dir>
  <cachedir>${join(dir, 'cache')}</cachedir>
</fontconfig>
`,
  );
  return file;
}

export async function launchChromium(): Promise<Browser> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  if (existsSync(FONTS)) env.FONTCONFIG_FILE = await fontconfig();
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
    env,
  });
}
