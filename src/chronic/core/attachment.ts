/**
 * What an uploaded document is, from its first bytes rather than its name or the type the
 * browser claims (docs/chronic.md §11): only PDF, JPEG and PNG are kept, at most 10 MB. Pure.
 */
import { unprocessable } from '../../kernel/errors.ts';
import type { MediaType } from './model.ts';

export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

const startsWith = (bytes: Uint8Array, sig: readonly number[]) =>
  bytes.length >= sig.length && sig.every((b, i) => bytes[i] === b);

export function mediaTypeOf(bytes: Uint8Array): MediaType | null {
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf'; // %PDF-
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(bytes, PNG)) return 'image/png';
  return null;
}

export function checkAttachment(bytes: Uint8Array, truncated: boolean): MediaType {
  if (truncated || bytes.length > MAX_ATTACHMENT_BYTES) {
    throw unprocessable(
      'chronic.attachment_too_large',
      'file',
      `材料文件超过 ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB`,
      `the document is larger than ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB`,
    );
  }
  if (bytes.length === 0) {
    throw unprocessable(
      'chronic.attachment_empty',
      'file',
      '材料文件为空',
      'the document is empty',
    );
  }
  const type = mediaTypeOf(bytes);
  if (type === null) {
    throw unprocessable(
      'chronic.attachment_type',
      'file',
      '材料须为 PDF、JPEG 或 PNG 文件',
      'a document must be a PDF, JPEG or PNG file',
    );
  }
  return type;
}
