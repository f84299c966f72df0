import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'policies/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    // PGlite boots a WASM Postgres per DB test file; give those room on a 2-core machine.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
