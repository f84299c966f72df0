/**
 * Builds the web app into web/dist when it is missing or older than its sources, so `npm start`
 * (prestart) and the e2e tests always serve the app as the sources stand, without a rebuild on
 * every start. Sources: web/ (but dist) and the folders of the src/ modules web/src imports.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const WEB = fileURLToPath(new URL('.', import.meta.url));
const DIST_INDEX = join(WEB, 'dist', 'index.html');
/**
 * The server modules the web app bundles (zod schemas, labels, money and ID helpers): the folder
 * of every src/ file that web/src imports, found by reading the imports, so a new import is
 * watched without a list to keep.
 */
function sharedSources(): string[] {
  const dirs = new Set<string>();
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, e.name);
      if (e.isDirectory()) walk(path);
      else if (/\.(ts|vue)$/.test(e.name)) {
        for (const m of readFileSync(path, 'utf8').matchAll(/from '((?:\.\.\/)+src\/[^']+)'/g)) {
          dirs.add(dirname(resolve(dirname(path), m[1]!)));
        }
      }
    }
  };
  walk(join(WEB, 'src'));
  return [...dirs];
}

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
  return [WEB, ...sharedSources()].some((p) => existsSync(p) && newest(p) > built);
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
