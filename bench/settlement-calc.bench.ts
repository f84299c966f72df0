/** `npm run bench settlement-calc`: the pure calculator benchmark (bench/settlement-calc.ts). */
export async function run() {
  await import('./settlement-calc.ts');
}
