/**
 * One error shape for every answer that is not a success: `{code, field, message: {zh, en}}`
 * with 400/401/403/404/409/413/415/422/429. Typed errors keep their code; schema failures name the
 * first bad field; Fastify's own refusals (bad URL, body too large, broken JSON) and database
 * refusals that only bad input can cause get codes of their own. Anything else is a 500 with a
 * generic message — never a stack trace.
 *
 * A route may answer errors in another envelope (the national gateway's `infcode -1`): it sets
 * `config.errorAnswer`, and every refusal on that route — authentication, rate limit, body
 * parsing, validation, handler — is passed through it.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { sqlState } from '../db/db.ts';
import { isTriguardError, type ErrorKind } from '../kernel/errors.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Turns the documented error body into the route's own envelope (status unchanged). */
    errorAnswer?: (body: ErrorBody, status: number) => unknown;
  }
}

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

/** Sends an error in the documented shape, or in the route's own envelope. */
export function sendError(reply: FastifyReply, status: number, body: ErrorBody) {
  const shape = reply.request.routeOptions?.config?.errorAnswer;
  return reply.status(status).send(shape ? shape(body, status) : body);
}

const body = (code: string, field: string | null, zh: string, en: string): ErrorBody => ({
  code,
  field,
  message: { zh, en },
});

/** Fastify's refusals of a request's form, by their code. */
const FASTIFY: Record<string, (e: FastifyError) => [number, ErrorBody]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: () => [
    413,
    body('request.too_large', 'body', '请求体过大', 'the request body is too large'),
  ],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: () => [
    415,
    body('request.media_type', 'content-type', '不支持的请求内容类型', 'unsupported content type'),
  ],
  FST_ERR_CTP_EMPTY_JSON_BODY: () => [
    400,
    body('request.empty_body', 'body', '请求体为空', 'the JSON body is empty'),
  ],
  FST_ERR_CTP_INVALID_JSON_BODY: () => invalidJson(),
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: () => [
    400,
    body('request.content_length', 'content-length', '请求长度有误', 'wrong content-length'),
  ],
  FST_ERR_BAD_URL: () => badUrl(),
  FST_ERR_MAX_PARAM_LENGTH: () => badUrl(),
};

const invalidJson = (): [number, ErrorBody] => [
  400,
  body('request.invalid_json', 'body', '请求体不是有效的 JSON', 'the body is not valid JSON'),
];

const badUrl = (): [number, ErrorBody] => [
  400,
  body('request.bad_url', 'url', '请求地址有误', 'the URL is malformed'),
];

/**
 * Database refusals that only a value the checks above missed can cause: a row that raced its
 * twin (unique key), a number or text beyond a column. They are logged, as each is a missing
 * check to add, and answered as the client's error.
 */
function databaseRefusal(error: unknown): [number, ErrorBody] | null {
  const state = sqlState(error);
  if (state === '23505') {
    return [
      409,
      body(
        'request.conflict',
        null,
        '数据已存在或已被修改，请刷新后重试',
        'the record already exists or changed; reload and retry',
      ),
    ];
  }
  if (state?.startsWith('22') || state === '54000') {
    return [
      400,
      body(
        'request.out_of_range',
        null,
        '请求中的数值或文本超出允许范围',
        'a value in the request is out of range',
      ),
    ];
  }
  return null;
}

export function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (isTriguardError(error)) {
    return sendError(reply, STATUS[error.kind], error.toJSON());
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const first = error.validation[0];
    const path = (first?.instancePath ?? '')
      .split('/')
      .filter(Boolean)
      .map((p: string) => (/^\d+$/.test(p) ? Number(p) : p));
    const field = formatPath(error.validationContext ?? 'body', path);
    const detail = first?.message ?? 'invalid';
    return sendError(
      reply,
      400,
      body('request.invalid', field, `${field} 无效：${detail}`, `${field} is invalid: ${detail}`),
    );
  }
  const known = error.code ? FASTIFY[error.code] : undefined;
  if (known) return sendError(reply, ...known(error));
  if (error instanceof SyntaxError && error.statusCode === 400) {
    return sendError(reply, ...invalidJson());
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    const code =
      typeof error.code === 'string' && /^[a-z]/.test(error.code) ? error.code : 'request.error';
    return sendError(reply, status, body(code, null, `请求有误：${error.message}`, error.message));
  }
  const refused = databaseRefusal(error);
  if (refused) {
    request.log.warn({ err: error }, 'database refused a value that no check caught');
    return sendError(reply, ...refused);
  }
  request.log.error({ err: error }, 'unhandled error');
  return sendError(
    reply,
    500,
    body(
      'internal',
      null,
      '服务器内部错误，请联系管理员',
      'internal error; please contact the administrator',
    ),
  );
}

/** Fastify's `frameworkErrors`: a URL it cannot decode never reaches a route. */
export function frameworkErrorHandler(
  error: FastifyError,
  _request: FastifyRequest,
  reply: FastifyReply,
) {
  const known = error.code ? FASTIFY[error.code] : undefined;
  return sendError(reply, ...(known ? known(error) : badUrl()));
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
  const path = request.url.split('?')[0];
  return sendError(
    reply,
    404,
    body(
      'route.not_found',
      null,
      `没有这个接口：${request.method} ${path}`,
      `no such route: ${request.method} ${path}`,
    ),
  );
}
