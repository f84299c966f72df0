/**
 * The one bill as a PDF, with a CJK font from an npm package (@embedpdf/fonts-sc: Noto Sans Hans,
 * OpenType), embedded as a subset so the file stays small.
 */
import PdfPrinter from 'pdfmake';
import type { TDocumentDefinitions, TableCell } from 'pdfmake/interfaces.js';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { OneBill, OneBillRow } from './document.ts';

const require = createRequire(import.meta.url);
const FONT_DIR = join(dirname(require.resolve('@embedpdf/fonts-sc')), '..', 'fonts');

let printer: PdfPrinter | null = null;
const getPrinter = () =>
  (printer ??= new PdfPrinter({
    NotoSansHans: {
      normal: join(FONT_DIR, 'NotoSansHans-Regular.otf'),
      bold: join(FONT_DIR, 'NotoSansHans-Bold.otf'),
      italics: join(FONT_DIR, 'NotoSansHans-Regular.otf'),
      bolditalics: join(FONT_DIR, 'NotoSansHans-Bold.otf'),
    },
  }));

const table = (items: OneBillRow[]) => ({
  table: {
    widths: [90, 90, '*'],
    body: items.map((r): TableCell[] => [
      { text: r.label, bold: true },
      { text: r.amount, alignment: 'right' },
      r.note,
    ]),
  },
  margin: [0, 2, 0, 8] as [number, number, number, number],
});

export function oneBillDefinition(bill: OneBill): TDocumentDefinitions {
  return {
    info: { title: `${bill.title} ${bill.reference}` },
    defaultStyle: { font: 'NotoSansHans', fontSize: 10 },
    content: [
      { text: bill.title, fontSize: 16, bold: true, alignment: 'center' },
      { text: `结算单号 ${bill.reference}`, alignment: 'center', margin: [0, 2, 0, 8] },
      ...(bill.kindNote
        ? [
            {
              text: bill.kindNote,
              color: '#c00000',
              margin: [0, 0, 0, 6] as [number, number, number, number],
            },
          ]
        : []),
      {
        table: {
          widths: [90, '*'],
          body: bill.header.map(([k, v]): TableCell[] => [{ text: k, bold: true }, v]),
        },
        margin: [0, 0, 0, 8] as [number, number, number, number],
      },
      { text: '费用构成', bold: true },
      table(bill.fees),
      { text: '三重保障各层支付', bold: true },
      table(bill.tiers),
      { text: '合计', bold: true },
      table(bill.totals),
      { text: bill.footer, alignment: 'center', color: '#777777', margin: [0, 10, 0, 0] },
    ],
  };
}

export function oneBillPdf(bill: OneBill): Promise<Buffer> {
  const doc = getPrinter().createPdfKitDocument(oneBillDefinition(bill));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.end();
  });
}
