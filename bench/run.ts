/**
 * `npm run bench [NAME...]`: runs the named benchmarks (default: all). Each prints its figure as a
 * ratio against a baseline measured in the same run, plus the absolute numbers.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const available = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.replace(/\.bench\.ts$/, ''))
  .sort();
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
for (const name of wanted.length ? wanted : available) {
  if (!available.includes(name)) {
    console.error(`unknown benchmark ${name}; available: ${available.join(', ')}`);
    process.exit(2);
  }
  console.log(`\n## bench/${name}`);
  const mod = (await import(`./${name}.bench.ts`)) as { run: () => Promise<void> };
  await mod.run();
}
