/**
 * Files: the import template, the import upload and the export of a search to XLSX. The upload is
 * read as a stream (CSV or XLSX by its name); the answer gives the three counts and the rejected
 * rows (the first thousand; the CLI writes them all to a reject file).
 */
import { PassThrough } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/db.ts';
import { actorOf } from '../../http/actor.ts';
import { acceptUploads, rejectCollector, withUpload } from '../../http/upload.ts';
import { localDate } from '../../kernel/clock.ts';
import { exportPersons } from '../export/export-xlsx.ts';
import { criteriaSql } from '../repo/criteria.ts';
import { runImport, type RejectedRow } from '../import/run-import.ts';
import { writeTemplate } from '../import/template.ts';
import { registryContext } from '../service/context.ts';
import { exportQuery } from './requests.ts';

const tags = ['registry'];
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const attachment = (name: string) =>
  `attachment; filename="${encodeURIComponent(name)}"; filename*=UTF-8''${encodeURIComponent(name)}`;

export const fileRoutes =
  (db: Db, now: () => Date): FastifyPluginAsyncZod =>
  async (app) => {
    await acceptUploads(app);
    const ctx = registryContext(db, now);

    app.get(
      '/api/v1/registry/template.xlsx',
      {
        config: { permission: 'registry:person:import' },
        schema: { tags, summary: '下载参保人导入模板 / the import template' },
      },
      async (_request, reply) => {
        const body = new PassThrough();
        void writeTemplate(body).catch((e: unknown) => body.destroy(e as Error));
        return reply
          .header('content-type', XLSX)
          .header('content-disposition', attachment('参保人导入模板.xlsx'))
          .send(body);
      },
    );

    app.post(
      '/api/v1/registry/import',
      {
        config: { permission: 'registry:person:import' },
        schema: {
          tags,
          summary: '导入参保人（CSV/XLSX，multipart 字段 file）/ import people from a file',
          consumes: ['multipart/form-data'],
          response: {
            200: z.object({
              rowsRead: z.number().int(),
              imported: z.number().int(),
              rejected: z.number().int(),
              rejects: z.array(
                z.object({
                  rowNumber: z.number().int(),
                  certno: z.string().nullable(),
                  name: z.string().nullable(),
                  field: z.string().nullable(),
                  reason: z.object({ zh: z.string(), en: z.string() }),
                }),
              ),
              rejectsTruncated: z.boolean(),
            }),
          },
        },
      },
      async (request) =>
        withUpload(request, async (upload) => {
          const rejects = rejectCollector<RejectedRow>();
          const counts = await runImport(ctx, actorOf(request), upload.path, {
            fileName: upload.fileName,
            format: upload.format,
            onReject: rejects.add,
          });
          return {
            ...counts,
            rejects: rejects.rows,
            rejectsTruncated: counts.rejected > rejects.rows.length,
          };
        }),
    );

    app.get(
      '/api/v1/persons/export.xlsx',
      {
        config: { permission: 'registry:person:export' },
        schema: {
          tags,
          summary: '导出查询结果为 XLSX（流式）/ export a search to XLSX, streamed',
          querystring: exportQuery,
        },
      },
      async (request, reply) => {
        // Refuse a bad search with a 400 before the answer starts streaming.
        criteriaSql(actorOf(request).scope, request.query);
        const body = new PassThrough();
        void exportPersons(
          db,
          actorOf(request),
          request.query,
          localDate(now()).slice(0, 7),
          body,
        ).catch((e: unknown) => body.destroy(e as Error));
        return reply
          .header('content-type', XLSX)
          .header('content-disposition', attachment(`参保人_${localDate(now())}.xlsx`))
          .send(body);
      },
    );
  };
