/**
 * The printed documents of the workflow (docs/chronic.md §14): the certificate (门诊慢特病证)
 * and the refusal notice with its receipt (慢性病鉴定情况告知书（回执）), in Chinese, through
 * pdfmake with the CJK font the one bill uses (@embedpdf/fonts-sc, embedded as a subset).
 * Masking is the caller's: the facts handed here are what the reader may see.
 */
import PdfPrinter from 'pdfmake';
import type { Content, TDocumentDefinitions, TableCell } from 'pdfmake/interfaces.js';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

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

export function renderPdf(def: TDocumentDefinitions): Promise<Buffer> {
  const doc = getPrinter().createPdfKitDocument(def);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.end();
  });
}

const M = (l: number, t: number, r: number, b: number): [number, number, number, number] => [
  l,
  t,
  r,
  b,
];

/** The certificate as printed: who, which diseases from when, and the issuing bureau. */
export interface CertificatePrint {
  bureau: string;
  certificateNo: string;
  name: string;
  certno: string;
  issuedOn: string;
  diseases: { name: string; kind: string; validFrom: string; validTo: string; status: string }[];
  printedOn: string;
}

export function certificateDefinition(c: CertificatePrint): TDocumentDefinitions {
  const head = (k: string, v: string): TableCell[] => [{ text: k, bold: true }, v];
  return {
    info: { title: `门诊慢特病证 ${c.certificateNo}` },
    pageSize: 'A5',
    pageOrientation: 'landscape',
    defaultStyle: { font: 'NotoSansHans', fontSize: 10 },
    content: [
      { text: c.bureau, alignment: 'center' },
      {
        text: '门诊慢特病证',
        fontSize: 18,
        bold: true,
        alignment: 'center',
        margin: M(0, 2, 0, 8),
      },
      {
        table: {
          widths: [80, '*'],
          body: [
            head('证号', c.certificateNo),
            head('姓名', c.name),
            head('身份证号', c.certno),
            head('发证日期', c.issuedOn),
          ],
        },
        margin: M(0, 0, 0, 8),
      },
      {
        table: {
          headerRows: 1,
          widths: ['*', 50, 70, 70, 50],
          body: [
            ['病种', '类别', '起始日期', '截止日期', '状态'].map((t) => ({ text: t, bold: true })),
            ...c.diseases.map((d): TableCell[] => [
              d.name,
              d.kind,
              d.validFrom,
              d.validTo,
              d.status,
            ]),
          ],
        },
      },
      {
        text:
          '持证人在定点医疗机构门诊治疗证载病种时，凭本证及社会保障卡（或医保电子凭证）按门诊慢特病待遇结算。' +
          '自受理之日起享受待遇；受理后、发证前按普通门诊被拒付的费用，可由就诊医院重新提交结算。',
        fontSize: 8,
        color: '#555555',
        margin: M(0, 8, 0, 0),
      },
      { text: `打印日期 ${c.printedOn}`, fontSize: 8, alignment: 'right', margin: M(0, 4, 0, 0) },
    ],
  };
}

/** The refusal notice: what was refused and why, what passed, how to ask again, and a receipt. */
export interface NoticePrint {
  bureau: string;
  applicationId: number;
  name: string;
  certno: string;
  acceptedOn: string;
  decidedOn: string;
  refused: { name: string; reason: string; note: string | null }[];
  approved: { name: string }[];
  certificateNo: string | null;
}

export function noticeDefinition(n: NoticePrint): TDocumentDefinitions {
  const para = (
    text: string,
    extra: Partial<{ bold: boolean; margin: [number, number, number, number] }> = {},
  ): Content => ({
    text,
    margin: M(0, 2, 0, 4),
    ...extra,
  });
  const receipt: Content[] = [
    {
      text: '- - - - - - - - - - - - - - - - 沿此线剪开 - - - - - - - - - - - - - - - -',
      alignment: 'center',
      color: '#777777',
      margin: M(0, 16, 0, 8),
    },
    { text: '慢性病鉴定情况告知书（回执）', fontSize: 13, bold: true, alignment: 'center' },
    para(
      `本人 ${n.name}（身份证号 ${n.certno}）已收到 ${n.bureau} 第 ${n.applicationId} 号门诊慢特病申请的鉴定情况告知书，知悉未通过的病种、原因及再次申请的办法。`,
      { margin: M(0, 8, 0, 12) },
    ),
    {
      columns: [
        { text: '签收人（签字或按手印）：____________' },
        { text: '签收日期：______年____月____日' },
      ],
    },
    { text: '送达人：____________', margin: M(0, 12, 0, 0) },
  ];
  return {
    info: { title: `慢性病鉴定情况告知书 第${n.applicationId}号` },
    defaultStyle: { font: 'NotoSansHans', fontSize: 10.5, lineHeight: 1.3 },
    content: [
      { text: n.bureau, alignment: 'center' },
      {
        text: '门诊慢特病（慢性病）鉴定情况告知书',
        fontSize: 16,
        bold: true,
        alignment: 'center',
        margin: M(0, 2, 0, 10),
      },
      para(`${n.name}（身份证号 ${n.certno}）：`),
      para(
        `您于 ${n.acceptedOn} 提出的门诊慢特病申请（第 ${n.applicationId} 号），经专家鉴定，于 ${n.decidedOn} 作出结论如下：`,
      ),
      {
        table: {
          headerRows: 1,
          widths: [150, 150, '*'],
          body: [
            ['未通过的病种', '原因', '说明'].map((t) => ({ text: t, bold: true })),
            ...n.refused.map((r): TableCell[] => [r.name, r.reason, r.note ?? '']),
          ],
        },
        margin: M(0, 4, 0, 6),
      },
      ...(n.approved.length > 0
        ? [
            para(
              `以下病种已通过鉴定，自受理之日（${n.acceptedOn}）起享受门诊慢特病待遇${n.certificateNo ? `，证号 ${n.certificateNo}` : ''}：${n.approved.map((a) => a.name).join('、')}。`,
            ),
          ]
        : []),
      para('如何再次申请', { bold: true, margin: M(0, 6, 0, 2) }),
      {
        ol: [
          '病情发生变化或取得新的病历、检查检验报告、服药记录等材料后，可随时再次申请；',
          '可通过乡镇医保所、家庭医生、定点医疗机构或医保经办窗口提交申请，材料暂不齐全的可先行受理（容缺受理），在约定期限内补齐；',
          '行动不便的，可请家庭医生上门帮办、代办，或申请现场鉴定；',
          `对本次鉴定结论有异议的，可向 ${n.bureau} 提出复核。`,
        ],
        margin: M(10, 0, 0, 6),
      },
      { text: `${n.bureau}    ${n.decidedOn}`, alignment: 'right', margin: M(0, 8, 0, 0) },
      ...receipt,
    ],
  };
}
