/** Writes generated department lists to a folder: CSV (UTF-8 with BOM) or XLSX, and a manifest. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
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

const csvCell = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

export async function writeLists(
  dir: string,
  lists: readonly DemoList[],
): Promise<ManifestEntry[]> {
  mkdirSync(dir, { recursive: true });
  const manifest: ManifestEntry[] = [];
  for (const l of lists) {
    const path = join(dir, l.file);
    if (l.file.endsWith('.xlsx')) {
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('名单');
      ws.addRow(l.headers);
      for (const r of l.rows) ws.addRow(r);
      // ID numbers as text, so a spreadsheet program never turns them into numbers.
      ws.getColumn(1).numFmt = '@';
      await wb.xlsx.writeFile(path);
    } else {
      const text = [l.headers, ...l.rows].map((r) => r.map(csvCell).join(',')).join('\r\n');
      writeFileSync(path, '\ufeff' + text + '\r\n', 'utf8');
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
