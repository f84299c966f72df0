/**
 * File uploads (registry import, department lists, batch assistance): one multipart file, read as
 * a stream and spooled to a temporary file before any row is read, so a file cut off by the size
 * limit is refused whole rather than half imported. Malformed multipart is the client's error: a
 * 400 naming the field, never a 500.
 */
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { invalid } from '../kernel/errors.ts';
import { formatOf, type FileFormat } from '../tabular/format.ts';

/** Large department lists are fine; a runaway upload is not. */
export const MAX_UPLOAD = 200 * 1024 * 1024;

/** How many rejected rows an answer lists (the CLI writes them all to a reject file). */
export const REJECTS_IN_ANSWER = 1_000;

/** Registers multipart parsing on `app` (one file, a few text fields). */
export async function acceptUploads(app: FastifyInstance): Promise<void> {
  await app.register(multipart, {
    throwFileSizeLimit: false,
    limits: { fileSize: MAX_UPLOAD, files: 1, fields: 10 },
  });
}

export interface SpooledUpload {
  /** The temporary copy; removed when the callback ends. */
  path: string;
  fileName: string;
  format: FileFormat;
  /** The text fields sent before the file. */
  fields: Record<string, unknown>;
}

/** The request's one multipart file, refused with a 400 naming the field when malformed. */
async function fileOf(request: FastifyRequest, maxBytes?: number) {
  const file = await request
    .file(
      maxBytes === undefined ? undefined : { limits: { fileSize: maxBytes, files: 1, fields: 10 } },
    )
    .catch((e: unknown) => {
      const m = e instanceof Error ? e.message : String(e);
      throw invalid(
        'import.bad_upload',
        'file',
        `上传内容不是有效的 multipart/form-data：${m}`,
        `the upload is not valid multipart/form-data: ${m}`,
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
  // The JSON body's NUL guard (auth/hardening.ts) never sees a multipart request's parts.
  const nul = [
    ['file', file.filename],
    ...Object.entries(file.fields).map(([k, f]) => [k, (f as { value?: unknown }).value]),
  ].find(([, v]) => typeof v === 'string' && v.includes('\u0000'));
  if (nul) {
    const at = String(nul[0]);
    throw invalid('request.invalid_text', at, `${at} 含有非法字符 U+0000`, `${at} contains U+0000`);
  }
  return file;
}

/** Receives the request's file (field `file`), spools it, and runs `use` on the copy. */
export async function withUpload<T>(
  request: FastifyRequest,
  use: (upload: SpooledUpload) => Promise<T>,
): Promise<T> {
  const file = await fileOf(request);
  const format = formatOf(file.filename);
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
    return await use({
      path,
      fileName: file.filename,
      format,
      fields: file.fields as Record<string, unknown>,
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export interface BufferedUpload {
  fileName: string;
  content: Buffer;
  /** The file was longer than `maxBytes`: `content` holds only its start. */
  truncated: boolean;
  /** The text fields sent before the file. */
  fields: Record<string, string>;
}

/**
 * Receives a small file (a scanned document) into memory, reading at most `maxBytes`; the caller
 * decides what a truncated file means. Text fields must come before the file.
 */
export async function receiveFile(
  request: FastifyRequest,
  maxBytes: number,
): Promise<BufferedUpload> {
  const file = await fileOf(request, maxBytes);
  const chunks: Buffer[] = [];
  for await (const chunk of file.file) chunks.push(chunk as Buffer);
  const fields: Record<string, string> = {};
  for (const [k, f] of Object.entries(file.fields)) {
    const v = (f as { value?: unknown } | undefined)?.value;
    if (typeof v === 'string') fields[k] = v;
  }
  return {
    fileName: file.filename,
    content: Buffer.concat(chunks),
    truncated: file.file.truncated,
    fields,
  };
}

/** Collects the first REJECTS_IN_ANSWER rejected rows for an answer. */
export function rejectCollector<R>(): { rows: R[]; add: (r: R) => void } {
  const rows: R[] = [];
  return { rows, add: (r) => void (rows.length < REJECTS_IN_ANSWER && rows.push(r)) };
}
