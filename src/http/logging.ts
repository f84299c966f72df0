/**
 * Logs carry request ids but no personal data: ID numbers in URLs are masked, bodies and
 * query strings are never logged, and common personal fields are redacted wherever they appear.
 */
import type { FastifyServerOptions } from 'fastify';

// 18-digit numbers (last may be X) or 15-digit ones; first 6 and last 4 stay visible.
const ID_IN_TEXT = /\b(\d{6})(?:\d{8}(\d{3}[\dXx])|\d{5}(\d{4}))\b/g;

export const maskIdsInText = (s: string) =>
  s.replace(
    ID_IN_TEXT,
    (_m, head: string, tail18?: string, tail15?: string) => `${head}********${tail18 ?? tail15}`,
  );

export function loggerOptions(level: string): FastifyServerOptions['logger'] {
  return {
    level,
    redact: {
      paths: [
        '*.certno',
        '*.name',
        '*.psn_name',
        '*.diagnosis',
        '*.phone',
        '*.password',
        'headers.authorization',
        'headers.cookie',
      ],
      censor: '[redacted]',
    },
    serializers: {
      req(req: { method: string; url: string; id: string }) {
        return {
          method: req.method,
          url: maskIdsInText(req.url.split('?')[0] ?? ''),
          reqId: req.id,
        };
      },
    },
  };
}
