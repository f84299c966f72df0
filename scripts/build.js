#!/usr/bin/env node
// @ts-check
/**
 * Builds what `bin/triguard` runs: the server (src/ compiled to dist/ by `tsc -p
 * tsconfig.build.json`) and the staff web app (web/ bundled into web/dist by Vite).
 *
 *   node scripts/build.js                     the server, always (`npm run build`)
 *   node scripts/build.js --web               the web app too
 *   node scripts/build.js --if-stale [--web]  only what is missing or older than its sources
 *                                             (`npm start`, the e2e suite, the benchmarks)
 *
 * Plain JavaScript, so `npm start` needs neither tsx nor a build to run it. Without TypeScript or
 * Vite (a production install without development dependencies) an existing build is used as it
 * is. Processes that build at once (test files started together) take turns through a lock file,
 * and each looks again once it holds the lock.
 */
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, URL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SRC = join(ROOT, 'src');
const DIST = join(ROOT, 'dist');
/** Written after tsc succeeded: the build's time, and proof that it is whole. */
const STAMP = join(DIST, '.built');
const WEB = join(ROOT, 'web');
const WEB_INDEX = join(WEB, 'dist', 'index.html');
const LOCK = join(ROOT, 'node_modules', '.cache', 'triguard-build.lock');
const require = createRequire(import.meta.url);

/** @param {string} line */
const say = (line) => console.error(line);

/**
 * The newest modification time under `path` of the files `keep` accepts.
 * @param {string} path
 * @param {(name: string) => boolean} keep
 * @returns {number}
 */
function newest(path, keep = () => true) {
  if (!existsSync(path)) return 0;
  const s = statSync(path);
  if (!s.isDirectory()) return keep(path) ? s.mtimeMs : 0;
  let t = 0;
  for (const e of readdirSync(path)) {
    if (e === 'dist' || e === 'node_modules') continue;
    t = Math.max(t, newest(join(path, e), keep));
  }
  return t;
}

/** @param {string} file */
const mtime = (file) => (existsSync(file) ? statSync(file).mtimeMs : -1);

/** What the server build compiles: src/'s TypeScript but the tests, and the build settings. */
const compiled = (/** @type {string} */ name) => name.endsWith('.ts') && !name.endsWith('.test.ts');

export function serverStale() {
  const built = mtime(STAMP);
  if (built < 0) return true;
  const configs = ['tsconfig.json', 'tsconfig.build.json'].map((f) => mtime(join(ROOT, f)));
  return Math.max(newest(SRC, compiled), ...configs) > built;
}

/**
 * The server modules the web app bundles (zod schemas, labels, money and ID helpers): the folder
 * of every src/ file that web/src imports, found by reading the imports, so a new import is
 * watched without a list to keep.
 */
function webSharedSources() {
  /** @type {Set<string>} */
  const dirs = new Set();
  /** @param {string} dir */
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, e.name);
      if (e.isDirectory()) walk(path);
      else if (/\.(ts|vue)$/.test(e.name)) {
        for (const m of readFileSync(path, 'utf8').matchAll(/from '((?:\.\.\/)+src\/[^']+)'/g)) {
          dirs.add(dirname(resolve(dirname(path), /** @type {string} */ (m[1]))));
        }
      }
    }
  };
  walk(join(WEB, 'src'));
  return [...dirs];
}

export function webStale() {
  const built = mtime(WEB_INDEX);
  if (built < 0) return true;
  return [WEB, ...webSharedSources()].some((p) => newest(p) > built);
}

/** @param {string} id */
function installed(id) {
  try {
    return require.resolve(id);
  } catch {
    return null;
  }
}

function buildServer() {
  const tsc = installed('typescript/bin/tsc');
  if (!tsc) {
    if (existsSync(STAMP)) {
      say('typescript is not installed: the server is not rebuilt (npm install to build it)');
      return;
    }
    throw new Error('dist/ is missing and typescript is not installed: npm install, npm run build');
  }
  say('编译服务端 / building the server (dist)…');
  const started = Date.now();
  // A file left from a module since deleted must not stay importable.
  rmSync(DIST, { recursive: true, force: true });
  const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (r.status !== 0)
    throw new Error(`tsc -p tsconfig.build.json failed (${r.status ?? r.signal})`);
  writeFileSync(STAMP, `${new Date().toISOString()}\n`);
  say(`server built in ${((Date.now() - started) / 1000).toFixed(1)}s`);
}

async function buildWeb() {
  if (!installed('vite')) {
    say('vite is not installed: the web app is not rebuilt (npm install to build it)');
    return;
  }
  const vite = await import('vite');
  say('构建网页端 / building the web app (web/dist)…');
  const started = Date.now();
  await vite.build({ configFile: join(WEB, 'vite.config.ts'), logLevel: 'warn' });
  say(`web app built in ${((Date.now() - started) / 1000).toFixed(1)}s`);
}

/** Whether the lock file names a live process (or was created a moment ago, its pid not yet written). */
function lockHeld() {
  let text;
  try {
    text = readFileSync(LOCK, 'utf8').trim();
  } catch {
    return false;
  }
  if (!text) return Date.now() - mtime(LOCK) < 10_000;
  try {
    return process.kill(Number(text), 0);
  } catch {
    return false;
  }
}

/** Holds the build lock while `fn` runs; a lock whose process has gone is taken over. */
async function withLock(/** @type {() => Promise<void>} */ fn) {
  mkdirSync(dirname(LOCK), { recursive: true });
  for (;;) {
    try {
      const fd = openSync(LOCK, 'wx');
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (e) {
      if (/** @type {NodeJS.ErrnoException} */ (e).code !== 'EEXIST') throw e;
      if (!lockHeld()) rmSync(LOCK, { force: true });
      else await sleep(200);
    }
  }
  try {
    await fn();
  } finally {
    unlinkSync(LOCK);
  }
}

/**
 * Builds the server (and with `web` the web app) when `ifStale` is false or it is stale. Returns
 * what it built.
 * @param {{ ifStale?: boolean, web?: boolean }} opts
 */
export async function build({ ifStale = false, web = false } = {}) {
  const wanted = () => ({
    server: !ifStale || serverStale(),
    web: web && (!ifStale || webStale()),
  });
  /** @type {{ server: boolean, web: boolean }} */
  let done = { server: false, web: false };
  if (!wanted().server && !wanted().web) return done;
  await withLock(async () => {
    done = wanted();
    if (done.server) buildServer();
    if (done.web) await buildWeb();
  });
  return done;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const unknown = args.filter((a) => a !== '--if-stale' && a !== '--web');
  if (unknown.length) {
    say(`unknown option: ${unknown.join(' ')}\nusage: node scripts/build.js [--if-stale] [--web]`);
    process.exit(2);
  }
  try {
    await build({ ifStale: args.includes('--if-stale'), web: args.includes('--web') });
  } catch (e) {
    say(`build failed: ${/** @type {Error} */ (e).message}`);
    process.exit(1);
  }
}
