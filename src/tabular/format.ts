/** The two file formats every import reads, told apart by the file's name. */
import { invalid } from '../kernel/errors.ts';

export type FileFormat = 'csv' | 'xlsx';

export function formatOf(fileName: string): FileFormat {
  const ext = fileName.toLowerCase().split('.').pop();
  if (ext === 'csv' || ext === 'txt') return 'csv';
  if (ext === 'xlsx') return 'xlsx';
  throw invalid(
    'import.format',
    'file',
    `不支持的文件类型（应为 .csv 或 .xlsx）：${fileName}`,
    `unsupported file type (use .csv or .xlsx): ${fileName}`,
  );
}
