/** Writes generated department lists to a folder: CSV (UTF-8 with BOM) or XLSX, and a manifest. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { csvDocument, xlsxFile } from '../../tabular/write.ts';
import type { DemoList } from './generate-lists.ts';

export interface ManifestEntry {
  file: string;
  department: string;
  kind: string;
  asOf: string;
  map?: string;
  template?: string;
  rows: number;
}

export async function writeLists(
  dir: string,
  lists: readonly DemoList[],
): Promise<ManifestEntry[]> {
  mkdirSync(dir, { recursive: true });
  const manifest: ManifestEntry[] = [];
  for (const l of lists) {
    const path = join(dir, l.file);
    if (l.file.endsWith('.xlsx')) {
      await xlsxFile(path, (book) => {
        // ID numbers as text, so a spreadsheet program never turns them into numbers.
        const ws = book.sheet('名单', [{ numFmt: '@' }]);
        ws.row(l.headers);
        for (const r of l.rows) ws.row(r);
      });
    } else {
      writeFileSync(path, csvDocument(l.headers, l.rows, { eol: '\r\n' }), 'utf8');
    }
    manifest.push({
      file: l.file,
      department: l.department,
      kind: l.kind,
      asOf: l.asOf,
      ...(l.map ? { map: l.map, template: '公安户籍导出' } : {}),
      rows: l.rows.length,
    });
  }
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n', 'utf8');
  return manifest;
}
