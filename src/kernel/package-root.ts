/**
 * The package's own folder, the one holding package.json, found by walking up from this module.
 * The TypeScript sources (src/) and the build (dist/) both find the files read at run time from
 * here — migrations (src/db/migrations), policy packs (policies/), the built web app (web/dist) —
 * so dist/ holds compiled JavaScript only and a new migration or pack takes effect without a build.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function findPackageRoot(from: string): string {
  for (let dir = from; ;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${from}`);
    dir = up;
  }
}

export const PACKAGE_ROOT = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

/** A path inside the package, e.g. `fromPackageRoot('policies')`. */
export const fromPackageRoot = (...parts: string[]): string => join(PACKAGE_ROOT, ...parts);
