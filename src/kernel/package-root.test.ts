import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { findPackageRoot, fromPackageRoot, PACKAGE_ROOT } from './package-root.ts';

it('is the folder of triguard’s package.json', () => {
  const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8'));
  expect(pkg.name).toBe('triguard');
  expect(existsSync(fromPackageRoot('src', 'db', 'migrations'))).toBe(true);
  expect(existsSync(fromPackageRoot('policies'))).toBe(true);
});

it('is the same from the build’s modules as from the sources', () => {
  // dist/ need not exist: the walk passes over missing folders.
  expect(findPackageRoot(join(PACKAGE_ROOT, 'dist', 'kernel'))).toBe(PACKAGE_ROOT);
  expect(findPackageRoot(join(PACKAGE_ROOT, 'src', 'kernel'))).toBe(PACKAGE_ROOT);
});
