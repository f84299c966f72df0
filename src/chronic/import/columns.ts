/**
 * The columns of the two import files (docs/chronic.md §17): existing certificates, one row per
 * certified disease, and existing two-diseases filings. Chinese headers; the English keys are
 * accepted too.
 */
import { columnSet, type ColumnSpec } from '../../registry/import/columns.ts';

export const CERTIFICATE_COLUMNS = [
  { key: 'certno', header: '身份证号', required: true },
  { key: 'name', header: '姓名', required: false },
  { key: 'disease', header: '病种编码', required: true },
  { key: 'validFrom', header: '开始日期', required: true },
  { key: 'validTo', header: '结束日期', required: false },
  { key: 'certificateNo', header: '证号', required: false },
  { key: 'issuedOn', header: '发证日期', required: false },
] as const satisfies readonly ColumnSpec<string>[];
export type CertificateColumn = (typeof CERTIFICATE_COLUMNS)[number]['key'];

export const FILING_COLUMNS = [
  { key: 'certno', header: '身份证号', required: true },
  { key: 'name', header: '姓名', required: false },
  { key: 'disease', header: '两病病种', required: true },
  { key: 'diagnosis', header: '诊断', required: false },
  { key: 'fixmedinsCode', header: '备案机构编码', required: true },
  { key: 'validFrom', header: '开始日期', required: true },
  { key: 'validTo', header: '结束日期', required: false },
] as const satisfies readonly ColumnSpec<string>[];
export type FilingColumn = (typeof FILING_COLUMNS)[number]['key'];

export const CERTIFICATE_SET = columnSet<CertificateColumn>(CERTIFICATE_COLUMNS);
export const FILING_SET = columnSet<FilingColumn>(FILING_COLUMNS);
