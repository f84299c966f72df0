/**
 * One error handler for every route: typed errors become `{code, field, message: {zh, en}}` with
 * 400/404/409/422; schema failures become 400 naming the first bad field; anything else is a 500
 * with a generic message — never a stack trace.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { isTriguardError, type ErrorKind } from '../kernel/errors.ts';

const STATUS: Record<ErrorKind, number> = {
  invalid: 400,
  unprocessable: 422,
  not_found: 404,
  conflict: 409,
  forbidden: 403,
};

export interface ErrorBody {
  code: string;
  field: string | null;
  message: { zh: string; en: string };
}

export function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (isTriguardError(error)) {
    return reply.status(STATUS[error.kind]).send(error.toJSON());
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const first = error.validation[0];
    const path = (first?.instancePath ?? '')
      .split('/')
      .filter(Boolean)
      .map((p: string) => (/^\d+$/.test(p) ? Number(p) : p));
    const field = formatPath(error.validationContext ?? 'body', path);
    const detail = first?.message ?? 'invalid';
    return reply.status(400).send({
      code: 'request.invalid',
      field,
      message: { zh: `${field} 无效：${detail}`, en: `${field} is invalid: ${detail}` },
    } satisfies ErrorBody);
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    return reply.status(status).send({
      code: error.code ?? 'request.error',
      field: null,
      message: { zh: '请求有误', en: error.message },
    } satisfies ErrorBody);
  }
  request.log.error({ err: error }, 'unhandled error');
  return reply.status(500).send({
    code: 'internal',
    field: null,
    message: {
      zh: '服务器内部错误，请联系管理员',
      en: 'internal error; please contact the administrator',
    },
  } satisfies ErrorBody);
}

/** `body` + ['bills', 2, 'lines', 0, 'amount'] → `bills[2].lines[0].amount`. */
export function formatPath(context: string, path: readonly PropertyKey[]): string {
  if (path.length === 0) return context;
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out;
}

export function notFoundHandler(request: FastifyRequest, reply: FastifyReply) {
  return reply.status(404).send({
    code: 'route.not_found',
    field: null,
    message: {
      zh: `没有这个接口：${request.method} ${request.url.split('?')[0]}`,
      en: `no such route: ${request.method} ${request.url.split('?')[0]}`,
    },
  } satisfies ErrorBody);
}
