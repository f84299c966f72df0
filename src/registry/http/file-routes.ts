/**
 * Files: the import template, the import upload and the export of a search to XLSX. The upload is
 * read as a stream (CSV or XLSX by its name); the answer gives the three counts and the rejected
 * rows (the first thousand; the CLI writes them all to a reject file).
 */
import multipart from '@fastify/multipart';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/db.ts';
import { actorOf } from '../../http/actor.ts';
import { invalid } from '../../kernel/errors.ts';
import { localDate } from '../clock.ts';
import { exportPersons } from '../export/export-xlsx.ts';
import { criteriaSql } from '../repo/criteria.ts';
import { formatOf } from '../import/read-rows.ts';
import { runImport, type RejectedRow } from '../import/run-import.ts';
import { writeTemplate } from '../import/template.ts';
import { registryContext } from '../service/context.ts';
import { exportQuery } from './requests.ts';

const tags = ['registry'];
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const REJECTS_IN_ANSWER = 1_000;
/** Large department lists are fine; a runaway upload is not. */
const MAX_UPLOAD = 200 * 1024 * 1024;

const attachment = (name: string) =>
  `attachment; filename="${encodeURIComponent(name)}"; filename*=UTF-8''${encodeURIComponent(name)}`;

export const fileRoutes =
  (db: Db, now: () => Date): FastifyPluginAsyncZod =>
  async (app) => {
    await app.register(multipart, {
      throwFileSizeLimit: false,
      limits: { fileSize: MAX_UPLOAD, files: 1, fields: 5 },
    });
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
      async (request) => {
        // A body that is not well-formed multipart (e.g. a boundary the header does not announce)
        // is the client's error: 400 naming the field, never a 500.
        const file = await request.file().catch((e: unknown) => {
          throw invalid(
            'import.bad_upload',
            'file',
            `上传内容不是有效的 multipart/form-data：${e instanceof Error ? e.message : String(e)}`,
            `the upload is not valid multipart/form-data: ${e instanceof Error ? e.message : String(e)}`,
          );
        });
        if (!file) {
          throw invalid(
            'import.no_file',
            'file',
            '请上传文件（字段 file）',
            'upload a file in the field `file`',
          );
        }
        const format = formatOf(file.filename);
        // Spooled to disk first: a file cut off by the size limit is refused before any row is
        // imported, rather than half imported.
        const dir = await mkdtemp(join(tmpdir(), 'tg-upload-'));
        try {
          const path = join(dir, `upload.${format}`);
          await pipeline(file.file, createWriteStream(path));
          if (file.file.truncated) {
            throw invalid(
              'import.too_large',
              'file',
              `文件超过 ${MAX_UPLOAD / 1024 / 1024} MB`,
              `the file is larger than ${MAX_UPLOAD / 1024 / 1024} MB`,
            );
          }
          const rejects: RejectedRow[] = [];
          const counts = await runImport(ctx, actorOf(request), path, {
            fileName: file.filename,
            format,
            onReject: (r) => {
              if (rejects.length < REJECTS_IN_ANSWER) rejects.push(r);
            },
          });
          return { ...counts, rejects, rejectsTruncated: counts.rejected > rejects.length };
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      },
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
