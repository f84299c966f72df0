/**
 * The chronic workflow's HTTP API under /api/v1/chronic (docs/chronic.md §14; the contract the
 * web pages build on): parse with zod, call the service, answer the masked view. Reads that show
 * S004 or a psychiatric diagnosis to a holder of registry:sensitive:read are audited.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { mayReadSensitive } from '../kernel/access/masking.ts';
import { auditSensitiveRead } from '../auth/index.ts';
import type { Actor } from '../kernel/access/actor.ts';
import type { Db } from '../db/db.ts';
import { actorOf } from '../http/actor.ts';
import { isoDate, pageParam, rowIdParam } from '../http/fields.ts';
import { acceptUploads, receiveFile, rejectCollector, withUpload } from '../http/upload.ts';
import { invalid, TriguardError } from '../kernel/errors.ts';
import { normalizeId } from '../kernel/idcard.ts';
import { MAX_ATTACHMENT_BYTES } from './core/attachment.ts';
import {
  APPLICATION_STATUSES,
  ATTACHMENT_KINDS,
  END_REASONS,
  FILING_END_REASONS,
  REFUSAL_REASONS,
  type AttachmentKind,
} from './core/model.ts';
import { certificateDefinition, noticeDefinition, renderPdf } from './documents/pdf.ts';
import { certificatePrint, noticePrint } from './documents/print.ts';
import { runChronicImport, type ImportKind, type ImportReject } from './import/run-import.ts';
import type { ChronicService } from './service.ts';
import {
  applicationView,
  attachmentView,
  catalogueView,
  certificateSensitive,
  certificateView,
  filingView,
  listOf,
  personChronicView,
  personSensitive,
  revealsApplication,
  toApplicationView,
  toAttachmentView,
  toCatalogueView,
  toCertificateView,
  toFilingView,
  toPersonChronicView,
} from './views.ts';

const tags = ['chronic'];
const P = '/api/v1/chronic';

const certnoText = z.string().max(20);
const certnoOf = (t: string) => normalizeId(t, 'certno');
const regionCode = z
  .string()
  .regex(/^\d{6}(\d{3}){0,2}$/)
  .describe('行政区划代码前缀（县6位、乡镇9位、村12位）');
const diseaseCode = z.string().min(1).max(16).describe('病种编码，如 M002');
const pageQuery = {
  page: pageParam,
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
};
const idParams = z.object({ id: rowIdParam }).strict();
const certnoParams = z.object({ certno: certnoText }).strict();
const note = z.string().min(1).max(500);
const twoDisease = z.enum(['hypertension', 'diabetes']);

const applicationBody = z
  .object({
    certno: certnoText,
    diseases: z
      .array(
        z
          .object({
            disease: diseaseCode,
            diagnosis: z.string().min(1).max(20).nullish().describe('ICD-10，如 E11.9'),
          })
          .strict(),
      )
      .min(1)
      .max(20),
    acceptedOn: isoDate.optional().describe('受理日期，默认今天；待遇自此日起'),
    documentsDue: isoDate.nullish().describe('容缺受理：补交材料期限'),
    onsite: z.boolean().optional().describe('现场鉴定：材料不全也直接进入评审'),
    note: note.nullish(),
    channel: z.enum(['window', 'township', 'doctor', 'hospital']).optional(),
  })
  .strict();

const decisionsBody = z
  .object({
    decisions: z
      .array(
        z
          .object({
            disease: diseaseCode,
            decision: z.enum(['approved', 'refused']),
            reason: z.enum(REFUSAL_REASONS).nullish(),
            note: note.nullish(),
          })
          .strict(),
      )
      .min(1)
      .max(20),
  })
  .strict();

const filingBody = z
  .object({
    certno: certnoText,
    disease: twoDisease,
    diagnosis: z.string().min(1).max(20).describe('I10–I15 或 E10–E14'),
    fixmedinsCode: z
      .string()
      .regex(/^[A-Za-z0-9]{1,32}$/)
      .nullish(),
    validFrom: isoDate.optional(),
  })
  .strict();

const importAnswer = z.object({
  rowsRead: z.number().int(),
  imported: z.number().int(),
  rejected: z.array(
    z.object({
      row: z.number().int(),
      certno: z.string().nullable(),
      field: z.string().nullable(),
      code: z.string(),
      message: z.object({ zh: z.string(), en: z.string() }),
    }),
  ),
  rejectedCount: z.number().int(),
});

const pdf = (name: string) =>
  `inline; filename="${encodeURIComponent(name)}"; filename*=UTF-8''${encodeURIComponent(name)}`;

export const chronicRoutes =
  (db: Db, service: ChronicService): FastifyPluginAsyncZod =>
  async (app) => {
    await acceptUploads(app);

    const sensitiveRead = (actor: Actor, entity: string, entityId: string, certno: string) =>
      auditSensitiveRead(db, actor, { entity, entityId, certno, fields: ['diseases'] });

    // ---- catalogue ----------------------------------------------------------------------------

    app.get(
      `${P}/diseases`,
      {
        config: { permission: 'chronic:application:read' },
        schema: {
          tags,
          summary: '门诊慢特病病种目录、申请材料清单、评审步数 / the catalogue and checklist',
          querystring: z.object({ date: isoDate.optional() }).strict(),
          response: { 200: catalogueView },
        },
      },
      async (request) =>
        toCatalogueView(service.catalogueFor(actorOf(request), request.query.date)),
    );

    // ---- applications -------------------------------------------------------------------------

    app.post(
      `${P}/applications`,
      {
        config: { permission: 'chronic:application:create' },
        schema: {
          tags,
          summary: '受理门诊慢特病申请（容缺受理、现场鉴定）/ accept an application',
          body: applicationBody,
          response: { 201: applicationView },
        },
      },
      async (request, reply) => {
        const actor = actorOf(request);
        const b = request.body;
        const created = await service.createApplication(actor, {
          ...b,
          certno: certnoOf(b.certno),
        });
        return reply.code(201).send(toApplicationView(actor, created));
      },
    );

    app.get(
      `${P}/applications`,
      {
        config: { permission: 'chronic:application:read' },
        schema: {
          tags,
          summary: '慢特病申请列表 / applications',
          querystring: z
            .object({
              status: z.enum(APPLICATION_STATUSES).optional(),
              regionCode: regionCode.optional(),
              certno: certnoText.optional(),
              ...pageQuery,
            })
            .strict(),
          response: { 200: listOf(applicationView) },
        },
      },
      async (request) => {
        const actor = actorOf(request);
        const { page, pageSize, certno, ...filter } = request.query;
        const r = await service.listApplications(
          actor,
          { ...filter, certno: certno === undefined ? undefined : certnoOf(certno) },
          { page, pageSize },
        );
        return { items: r.items.map((a) => toApplicationView(actor, a)), total: r.total };
      },
    );

    app.get(
      `${P}/applications/:id`,
      {
        config: { permission: 'chronic:application:read' },
        schema: {
          tags,
          summary: '慢特病申请详情 / one application',
          params: idParams,
          response: { 200: applicationView },
        },
      },
      async (request) => {
        const actor = actorOf(request);
        const a = await service.application(actor, request.params.id);
        if (revealsApplication(actor, a))
          await sensitiveRead(actor, 'chronic_application', String(a.id), a.certno);
        return toApplicationView(actor, a);
      },
    );

    app.post(
      `${P}/applications/:id/attachments`,
      {
        config: { permission: 'chronic:application:create' },
        schema: {
          tags,
          summary:
            '上传申请材料（multipart：先字段 kind，再文件 file；PDF/JPEG/PNG，≤10 MB）/ upload a document',
          params: idParams,
          consumes: ['multipart/form-data'],
          response: { 201: attachmentView },
        },
      },
      async (request, reply) => {
        const actor = actorOf(request);
        const upload = await receiveFile(request, MAX_ATTACHMENT_BYTES);
        const kind = upload.fields.kind;
        if (kind === undefined || !(ATTACHMENT_KINDS as readonly string[]).includes(kind)) {
          throw invalid(
            'chronic.attachment_kind',
            'kind',
            `材料类别 kind 应为 ${ATTACHMENT_KINDS.join('、')} 之一（放在文件之前）`,
            `kind must be one of ${ATTACHMENT_KINDS.join(', ')}, sent before the file`,
          );
        }
        const fileName = upload.fileName.slice(0, 200) || 'document';
        const meta = await service.addAttachment(actor, request.params.id, {
          kind: kind as AttachmentKind,
          fileName,
          content: upload.content,
          truncated: upload.truncated,
        });
        return reply.code(201).send(toAttachmentView(meta));
      },
    );

    app.get(
      `${P}/attachments/:id`,
      {
        config: { permission: 'chronic:application:read' },
        schema: { tags, summary: '下载申请材料 / a document', params: idParams },
      },
      async (request, reply) => {
        const actor = actorOf(request);
        const file = await service.attachment(actor, request.params.id);
        if (file.sensitive) {
          if (!mayReadSensitive(actor)) {
            throw new TriguardError('forbidden', 'chronic.sensitive_document', 'id', {
              zh: '该材料涉及严重精神障碍，需要查看精神障碍诊断的权限',
              en: 'this document concerns a severe mental disorder: it needs registry:sensitive:read',
            });
          }
          await sensitiveRead(actor, 'chronic_attachment', String(file.id), file.certno);
        }
        return reply
          .type(file.mediaType)
          .header('content-disposition', pdf(file.fileName))
          .header('x-content-type-options', 'nosniff')
          .send(file.content);
      },
    );

    app.post(
      `${P}/applications/:id/withdraw`,
      {
        config: { permission: 'chronic:application:create' },
        schema: {
          tags,
          summary: '撤回申请 / withdraw an application',
          params: idParams,
          body: z.object({ reason: note }).strict(),
          response: { 200: applicationView },
        },
      },
      async (request) => {
        const actor = actorOf(request);
        return toApplicationView(
          actor,
          await service.withdraw(actor, request.params.id, request.body.reason),
        );
      },
    );

    // ---- expert review ------------------------------------------------------------------------

    app.get(
      `${P}/reviews`,
      {
        config: { permission: 'chronic:application:review' },
        schema: {
          tags,
          summary: '专家评审队列 / the review queue',
          querystring: z.object({ regionCode: regionCode.optional(), ...pageQuery }).strict(),
          response: { 200: listOf(applicationView) },
        },
      },
      async (request) => {
        const actor = actorOf(request);
        const { page, pageSize, regionCode: region } = request.query;
        const r = await service.reviewQueue(actor, region, { page, pageSize });
        return { items: r.items.map((a) => toApplicationView(actor, a)), total: r.total };
      },
    );

    app.post(
      `${P}/applications/:id/decisions`,
      {
        config: { permission: 'chronic:application:review' },
        schema: {
          tags,
          summary: '专家评审：逐病种通过或不通过 / decide diseases of an application',
          params: idParams,
          body: decisionsBody,
          response: { 200: applicationView },
        },
      },
      async (request) => {
        const actor = actorOf(request);
        const decided = await service.decide(
          actor,
          request.params.id,
          request.body.decisions.map((d) => ({
            disease: d.disease,
            decision: d.decision,
            reason: d.reason ?? null,
            note: d.note ?? null,
          })),
        );
        return toApplicationView(actor, decided);
      },
    );

    app.get(
      `${P}/applications/:id/notice.pdf`,
      {
        config: { permission: 'chronic:application:read' },
        schema: {
          tags,
          summary: '鉴定情况告知书（回执）PDF / the refusal notice',
          params: idParams,
        },
      },
      async (request, reply) => {
        const actor = actorOf(request);
        const n = await service.notice(actor, request.params.id);
        if (revealsApplication(actor, n.application)) {
          await sensitiveRead(
            actor,
            'chronic_notice',
            String(n.application.id),
            n.application.certno,
          );
        }
        const body = await renderPdf(
          noticeDefinition(noticePrint(actor, n.application, n.bureau, n.decidedOn ?? '')),
        );
        return reply
          .type('application/pdf')
          .header('content-disposition', pdf(`告知书_${n.application.id}.pdf`))
          .send(body);
      },
    );

    // ---- certificates -------------------------------------------------------------------------

    app.get(
      `${P}/certificates`,
      {
        config: { permission: 'chronic:certificate:read' },
        schema: {
          tags,
          summary: '门诊慢特病证列表 / certificates',
          querystring: z
            .object({
              regionCode: regionCode.optional(),
              disease: diseaseCode.optional(),
              certno: certnoText.optional(),
              ...pageQuery,
            })
            .strict(),
          response: { 200: listOf(certificateView) },
        },
      },
      async (request) => {
        const actor = actorOf(request);
        const { page, pageSize, certno, disease, ...filter } = request.query;
        const today = service.today();
        // Who holds S004 is itself sensitive: the filter finds nobody for those who may not see it.
        if (disease && !mayReadSensitive(actor) && service.isSevereMental(actor, disease)) {
          return { items: [], total: 0 };
        }
        const r = await service.listCertificates(
          actor,
          { ...filter, disease, certno: certno === undefined ? undefined : certnoOf(certno) },
          { page, pageSize },
        );
        return { items: r.items.map((c) => toCertificateView(actor, c, today)), total: r.total };
      },
    );

    app.get(
      `${P}/certificates/:certno`,
      {
        config: { permission: 'chronic:certificate:read' },
        schema: {
          tags,
          summary: '门诊慢特病证 / a person’s certificate',
          params: certnoParams,
          response: { 200: certificateView },
        },
      },
      async (request) => {
        const actor = actorOf(request);
        const c = await service.certificate(actor, certnoOf(request.params.certno));
        if (mayReadSensitive(actor) && certificateSensitive(c)) {
          await sensitiveRead(actor, 'chronic_certificate', c.certificateNo, c.certno);
        }
        return toCertificateView(actor, c, service.today());
      },
    );

    app.get(
      `${P}/certificates/:certno/pdf`,
      {
        config: { permission: 'chronic:certificate:read' },
        schema: {
          tags,
          summary: '打印门诊慢特病证（PDF）/ the certificate to print',
          params: certnoParams,
        },
      },
      async (request, reply) => {
        const actor = actorOf(request);
        const f = await service.certificateFacts(actor, certnoOf(request.params.certno));
        if (mayReadSensitive(actor) && certificateSensitive(f.certificate)) {
          await sensitiveRead(
            actor,
            'chronic_certificate',
            f.certificate.certificateNo,
            f.certificate.certno,
          );
        }
        const body = await renderPdf(
          certificateDefinition(certificatePrint(actor, f.certificate, f.bureau, f.today)),
        );
        return reply
          .type('application/pdf')
          .header('content-disposition', pdf(`门诊慢特病证_${f.certificate.certificateNo}.pdf`))
          .send(body);
      },
    );

    app.post(
      `${P}/certificates/:certno/diseases/:disease/end`,
      {
        config: { permission: 'chronic:certificate:update' },
        schema: {
          tags,
          summary: '终止证载病种（撤销、到期、死亡、更正）/ end a disease of a certificate',
          params: z.object({ certno: certnoText, disease: diseaseCode }).strict(),
          body: z
            .object({ reason: z.enum(END_REASONS), on: isoDate, note: note.nullish() })
            .strict(),
          response: { 200: certificateView },
        },
      },
      async (request) => {
        const actor = actorOf(request);
        const c = await service.endDisease(
          actor,
          certnoOf(request.params.certno),
          request.params.disease,
          request.body,
        );
        return toCertificateView(actor, c, service.today());
      },
    );

    // ---- two-diseases filings -----------------------------------------------------------------

    app.post(
      `${P}/filings`,
      {
        config: { permission: 'chronic:filing:create' },
        schema: {
          tags,
          summary:
            '两病备案（高血压、糖尿病；基层医疗机构，无需专家评审）/ file a two-diseases patient',
          body: filingBody,
          response: { 201: filingView },
        },
      },
      async (request, reply) => {
        const actor = actorOf(request);
        const b = request.body;
        const f = await service.createFiling(actor, { ...b, certno: certnoOf(b.certno) });
        return reply.code(201).send(toFilingView(actor, f));
      },
    );

    app.get(
      `${P}/institutions`,
      {
        config: { permission: 'chronic:filing:create' },
        schema: {
          tags,
          summary: '可办理两病备案的基层（一级）医疗机构 / level-1 institutions a filing may name',
          response: {
            200: z.object({
              items: z.array(
                z.object({
                  fixmedinsCode: z.string(),
                  name: z.string(),
                  admdvs: z.string(),
                  township: z.boolean().describe('在本人所在乡镇 / in the caller’s township'),
                }),
              ),
            }),
          },
        },
      },
      async (request) => ({
        items: (await service.primaryCare(actorOf(request))).map((i) => ({
          fixmedinsCode: i.code,
          name: i.name,
          admdvs: i.admdvs,
          township: i.township,
        })),
      }),
    );

    app.get(
      `${P}/filings`,
      {
        config: { permission: 'chronic:certificate:read' },
        schema: {
          tags,
          summary: '两病备案列表 / two-diseases filings',
          querystring: z
            .object({
              regionCode: regionCode.optional(),
              certno: certnoText.optional(),
              disease: twoDisease.optional(),
              ...pageQuery,
            })
            .strict(),
          response: { 200: listOf(filingView) },
        },
      },
      async (request) => {
        const actor = actorOf(request);
        const { page, pageSize, certno, ...filter } = request.query;
        const r = await service.listFilings(
          actor,
          { ...filter, certno: certno === undefined ? undefined : certnoOf(certno) },
          { page, pageSize },
        );
        return { items: r.items.map((f) => toFilingView(actor, f)), total: r.total };
      },
    );

    app.post(
      `${P}/filings/:id/end`,
      {
        config: { permission: 'chronic:filing:create' },
        schema: {
          tags,
          summary: '终止两病备案 / end a filing',
          params: idParams,
          body: z.object({ reason: z.enum(FILING_END_REASONS), on: isoDate }).strict(),
          response: { 200: filingView },
        },
      },
      async (request) => {
        const actor = actorOf(request);
        return toFilingView(actor, await service.endFiling(actor, request.params.id, request.body));
      },
    );

    // ---- imports of existing certificates and filings ---------------------------------------

    const importRoute = (kind: ImportKind, summary: string) =>
      app.post(
        `${P}/import/${kind === 'certificates' ? 'certificates' : 'filings'}`,
        {
          config: { permission: 'chronic:certificate:update' },
          schema: {
            tags,
            summary,
            consumes: ['multipart/form-data'],
            response: { 200: importAnswer },
          },
        },
        async (request) =>
          withUpload(request, async (upload) => {
            const rejects = rejectCollector<ImportReject>();
            const counts = await runChronicImport(service, actorOf(request), upload.path, {
              kind,
              format: upload.format,
              onReject: rejects.add,
            });
            return {
              rowsRead: counts.rowsRead,
              imported: counts.imported,
              rejected: rejects.rows,
              rejectedCount: counts.rejected,
            };
          }),
      );
    importRoute('certificates', '导入存量门诊慢特病证（CSV/XLSX，字段 file）/ import certificates');
    importRoute('filings', '导入存量两病备案（CSV/XLSX，字段 file）/ import two-diseases filings');

    // ---- the person's summary -----------------------------------------------------------------

    app.get(
      `${P}/persons/:certno/chronic`,
      {
        config: { permission: 'chronic:certificate:read' },
        schema: {
          tags,
          summary: '参保人的慢特病证、两病备案、申请与摸底排查记录 / a person’s chronic record',
          params: certnoParams,
          response: { 200: personChronicView },
        },
      },
      async (request) => {
        const actor = actorOf(request);
        const p = await service.person(actor, certnoOf(request.params.certno));
        if (mayReadSensitive(actor) && personSensitive(p)) {
          await sensitiveRead(actor, 'person_chronic', p.certno, p.certno);
        }
        return toPersonChronicView(actor, p, service.today());
      },
    );
  };
