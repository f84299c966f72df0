/**
 * Builds the web app into web/dist when it is missing or older than its sources, so `npm start`
 * (prestart) and the e2e tests always serve the app as the sources stand, without a rebuild on
 * every start. Sources: web/ (but dist) and the API modules the forms import from src/.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const WEB = fileURLToPath(new URL('.', import.meta.url));
const DIST_INDEX = join(WEB, 'dist', 'index.html');
/** The server modules the web app bundles (zod schemas, labels, money and ID helpers). */
const SHARED = ['kernel', 'policy', 'settlement', 'registry/http', 'auth/roles.ts'].map((p) =>
  join(WEB, '../src', p),
);

function newest(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  let t = 0;
  for (const e of readdirSync(path)) {
    if (e === 'dist' || e === 'node_modules') continue;
    t = Math.max(t, newest(join(path, e)));
  }
  return t;
}

export function isStale(): boolean {
  if (!existsSync(DIST_INDEX)) return true;
  const built = statSync(DIST_INDEX).mtimeMs;
  return [WEB, ...SHARED].some((p) => existsSync(p) && newest(p) > built);
}

/** Builds when stale; returns whether it built. */
export async function ensureWebBuilt(
  log: (line: string) => void = console.error,
): Promise<boolean> {
  if (!isStale()) return false;
  let vite: typeof import('vite');
  try {
    vite = await import('vite');
  } catch {
    // A production install without dev dependencies: serve what was built, if anything.
    log('vite is not installed: the web app is not rebuilt (npm install to build it)');
    return false;
  }
  log('构建网页端 / building the web app (web/dist)…');
  const started = Date.now();
  await vite.build({ configFile: join(WEB, 'vite.config.ts'), logLevel: 'warn' });
  log(`web app built in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await ensureWebBuilt();
}
