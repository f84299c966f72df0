/**
 * `npm run bench [NAME...]`: runs the named benchmarks (default: all). Each prints its figure as a
 * ratio against a baseline measured in the same run, plus the absolute numbers.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const available = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.replace(/\.bench\.ts$/, ''))
  .sort();
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = wanted.filter((name) => !available.includes(name));
if (unknown.length) {
  console.error(`unknown benchmark ${unknown.join(', ')}; available: ${available.join(', ')}`);
  process.exit(2);
}
// The servers and CLIs the benchmarks start are what production runs: dist/, built when stale.
execFileSync(process.execPath, ['scripts/build.js', '--if-stale'], {
  cwd: fileURLToPath(new URL('..', import.meta.url)),
  stdio: 'inherit',
});
for (const name of wanted.length ? wanted : available) {
  console.log(`\n## bench/${name}`);
  const mod = (await import(`./${name}.bench.ts`)) as { run: () => Promise<void> };
  await mod.run();
}
